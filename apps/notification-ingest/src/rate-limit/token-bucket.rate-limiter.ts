export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * Per-key token bucket, in process: `ratePerSecond` sustained, `burst` at once. Keys are authenticated
 * customerIds (bounded by the credentials file), so the map cannot be grown by strangers. A rate of 0
 * turns limiting off. Several ingest instances each apply the limit on their own (documented).
 */
export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string): RateDecision {
    if (this.ratePerSecond <= 0) return { allowed: true };
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, refilledAt: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.ratePerSecond);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerSecond)) };
  }
}
