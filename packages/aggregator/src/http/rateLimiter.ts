/**
 * Token buckets (issue 8: rate limits on the agent and feed endpoints). Pure: time comes from the
 * caller as monotonic milliseconds, so tests drive it without sleeping (GUIDE §6).
 */

/** `capacity` tokens, refilled continuously at `ratePerSec`; each event takes one. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerSec: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.lastMs = nowMs;
  }

  /** Takes one token; false when the bucket is empty (the event is over the limit). */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True when the bucket has refilled completely (nothing to remember about this key). */
  full(nowMs: number): boolean {
    this.refill(nowMs);
    return this.tokens >= this.capacity;
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.lastMs);
    this.lastMs = Math.max(this.lastMs, nowMs);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSec) / 1000);
  }
}

/** Outcome of KeyedRateLimiter.take: `limited-first` is the first refusal after an allowed event. */
export type RateDecision = 'ok' | 'limited-first' | 'limited';

/**
 * One token bucket per key (a remote address, a caller), bounded in number: a flood from many
 * addresses cannot grow the map beyond `maxKeys` (buckets that refilled are forgotten first, then
 * the oldest). `ratePerSec` 0 disables the limit.
 */
export class KeyedRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; limited: boolean }>();

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly nowMs: () => number,
    private readonly maxKeys = 10_000,
  ) {}

  get enabled(): boolean {
    return this.ratePerSec > 0;
  }

  take(key: string): RateDecision {
    if (!this.enabled) return 'ok';
    const now = this.nowMs();
    let entry = this.buckets.get(key);
    if (!entry) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      entry = { bucket: new TokenBucket(this.ratePerSec, Math.max(1, this.burst), now), limited: false };
      this.buckets.set(key, entry);
    }
    if (entry.bucket.take(now)) {
      entry.limited = false;
      return 'ok';
    }
    if (entry.limited) return 'limited';
    entry.limited = true;
    return 'limited-first';
  }

  /** Keys tracked now (for tests and bounds checks). */
  get size(): number {
    return this.buckets.size;
  }

  private evict(now: number): void {
    for (const [key, e] of this.buckets) if (e.bucket.full(now)) this.buckets.delete(key);
    // Still full of active keys: drop the oldest tenth (insertion order).
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.max(1, Math.floor(this.maxKeys / 10));
      for (const key of this.buckets.keys()) {
        this.buckets.delete(key);
        if (--n <= 0) break;
      }
    }
  }
}
