import { TokenBucketRateLimiter } from './token-bucket.rate-limiter';

describe('TokenBucketRateLimiter', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 0));

  it('allows a burst, then refuses until tokens refill at the configured rate', () => {
    const limiter = new TokenBucketRateLimiter(2, 3, now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock = 499;
    expect(limiter.take('a').allowed).toBe(false);
    clock = 1000; // 2 tokens per second: one more after 500 ms, so 1 left at 1000 ms after the previous take
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('keeps one bucket per key', () => {
    const limiter = new TokenBucketRateLimiter(1, 1, now);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never holds more than the burst, however long it idles', () => {
    const limiter = new TokenBucketRateLimiter(100, 2, now);
    limiter.take('a');
    clock = 3_600_000;
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false]);
  });

  it('is off when the rate is 0', () => {
    const limiter = new TokenBucketRateLimiter(0, 1, now);
    expect(Array.from({ length: 50 }, () => limiter.take('a').allowed).every(Boolean)).toBe(true);
  });

  it('tells how long to wait at a slow rate', () => {
    const limiter = new TokenBucketRateLimiter(0.1, 1, now);
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});
