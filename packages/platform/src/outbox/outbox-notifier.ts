import type { DataSource } from 'typeorm';

/**
 * Wakes the outbox relays (which LISTEN on `channel`) after a transaction that added outbox rows has committed.
 *
 * A NOTIFY inside the writing transaction takes PostgreSQL's database-wide notify lock at commit and holds it
 * through the WAL flush, so every writer's commit would wait for the one before it (no group commit). Here the
 * NOTIFY is its own transaction, sent after the rows are committed, without waiting for its own WAL flush (it is
 * only a wake-up: the relays also poll), and at most one is in flight, or started per `minIntervalMs`: calls made
 * meanwhile fold into one more.
 */
export class OutboxNotifier {
  private inFlight = false;
  private pending = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly minIntervalMs = 5,
  ) {}

  /** Call after the commit that added rows; never throws and never waits. */
  notify(): void {
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    this.inFlight = true;
    this.dataSource
      .query(`select set_config('synchronous_commit', 'off', true), pg_notify($1, '')`, [this.channel])
      .catch(() => undefined) // a missed wake-up costs at most one poll interval
      .finally(() => setTimeout(() => this.settle(), this.minIntervalMs));
  }

  private settle(): void {
    this.inFlight = false;
    if (this.pending) {
      this.pending = false;
      this.notify();
    }
  }
}
