import { env, httpEnv, loadConfig } from '@mm/platform';
import { z } from 'zod';

export const SandboxConfigSchema = z.object({
  ...httpEnv({ port: 4010, accessLog: false }),
  HTTP_BODY_LIMIT_BYTES: env.bodyLimitBytes(64 * 1024),
  BIXI_API_TOKEN: z.string({ error: 'BIXI_API_TOKEN is required' }).min(8, 'BIXI_API_TOKEN must have at least 8 characters'),
  /** Added to every answer, to make the sandbox feel like a network service (benchmarks use 20). */
  SANDBOX_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** How long the "slow" magic account takes to answer. */
  SANDBOX_SLOW_MS: z.coerce.number().int().min(0).max(600_000).default(3000),
  /** How long the "timeout" magic account holds a request before dropping it (it never answers). */
  SANDBOX_HOLD_MS: z.coerce.number().int().min(1000).max(3_600_000).default(600_000),
  /** Requests kept for `GET /__sandbox/requests`; older ones are forgotten first. */
  SANDBOX_RECORD_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
  /** Transactions kept for the sandbox-only statement export (`GET /sandbox/statements/:date`); oldest forgotten first. */
  SANDBOX_STATEMENT_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(50_000),
});

export type SandboxConfig = z.infer<typeof SandboxConfigSchema>;
export const SANDBOX_CONFIG = Symbol('SANDBOX_CONFIG');
export const loadSandboxConfig = (source: NodeJS.ProcessEnv = process.env): SandboxConfig => loadConfig(SandboxConfigSchema, source);
