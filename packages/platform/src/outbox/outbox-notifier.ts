import type { DataSource } from 'typeorm';

/**
 * Wakes the outbox relays (which LISTEN on `channel`) after a transaction that added outbox rows has committed.
 *
 * A NOTIFY inside the writing transaction takes PostgreSQL's database-wide notify lock at commit and holds it
 * through the WAL flush, so every writer's commit would wait for the one before it (no group commit). Here the
 * NOTIFY is its own transaction, sent after the rows are committed, without waiting for its own WAL flush (it is
 * only a wake-up: the relays also poll), and at most one is in flight, or started per `minIntervalMs`: calls made
 * meanwhile fold into one more.
 *
 * With `wakeLocal` (the relay of the same process, as OutboxModule wires it) there is no NOTIFY at all: the rows are
 * this process's commits and its own relay publishes them, woken in memory, without a database round trip and the
 * listener's wake-up per commit. Other instances' relays find rows by polling, as after a missed NOTIFY.
 */
export class OutboxNotifier {
  private inFlight = false;
  private pending = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly channel: string,
    private readonly minIntervalMs = 5,
    private readonly wakeLocal?: () => void,
  ) {}

  /** Call after the commit that added rows; never throws and never waits. */
  notify(): void {
    if (this.wakeLocal) return this.wakeLocal();
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
