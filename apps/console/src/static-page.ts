import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * The page (React, built by Vite into dist/public) may load only its own scripts, styles, images and API: no inline
 * script or style, no framing, no other origin. uPlot draws on a canvas and sizes elements through the CSSOM
 * (`element.style`), which `style-src 'self'` allows, so no 'unsafe-inline' is needed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** Where the built page is: beside the compiled server (dist/public), or dist/public when run from the sources. */
export const pageDirectory = (): string | undefined =>
  [join(__dirname, 'public'), join(__dirname, '..', 'dist', 'public')].find((dir) => existsSync(join(dir, 'index.html')));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * The page's files, read once at start-up: `/` is index.html, `/assets/<file>` the hashed bundles (cached for good).
 * Only these exact paths are routes, so nothing else on disk can ever be asked for.
 */
function pageFiles(root: string): { path: string; body: Buffer; type: string; cache: string }[] {
  const assets = existsSync(join(root, 'assets')) ? readdirSync(join(root, 'assets')) : [];
  return [
    { path: '/', body: readFileSync(join(root, 'index.html')), type: TYPES['.html']!, cache: 'no-cache' },
    ...assets
      .filter((name) => TYPES[extname(name)])
      .map((name) => ({
        path: `/assets/${name}`,
        body: readFileSync(join(root, 'assets', name)),
        type: TYPES[extname(name)]!,
        cache: 'public, max-age=31536000, immutable',
      })),
  ];
}

/** Security headers on every answer (pages and API alike), and the page's files from dist/public. */
export function servePage(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (_req, reply, payload, done) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) void reply.header(name, value);
    done(null, payload);
  });
  const root = pageDirectory();
  if (!root) return;
  for (const file of pageFiles(root)) {
    fastify.get(file.path, (_req, reply) => {
      void reply.header('content-type', file.type).header('cache-control', file.cache).send(file.body);
    });
  }
}
