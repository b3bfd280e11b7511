import { TOPIC_PREFIX_PATTERN } from '@mm/contracts';
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once at boot against one schema per service. The message names each bad
 * variable but never echoes its value (it may be a secret).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((i) => `${i.path.map(String).join('.') || '(env)'}: ${i.message}`));
}

/** Reusable environment fields. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  brokers: () =>
    z
      .string()
      .default('127.0.0.1:9092')
      .transform((s) =>
        s
          .split(',')
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[^\s:]+:[0-9]{1,5}$/, 'must be host:port[,host:port…]')).min(1)),
  databaseUrl: () =>
    z
      .string({ error: 'DATABASE_URL is required (postgres://user@host:port/db)' })
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** KAFKA_TOPIC_PREFIX: this environment's prefix for every topic and consumer group (see TopicNamespace). */
  topicPrefix: () =>
    z
      .string()
      .default('')
      .refine((p) => TOPIC_PREFIX_PATTERN.test(p), 'must be empty or lower-case segments each ending in "." (e.g. "staging.")'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
  /** `HTTP_REQUEST_TIMEOUT_MS`: time a client has to send its whole request (createHttpApp's requestTimeoutMs). */
  requestTimeoutMs: () => z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** `HTTP_BODY_LIMIT_BYTES`: the largest request body a service accepts; larger ones get 413. */
  bodyLimitBytes: (fallback: number) =>
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
};

/**
 * Development values shipped in this repository (`.env.example`, `config/dev-credentials.json`, the test suites):
 * anything containing one of these markers is a development key, refused when `NODE_ENV=production`.
 */
const DEV_MARKERS = ['change-me', 'not-for-production', 'dev-', '-dev', 'test-', 'example'];

/** A development key or secret (see DEV_MARKERS): never accepted in production. */
export const looksLikeDevSecret = (value: string): boolean => DEV_MARKERS.some((m) => value.toLowerCase().includes(m));

/**
 * Refinement for a service's config schema: in production, each named secret must not be a development value and
 * each named URL must be https. The schema declares `NODE_ENV: env.nodeEnv()`. Names the variable, never its value.
 */
export function productionRules<T extends { NODE_ENV?: string }>(options: {
  secrets?: (keyof T & string)[];
  httpsUrls?: (keyof T & string)[];
}) {
  return (config: T, ctx: z.RefinementCtx): void => {
    if (config.NODE_ENV !== 'production') return;
    for (const name of options.secrets ?? []) {
      const value = config[name];
      if (typeof value === 'string' && looksLikeDevSecret(value)) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} is a development value; NODE_ENV=production refuses it` });
      }
    }
    for (const name of options.httpsUrls ?? []) {
      const value = config[name];
      if (typeof value === 'string' && !value.startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: [name], message: `${name} must be https:// when NODE_ENV=production` });
      }
    }
  };
}

/**
 * The variables every service's HTTP server reads (`createServiceApp`), spread into its config schema. The body limit
 * is the service's own (`env.bodyLimitBytes`): ingest names it after its one route, the others `HTTP_BODY_LIMIT_BYTES`.
 */
export const httpEnv = (defaults: { port: number; accessLog: boolean }) => ({
  PORT: env.port(defaults.port),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: env.logLevel(),
  /** One JSON line per request (not /health or /metrics). */
  HTTP_ACCESS_LOG: env.bool(defaults.accessLog),
  HTTP_REQUEST_TIMEOUT_MS: env.requestTimeoutMs(),
  /** Serves the OpenAPI document at /docs and /docs-json (in-process jest suites turn it off: its assets load as ESM). */
  HTTP_OPENAPI_DOCS: env.bool(true),
});

export type HttpEnv = z.infer<z.ZodObject<ReturnType<typeof httpEnv>>>;
