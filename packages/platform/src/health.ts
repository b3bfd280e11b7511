import { Controller, Get, HttpException, HttpStatus, Inject, type OnApplicationShutdown } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiZodResponse } from './openapi';

/** A dependency the service cannot work without. `check` rejects when it is unavailable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /** Releases what the check holds open (e.g. a Kafka admin connection); called at shutdown. */
  close?(): Promise<void>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

const CheckResultSchema = z.object({ status: z.enum(['up', 'down']), error: z.string().optional() });
/** The bodies of `/health/*` (documented in each service's OpenAPI). */
export const LiveResponseSchema = z.object({ status: z.literal('ok') });
export const ReadyResponseSchema = z.object({ status: z.literal('ok'), checks: z.record(z.string(), CheckResultSchema) });
export const NotReadyResponseSchema = z.object({ status: z.literal('unavailable'), checks: z.record(z.string(), CheckResultSchema) });
const CHECK_TIMEOUT_MS = 2000;

async function runCheck(c: ReadinessCheck): Promise<[string, { status: 'up' | 'down'; error?: string }]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return [c.name, { status: 'up' }];
  } catch (error) {
    return [c.name, { status: 'down', error: (error as Error).message }];
  } finally {
    clearTimeout(timer);
  }
}

/** `/health/live` (the process answers) and `/health/ready` (every dependency answers). Register it with a
 * `READINESS_CHECKS` provider in the app module. */
@Controller('health')
@ApiTags('operations')
export class HealthController implements OnApplicationShutdown {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.checks.map((c) => c.close?.()));
  }

  @Get('live')
  @ApiZodResponse(200, 'the process answers', LiveResponseSchema)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiZodResponse(200, 'every dependency answers', ReadyResponseSchema)
  @ApiZodResponse(503, 'a dependency does not answer (each check says which)', NotReadyResponseSchema)
  async ready(): Promise<{ status: 'ok'; checks: Record<string, unknown> }> {
    const results = Object.fromEntries(await Promise.all(this.checks.map(runCheck)));
    const ok = Object.values(results).every((r) => r.status === 'up');
    if (!ok) throw new HttpException({ status: 'unavailable', checks: results }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ok', checks: results };
  }
}
