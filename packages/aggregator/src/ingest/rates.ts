/**
 * CPU rates from cumulative counters (GUIDE §4, metrics-server `resourceUsage(last, prev)`):
 * pure functions of two timestamped samples. The wall clock is never used: time is the node's
 * CLOCK_MONOTONIC, which is only comparable within one boot.
 */

/** One reading of a cumulative CPU counter. */
export interface CounterSample {
  /** Cumulative CPU time, µs. */
  readonly usageUsec: number;
  /** Node CLOCK_MONOTONIC at the reading, µs. */
  readonly monoUsec: number;
  /** Boot the monotonic clock belongs to. */
  readonly bootId: string;
}

export interface Rate {
  /** Average CPU over the window, in cores (1.0 = one CPU fully busy). */
  readonly cores: number;
  /** Length of the window the rate covers, ms. */
  readonly windowMs: number;
}

export type NoRateReason = 'first-sample' | 'other-boot' | 'time-not-advancing' | 'counter-reset' | 'implausible';

/**
 * The average CPU between prev and cur, or the reason there is none:
 * - a counter that went backwards (container restarted with the same id, cgroup recreated) or
 *   dropped to 0 after a non-zero value (container just removed) gives no rate, never a negative one;
 * - a time that does not advance (duplicate or reordered sample) gives no rate, never a division by 0;
 * - samples of different boots are not comparable;
 * - more cores than `maxCores` (when given) is implausible: a corrupt sample, not a spike.
 */
export function cpuRate(prev: CounterSample | undefined, cur: CounterSample, maxCores = Infinity): Rate | NoRateReason {
  if (!prev) return 'first-sample';
  const r = cpuRateCores(prev.usageUsec, prev.monoUsec, prev.bootId, cur.usageUsec, cur.monoUsec, cur.bootId, maxCores);
  return typeof r === 'number' ? { cores: r, windowMs: (cur.monoUsec - prev.monoUsec) / 1000 } : r;
}

/**
 * cpuRate on plain numbers, for the ingest hot path (it allocates nothing): the average in cores,
 * or the reason there is none, under exactly the rules of cpuRate. The window is
 * `(curMonoUsec - prevMonoUsec) / 1000` ms.
 */
export function cpuRateCores(
  prevUsageUsec: number, prevMonoUsec: number, prevBootId: string,
  curUsageUsec: number, curMonoUsec: number, curBootId: string,
  maxCores = Infinity,
): number | Exclude<NoRateReason, 'first-sample'> {
  if (prevBootId !== curBootId) return 'other-boot';
  const dt = curMonoUsec - prevMonoUsec;
  if (!(dt > 0)) return 'time-not-advancing';
  const du = curUsageUsec - prevUsageUsec;
  if (du < 0 || (curUsageUsec === 0 && prevUsageUsec > 0)) return 'counter-reset';
  const cores = du / dt;
  // 5% slack: the counter and the clock are not read at exactly the same instant.
  if (!Number.isFinite(cores) || cores > maxCores * 1.05) return 'implausible';
  return cores;
}

/** Type guard for the result of cpuRate. */
export function isRate(r: Rate | NoRateReason): r is Rate {
  return typeof r === 'object';
}
