import { BatchWriter, QueueFullError } from './batch-writer';

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchWriter', () => {
  it('writes alone while slots are free, then batches what queued behind, each item getting its own result', async () => {
    const batches: number[][] = [];
    const gates: (() => void)[] = [];
    const writer = new BatchWriter<number, string>(
      async (batch) => {
        batches.push([...batch]);
        await new Promise<void>((r) => gates.push(r));
        return batch.map((n) => `r${n}`);
      },
      3,
      1,
    );
    const results = [1, 2, 3, 4, 5, 6].map((n) => writer.submit(n));
    await tick();
    expect(batches).toEqual([[1]]);
    gates.shift()!();
    await tick();
    expect(batches).toEqual([[1], [2, 3, 4]]); // at most maxBatch
    gates.shift()!();
    await tick();
    gates.shift()!();
    expect(await Promise.all(results)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('retries a failed batch item by item, so only the bad item fails', async () => {
    let calls = 0;
    const writer = new BatchWriter<number, number>(
      async (batch) => {
        calls += 1;
        if (batch.includes(13)) throw new Error('bad row');
        return batch.map((n) => n * 2);
      },
      10,
      1,
    );
    const block = writer.submit(1); // occupies the only slot so the next three form one batch
    const rest = [12, 13, 14].map((n) => writer.submit(n));
    expect(await block).toBe(2);
    const settled = await Promise.allSettled(rest);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([24, 'failed', 28]);
    expect(calls).toBe(5); // [1], [12,13,14], then 12, 13, 14 alone
  });

  it('refuses an item at once, writing nothing of it, when maxQueued items already wait behind full slots', async () => {
    const written: number[] = [];
    const gates: (() => void)[] = [];
    const writer = new BatchWriter<number, number>(
      async (batch) => {
        written.push(...batch);
        await new Promise<void>((r) => gates.push(r));
        return [...batch];
      },
      10,
      1,
      2,
    );
    const accepted = [1, 2, 3].map((n) => writer.submit(n)); // 1 in flight, 2 and 3 queued
    expect(writer.queued).toBe(2);
    await expect(writer.submit(4)).rejects.toBeInstanceOf(QueueFullError);
    expect(writer.queued).toBe(2);
    gates.shift()!();
    await tick();
    expect(writer.queued).toBe(0); // [2, 3] now in flight: the queue has room again
    const later = writer.submit(5);
    gates.shift()!();
    await tick();
    gates.shift()!();
    expect(await Promise.all([...accepted, later])).toEqual([1, 2, 3, 5]);
    expect(written).toEqual([1, 2, 3, 5]);
  });

  it('refuses a writer that loses results', async () => {
    const writer = new BatchWriter<number, number>(async () => [], 10, 1);
    await expect(writer.submit(1)).rejects.toThrow(/produced 0 results/);
  });
});
