import { KeyScheduler } from './key-scheduler';
import { OffsetTracker } from './offset-tracker';

const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyScheduler', () => {
  it('keeps order within a key and bounds concurrency across keys', async () => {
    const scheduler = new KeyScheduler(3);
    const order: string[] = [];
    let peak = 0;
    const tasks = [];
    for (let i = 0; i < 40; i++) {
      const key = `a${i % 8}`;
      tasks.push(
        scheduler.run(key, async () => {
          peak = Math.max(peak, scheduler.inFlight);
          await tick(Math.random() * 5);
          order.push(`${key}:${i}`);
        }),
      );
    }
    await Promise.all(tasks);
    expect(peak).toBe(3);
    for (let a = 0; a < 8; a++) {
      const seen = order.filter((o) => o.startsWith(`a${a}:`)).map((o) => Number(o.split(':')[1]));
      expect(seen).toEqual([...seen].sort((x, y) => x - y));
      expect(seen).toHaveLength(5);
    }
  });

  it('a failed task does not stop the scheduler, and its error reaches the caller', async () => {
    const scheduler = new KeyScheduler(1);
    await expect(scheduler.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(scheduler.run('a', async () => 7)).resolves.toBe(7);
  });
});

describe('OffsetTracker', () => {
  it('commits only up to the lowest unfinished offset', () => {
    const tracker = new OffsetTracker(['10', '11', '12', '13']);
    tracker.finish('12');
    expect(tracker.lastFinished).toBeUndefined();
    tracker.finish('10');
    expect(tracker.lastFinished).toBe('10');
    tracker.finish('11');
    expect(tracker.lastFinished).toBe('12');
    expect(tracker.complete).toBe(false);
    tracker.finish('13');
    expect(tracker.complete).toBe(true);
  });
});
