export type WriteBatch<I, O> = (batch: readonly I[]) => Promise<O[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/** The writer's queue is full: the item was not taken (nothing of it written); the caller should answer "retry later". */
export class QueueFullError extends Error {
  constructor(readonly maxQueued: number) {
    super(`write queue is full (${maxQueued} waiting)`);
    this.name = 'QueueFullError';
  }
}

/**
 * Micro-batching that adapts to load: while fewer than `concurrency` batches are in flight an item is written at
 * once (a batch of one, no added latency); beyond that, items queue and the next free slot writes up to `maxBatch`
 * of them in one statement. Every item gets its own result. When a batch of several fails, each item is retried
 * alone, so one bad row cannot fail its neighbours and a dead database still fails each request on its own.
 * At most `maxQueued` items wait behind busy slots; beyond that `submit` rejects at once with QueueFullError, so a
 * slow database turns into quick refusals instead of unbounded memory and latency.
 */
export class BatchWriter<I, O> {
  private readonly queue: Waiting<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: WriteBatch<I, O>,
    private readonly maxBatch: number,
    private readonly concurrency: number,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
  ) {}

  /** Items waiting for a free slot (not those being written). */
  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.inFlight >= this.concurrency && this.queue.length >= this.maxQueued) return Promise.reject(new QueueFullError(this.maxQueued));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`batch of ${batch.length} produced ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      await Promise.all(batch.map((w) => this.run([w])));
    }
  }
}
