import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseRoleConfig, env, httpEnv, loadConfig, productionRules } from '@mm/platform';
import { z } from 'zod';

/** The repository's development operator signing key (its public half is what the services trust by default). */
export const DEV_OPERATOR_KEY_FILE = join(__dirname, '..', '..', '..', 'config', 'dev-operator-key.json');
const devSigningKey = (): string => {
  try {
    return JSON.stringify((JSON.parse(readFileSync(DEV_OPERATOR_KEY_FILE, 'utf8')) as { privateJwk: unknown }).privateJwk);
  } catch {
    return '';
  }
};

/** A private JWK (`d` present) with a key id: the console signs the operator tokens the services verify (SPEC §9). */
const privateJwk = z
  .string()
  .transform((v, ctx) => {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key' });
      return z.NEVER;
    }
  })
  .pipe(z.looseObject({ kty: z.string().min(1), d: z.string().min(1), kid: z.string().min(1), alg: z.string().min(1).optional() }));

const serviceUrl = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const apiKey = (name: string) => z.string({ error: `${name} is required` }).min(16, `${name} must have at least 16 characters`);

export const ConsoleConfigFields = z.object({
  NODE_ENV: env.nodeEnv(),
  ...httpEnv({ port: 3004, accessLog: true }),
  /** Off by default: the OpenAPI UI's inline scripts would need the CSP loosened; /docs-json is served when on. */
  HTTP_OPENAPI_DOCS: env.bool(false),
  HTTP_BODY_LIMIT_BYTES: env.bodyLimitBytes(16 * 1024),
  DATABASE_URL: env.databaseUrl(),
  ...databaseRoleConfig,
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('console'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(50).default(4),
  CONSOLE_LEDGER_URL: serviceUrl.default('http://127.0.0.1:3003'),
  CONSOLE_LEDGER_API_KEY: apiKey('CONSOLE_LEDGER_API_KEY'),
  CONSOLE_DEBIT_URL: serviceUrl.default('http://127.0.0.1:3002'),
  CONSOLE_DEBIT_API_KEY: apiKey('CONSOLE_DEBIT_API_KEY'),
  CONSOLE_INGEST_URL: serviceUrl.default('http://127.0.0.1:3001'),
  /** Time allowed for one call to a service. */
  CONSOLE_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Largest statement the console streams through to a service (the services' STATEMENT_MAX_BYTES); larger → 413. */
  CONSOLE_STATEMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** Time allowed for one statement upload through to a service (the body is streamed as it arrives). */
  CONSOLE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
  CONSOLE_OPERATOR_SIGNING_KEY: z.string().default(devSigningKey),
  /** Lifetime of the operator JWT the console signs for each call to a service. */
  CONSOLE_OPERATOR_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(900).default(60),
  OPERATOR_JWT_ISSUER: z.string().min(1).default('mm'),
  OPERATOR_JWT_AUDIENCE: z.string().min(1).default('mm'),
  /** A session ends this long after sign-in, whatever its use. */
  CONSOLE_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400)
    .default(8 * 3600),
  /** Failed sign-ins allowed per username, and per client address, within the window before sign-in is refused. */
  CONSOLE_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  CONSOLE_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /** Secure cookies (HTTPS only); by default on unless the console listens on loopback. */
  CONSOLE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
});

const signingKeyRule = (config: { CONSOLE_OPERATOR_SIGNING_KEY: string }, ctx: z.RefinementCtx) => {
  const parsed = privateJwk.safeParse(config.CONSOLE_OPERATOR_SIGNING_KEY);
  if (!parsed.success)
    ctx.addIssue({ code: 'custom', path: ['CONSOLE_OPERATOR_SIGNING_KEY'], message: 'must be a private JWK with kty, d and kid' });
};

export const ConsoleConfigSchema = ConsoleConfigFields.superRefine(signingKeyRule).superRefine(
  // Under NODE_ENV=production the repository's development key (kid mm-dev-…) and keys are refused.
  productionRules({ secrets: ['CONSOLE_OPERATOR_SIGNING_KEY', 'CONSOLE_LEDGER_API_KEY', 'CONSOLE_DEBIT_API_KEY'], httpsUrls: [] }),
);

export type ConsoleConfig = z.infer<typeof ConsoleConfigSchema>;
export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
export const loadConsoleConfig = (source: NodeJS.ProcessEnv = process.env): ConsoleConfig => loadConfig(ConsoleConfigSchema, source);
export const signingJwkOf = (config: ConsoleConfig) => privateJwk.parse(config.CONSOLE_OPERATOR_SIGNING_KEY);

/** Cookies are Secure unless configured otherwise or served on loopback (development over plain HTTP). */
export const secureCookies = (config: ConsoleConfig): boolean =>
  config.CONSOLE_COOKIE_SECURE === 'auto' ? !/^(127\.|localhost$|::1$)/.test(config.HOST) : config.CONSOLE_COOKIE_SECURE === 'true';
