import { ReconciliationReportSchema } from '@mm/contracts';
import { ApiZodQuery, ApiZodResponse } from '@mm/platform';
import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { LEDGER_CONFIG, type LedgerConfig } from '../../config';
import { BreaksRead } from '../../reconcile-provider-statement/breaks.read';
import { ReconciliationRead } from '../reconciliation.read';
import { bucketView, SuspenseRead } from '../suspense.read';
import { ApiKeyGuard } from './api-key.guard';
import { ReadApiDocs } from './read-api.docs';
import { parseParams } from './query-params';

const DateQuery = z
  .object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .refine((d) => {
        const t = Date.parse(`${d}T00:00:00Z`);
        return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
      }, 'is not a calendar date'),
  })
  .strict();

type DebitGroup = { provider: 'bixi'; operator: string; currency: string; requested: { count: number; amountMinor: string } } & Record<
  string,
  unknown
>;

const BIXI_BREAKS = "Bixi statements' breaks are kept by payment-debit: GET /v1/breaks/summary there";

/** The daily reconciliation report (UTC day, by event time): what came in, what was debited, what needs a human. */
@Controller('v1/reports')
@UseGuards(ApiKeyGuard)
@ReadApiDocs('reports')
export class ReconciliationController {
  constructor(
    private readonly read: ReconciliationRead,
    private readonly suspense: SuspenseRead,
    private readonly breaks: BreaksRead,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('reconciliation')
  @ApiZodQuery(DateQuery)
  @ApiZodResponse(
    200,
    "the UTC day's payments, debits by state, ledger totals and flags; open suspense by age and open provider breaks by type",
    ReconciliationReportSchema,
  )
  async report(@Query() query: unknown) {
    const { date } = parseParams(DateQuery, query);
    const from = new Date(`${date}T00:00:00Z`);
    const day = { from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() };
    const deadline = this.config.LEDGER_RESULT_DEADLINE_SECONDS;
    const generatedAt = new Date();
    const [payments, debits, ledger, flags, openSuspense, providerBreaks] = await Promise.all([
      this.read.payments(day),
      this.read.debits(day),
      this.read.ledger(day),
      this.read.flags(day, deadline),
      this.suspense.byAge(generatedAt),
      this.breaks.summary(),
    ]);
    const groups = new Map<string, DebitGroup>();
    for (const d of debits) {
      const key = `${d.operator}/${d.currency}`;
      const g = groups.get(key) ?? {
        provider: 'bixi',
        operator: d.operator,
        currency: d.currency,
        requested: { count: 0, amountMinor: '0' },
      };
      g.requested = {
        count: g.requested.count + d.count,
        amountMinor: (BigInt(g.requested.amountMinor) + BigInt(d.amount_minor)).toString(),
      };
      g[d.state === 'REQUESTED' ? 'awaitingResult' : d.state.toLowerCase()] = {
        count: d.count,
        amountMinor: d.amount_minor,
        ...(d.state === 'APPROVED' ? { chargesMinor: d.charges_minor ?? '0', totalMinor: d.total_minor ?? '0' } : {}),
      };
      groups.set(key, g);
    }
    return {
      date,
      generatedAt: generatedAt.toISOString(),
      resultDeadlineSeconds: deadline,
      payments: payments.map((p) => ({
        providerId: p.provider_id,
        operator: p.operator,
        currency: p.currency,
        count: p.count,
        totalMinor: p.total_minor,
      })),
      debits: [...groups.values()],
      ledger: ledger.map((l) => ({
        currency: l.currency,
        debitsMinor: l.debits_minor,
        creditsMinor: l.credits_minor,
        netMinor: l.net_minor,
        balanced: l.net_minor === '0',
      })),
      flags: [
        ...ledger
          .filter((l) => l.net_minor !== '0')
          .map((l) => ({ kind: 'UNBALANCED', currency: l.currency, detail: `postings of the day net ${l.net_minor} ${l.currency}` })),
        ...flags.map((f) => ({ kind: f.kind, commandId: f.command_id, eventId: f.event_id, time: f.time.toISOString() })),
      ],
      // As of generatedAt, whatever the day: what still waits for a human.
      openSuspense: openSuspense.map(bucketView),
      breaks: { provider: providerBreaks, bixi: BIXI_BREAKS },
    };
  }
}
