import { Controller, Get, HttpException, HttpStatus, Inject, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import { ApiZodResponse } from './openapi';

/** A dependency of the service. `check` rejects when it is unavailable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * The service keeps doing its job without this dependency (ingest's outbox keeps accepting while Kafka is down):
   * a failure shows as `degraded` and the service stays ready, so a load balancer keeps sending it work.
   */
  optional?: boolean;
  /** Releases what the check holds open (e.g. a Kafka admin connection); called at shutdown. */
  close?(): Promise<void>;
}

export type CheckStatus = 'up' | 'down' | 'degraded';
export interface ReadinessBody {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, { status: CheckStatus }>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const CheckResultSchema = z.object({ status: z.enum(['up', 'down', 'degraded']) });
/** The bodies of `/health/*` (documented in each service's OpenAPI). */
export const LiveResponseSchema = z.object({ status: z.literal('ok') });
export const ReadyResponseSchema = z.object({ status: z.enum(['ok', 'degraded']), checks: z.record(z.string(), CheckResultSchema) });
export const NotReadyResponseSchema = z.object({ status: z.literal('unavailable'), checks: z.record(z.string(), CheckResultSchema) });
const CHECK_TIMEOUT_MS = 2000;
/** An optional check cannot make the service unready, so it must not make the probe slow either (probes time out). */
const OPTIONAL_CHECK_TIMEOUT_MS = 500;

async function runCheck(c: ReadinessCheck): Promise<Error | undefined> {
  const timeoutMs = c.optional ? OPTIONAL_CHECK_TIMEOUT_MS : CHECK_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/health/live` (the process answers) and `/health/ready` (every required dependency answers). The endpoints are
 * unauthenticated, so the body names each check's status only; why a check failed (driver errors name hosts, users,
 * topics) goes to the log, once per change rather than at every probe. Register it with a `READINESS_CHECKS` provider.
 */
@Controller('health')
@ApiTags('operations')
export class HealthController implements OnApplicationShutdown {
  private readonly logger = new Logger('Health');
  /** The last failure logged per check, so a probe every few seconds does not repeat it. */
  private readonly lastLogged = new Map<string, string>();

  constructor(
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Optional() registry?: Registry,
  ) {
    if (registry) readinessGauge(registry, () => this.evaluate());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.checks.map((c) => c.close?.()));
  }

  @Get('live')
  @ApiZodResponse(200, 'the process answers', LiveResponseSchema)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiZodResponse(200, 'every required dependency answers (an optional one may be degraded)', ReadyResponseSchema)
  @ApiZodResponse(503, 'a required dependency does not answer (each check says which)', NotReadyResponseSchema)
  async ready(): Promise<ReadinessBody> {
    const body = await this.evaluate();
    if (body.status === 'unavailable') throw new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }

  private async evaluate(): Promise<ReadinessBody> {
    const failures = await Promise.all(this.checks.map(runCheck));
    const checks: ReadinessBody['checks'] = {};
    this.checks.forEach((c, i) => {
      const failure = failures[i];
      this.logChange(c, failure);
      checks[c.name] = { status: !failure ? 'up' : c.optional ? 'degraded' : 'down' };
    });
    const statuses = Object.values(checks).map((c) => c.status);
    if (statuses.includes('down')) return { status: 'unavailable', checks };
    return { status: statuses.includes('degraded') ? 'degraded' : 'ok', checks };
  }

  private logChange(c: ReadinessCheck, failure: Error | undefined): void {
    const previous = this.lastLogged.get(c.name);
    if (!failure) {
      if (previous !== undefined) this.logger.log({ check: c.name }, `readiness check ${c.name} is up again`);
      this.lastLogged.delete(c.name);
      return;
    }
    if (previous === failure.message) return;
    this.lastLogged.set(c.name, failure.message);
    this.logger.warn(
      { check: c.name, optional: c.optional === true, err: { type: failure.name, message: failure.message } },
      `readiness check ${c.name} failed`,
    );
  }
}

/**
 * `service_ready`: 1 when `/health/ready` would answer 200 (degraded counts as ready), 0 otherwise. Evaluated at scrape
 * time with the probe's own checks and timeouts, so it never goes stale between probes.
 */
function readinessGauge(registry: Registry, evaluate: () => Promise<ReadinessBody>): void {
  new Gauge({
    name: 'service_ready',
    help: '1 when the service is ready (every required dependency answers), 0 otherwise',
    registers: [registry],
    async collect() {
      this.set((await evaluate()).status === 'unavailable' ? 0 : 1);
    },
  });
}
