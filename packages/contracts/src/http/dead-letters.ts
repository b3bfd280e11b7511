import { z } from 'zod';
import { safeText } from '../text';
import { pageSchema } from './api-error';

/**
 * Dead letters (SPEC §9–§10): the messages a service's consumer refused, copied from its DLQ topic into its own
 * `dead_letters` table so operators can inspect them and replay one, with a reason, to the topic it came from.
 */
export const DEAD_LETTER_STATES = ['open', 'replayed'] as const;
export const DeadLetterStateSchema = z.enum(DEAD_LETTER_STATES);
export type DeadLetterState = z.infer<typeof DeadLetterStateSchema>;

/** Kafka header added to a replayed message: the id of the dead letter it replays (`<service>:<id>`). */
export const REPLAY_HEADER = 'mm_replay_of';

/** One dead letter as listed: where it came from, why it was refused, whether it was replayed. */
export const DeadLetterSummarySchema = z.object({
  id: z.string().regex(/^[0-9]{1,19}$/),
  state: DeadLetterStateSchema,
  /** The topic (physical, with the environment's prefix) the refused message was consumed from. */
  originalTopic: z.string().nullable(),
  originalPartition: z.number().int().nullable(),
  originalOffset: z.string().nullable(),
  key: z.string().nullable().describe('the message key, as UTF-8'),
  reason: z.string(),
  eventId: z.string().nullable(),
  receivedAt: z.string(),
  replayedBy: z.string().nullable(),
  replayedAt: z.string().nullable(),
});
export type DeadLetterSummary = z.infer<typeof DeadLetterSummarySchema>;

/** One dead letter in full: its headers and value (UTF-8; `valueBytes` is the stored length, null for a null value). */
export const DeadLetterViewSchema = DeadLetterSummarySchema.extend({
  headers: z.record(z.string(), z.string()),
  value: z.string().nullable(),
  valueBytes: z.number().int().nullable(),
  dlqTopic: z.string(),
  dlqPartition: z.number().int(),
  dlqOffset: z.string(),
});
export type DeadLetterView = z.infer<typeof DeadLetterViewSchema>;

export const DeadLetterPageSchema = pageSchema(DeadLetterSummarySchema);

/** `GET /v1/dead-letters`: newest first, optionally only open or only replayed ones. */
export const DeadLettersQuerySchema = z
  .object({
    state: DeadLetterStateSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(512).optional(),
  })
  .strict();
export type DeadLettersQuery = z.infer<typeof DeadLettersQuerySchema>;

/** `POST /v1/dead-letters/:id/replay`: why the operator replays it (checker only; once per letter). */
export const ReplayDeadLetterSchema = z
  .object({ reason: safeText(3, 1024).refine((r) => r.trim().length >= 3, 'reason must say why (3 characters at least)') })
  .strict();
export type ReplayDeadLetter = z.infer<typeof ReplayDeadLetterSchema>;
