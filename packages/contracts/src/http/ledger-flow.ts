import { z } from 'zod';

/**
 * `GET /v1/reports/flow?minutes=N` on the ledger: stored events counted by type per minute of their CloudEvents time,
 * over the last N minutes (oldest first; minutes with no event are left out).
 */
export const FlowReportSchema = z.object({
  from: z.string().describe('start of the first minute counted (ISO-8601)'),
  minutes: z.number().int(),
  buckets: z.array(z.object({ minute: z.string(), type: z.string(), count: z.number().int() })),
});
export type FlowReport = z.infer<typeof FlowReportSchema>;
