import { isPermanentDataError } from '../database';

export type Attempted<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Runs `work` until it succeeds, retrying a refusal by the database as bad data (`isPermanentDataError`) up to
 * `maxAttempts` times, then gives up with a reason to dead-letter. Anything else is transient and thrown at once: the
 * caller hands the batch back for redelivery, and such a message is never dead-lettered.
 */
export async function withBoundedAttempts<T>(
  work: () => Promise<T>,
  maxAttempts: number,
  onRetry: (attempt: number, reason: string) => void,
): Promise<Attempted<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      if (!isPermanentDataError(error)) throw error;
      const refusal = `refused by the database (SQLSTATE ${String((error as { code?: unknown }).code)}): ${(error as Error).message}`;
      if (attempt >= maxAttempts) return { ok: false, reason: `${refusal}; dead-lettered after ${attempt} attempts` };
      onRetry(attempt, refusal);
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
