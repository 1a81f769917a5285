/**
 * A fixed-memory latency histogram: 10 µs buckets below 1 ms, then buckets 1 % wide up to
 * ~10 minutes, so percentiles are within 1 % (or 10 µs) whatever the count. The exact maximum
 * and mean are kept on the side.
 */
export class LatencyHistogram {
  private static readonly LINEAR = 100;
  private static readonly GROWTH = Math.log(1.01);
  private static readonly BUCKETS = LatencyHistogram.LINEAR + Math.ceil(Math.log(600_000) / LatencyHistogram.GROWTH) + 1;
  private readonly counts = new Float64Array(LatencyHistogram.BUCKETS);
  count = 0;
  private sumMs = 0;
  maxMs = 0;

  /** Records one latency, in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const v = ms > 0 ? ms : 0;
    const i = v < 1
      ? Math.floor(v * 100)
      : Math.min(LatencyHistogram.BUCKETS - 1, LatencyHistogram.LINEAR + Math.floor(Math.log(v) / LatencyHistogram.GROWTH));
    this.counts[i] = (this.counts[i] as number) + 1;
    this.count++;
    this.sumMs += v;
    if (v > this.maxMs) this.maxMs = v;
  }

  /** The q-quantile (0..1), ms: the upper edge of the bucket holding it (never above the max). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] as number;
      if (seen >= rank) return Math.min(this.maxMs, LatencyHistogram.upperEdge(i));
    }
    return this.maxMs;
  }

  get meanMs(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  /** Share of recorded values at or below `ms` (bucket resolution). */
  shareAtMost(ms: number): number {
    if (this.count === 0) return 1;
    let seen = 0;
    for (let i = 0; i < this.counts.length && LatencyHistogram.upperEdge(i) <= ms; i++) seen += this.counts[i] as number;
    return seen / this.count;
  }

  private static upperEdge(i: number): number {
    return i < LatencyHistogram.LINEAR ? (i + 1) / 100 : Math.exp((i - LatencyHistogram.LINEAR + 1) * LatencyHistogram.GROWTH);
  }
}
