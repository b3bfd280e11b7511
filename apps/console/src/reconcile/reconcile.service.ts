import type { Readable } from 'node:stream';
import type { BreakSummary } from '@mm/contracts';
import type { Operator } from '@mm/platform';
import { Inject, Injectable } from '@nestjs/common';
import { CONSOLE_CONFIG, type ConsoleConfig } from '../config';
import { ServicesClient, type ServiceName, type Upstream } from '../upstream/services.client';
import { boundedBody } from './bounded-body';

/** Where a statement goes and whose breaks: Bixi's are payment-debit's, providers' are the ledger's (SPEC §9). */
export const SOURCES = ['bixi', 'provider'] as const;
export type Source = (typeof SOURCES)[number];
export const serviceOf = (source: Source): ServiceName => (source === 'bixi' ? 'payment-debit' : 'ledger');

/** What an upload came to: the service's answer, `too_large` when the body passed the bound, or `unavailable`. */
export type UploadOutcome = Upstream<unknown> | { status: 'too_large' };

/** Statements, breaks and the daily report, through the services' operator routes as the signed-in operator. */
@Injectable()
export class ReconcileService {
  constructor(
    private readonly services: ServicesClient,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  /** Streams a statement to its service as it arrives, never more than CONSOLE_STATEMENT_MAX_BYTES of it. */
  async upload(source: Source, body: Readable, mediaType: string, period: string | undefined, operator: Operator): Promise<UploadOutcome> {
    const bounded = boundedBody(body, this.config.CONSOLE_STATEMENT_MAX_BYTES);
    const path =
      source === 'bixi' ? `/v1/statements/bixi${period ? `?${new URLSearchParams({ period })}` : ''}` : '/v1/statements/provider';
    try {
      const res = await this.services.request(serviceOf(source), path, operator, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': mediaType },
        body: bounded.body,
        duplex: 'half',
        signal: AbortSignal.timeout(this.config.CONSOLE_STATEMENT_TIMEOUT_MS),
      });
      return { status: res.status, body: await res.json().catch(() => ({})) };
    } catch {
      return bounded.exceeded() ? { status: 'too_large' } : { status: 'unavailable' };
    }
  }

  breaks(source: Source, query: Record<string, string | number | undefined>, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get(serviceOf(source), `/v1/breaks?${params(query)}`, operator);
  }

  /** Open breaks by type from both services; a service that cannot answer is null. */
  async summary(operator: Operator): Promise<Record<Source, BreakSummary | null>> {
    const [bixi, provider] = await Promise.all(
      SOURCES.map((s) => this.services.get<BreakSummary>(serviceOf(s), '/v1/breaks/summary', operator)),
    );
    const ok = (u: Upstream<BreakSummary> | undefined) => (u && u.status === 200 ? u.body : null);
    return { bixi: ok(bixi), provider: ok(provider) };
  }

  /** The service's CSV export, as its streamed answer. */
  exportCsv(source: Source, query: Record<string, string | undefined>, operator: Operator): Promise<Response> {
    return this.services.request(serviceOf(source), `/v1/breaks.csv?${params(query)}`, operator, {
      headers: { accept: 'text/csv' },
      signal: AbortSignal.timeout(this.config.CONSOLE_STATEMENT_TIMEOUT_MS),
    });
  }

  async close(source: Source, breakId: string, reason: string, operator: Operator): Promise<Upstream<unknown>> {
    try {
      const res = await this.services.request(serviceOf(source), `/v1/breaks/${encodeURIComponent(breakId)}/close`, operator, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ reason }),
      });
      return { status: res.status, body: await res.json().catch(() => ({})) };
    } catch {
      return { status: 'unavailable' };
    }
  }

  report(date: string, operator: Operator): Promise<Upstream<unknown>> {
    return this.services.get('ledger', `/v1/reports/reconciliation?${params({ date })}`, operator);
  }
}

const params = (query: Record<string, string | number | undefined>) =>
  new URLSearchParams(Object.entries(query).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])));
