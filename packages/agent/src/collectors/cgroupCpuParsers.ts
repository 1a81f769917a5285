import { ABSENT, keyValue, MALFORMED, nsAsUsecIn } from './counterText.js';

/**
 * Pure parsers of the cgroup CPU files (GUIDE §3: read apart from parse). Each returns
 * `undefined` for content it cannot trust; unknown keys are ignored (kernels add fields).
 * All durations are microseconds, all values safe integers.
 */

/** USER_HZ: `cpuacct.stat` and /proc/stat count in 1/100 s on every Linux architecture we run on. */
export const USER_HZ = 100;
/** Microseconds per USER_HZ tick. */
export const USEC_PER_TICK = 1_000_000 / USER_HZ;

/** cgroup v2 `cpu.stat`. Throttling fields are 0 when the cpu controller is not enabled for the cgroup. */
export interface CpuStatV2 {
  /** Cumulative CPU time of the cgroup and its descendants. */
  readonly usageUsec: number;
  readonly userUsec: number;
  readonly systemUsec: number;
  readonly nrPeriods: number;
  readonly nrThrottled: number;
  /** Throttling caused by this cgroup's own `cpu.max` (not hierarchical). */
  readonly throttledUsec: number;
}

/**
 * Parses v2 `cpu.stat`. Requires `usage_usec`; another missing field reads 0; a known field with
 * a value that is not a safe decimal makes the whole file malformed.
 */
export function parseCpuStatV2(text: string): CpuStatV2 | undefined {
  const usageUsec = keyValue(text, 'usage_usec');
  const userUsec = keyValue(text, 'user_usec');
  const systemUsec = keyValue(text, 'system_usec');
  const nrPeriods = keyValue(text, 'nr_periods');
  const nrThrottled = keyValue(text, 'nr_throttled');
  const throttledUsec = keyValue(text, 'throttled_usec');
  if (usageUsec < 0) return undefined;
  if (userUsec === MALFORMED || systemUsec === MALFORMED || nrPeriods === MALFORMED) return undefined;
  if (nrThrottled === MALFORMED || throttledUsec === MALFORMED) return undefined;
  return {
    usageUsec,
    userUsec: orZero(userUsec),
    systemUsec: orZero(systemUsec),
    nrPeriods: orZero(nrPeriods),
    nrThrottled: orZero(nrThrottled),
    throttledUsec: orZero(throttledUsec),
  };
}

/** Parses v1 `cpuacct.usage` (one number, nanoseconds) into microseconds. */
export function parseCpuacctUsage(text: string): number | undefined {
  const usec = nsAsUsecIn(text, 0, text.length);
  return usec === MALFORMED ? undefined : usec;
}

/** v1 `cpuacct.stat`, converted from USER_HZ ticks (coarse: 10 ms steps). */
export interface CpuacctStat {
  readonly userUsec: number;
  readonly systemUsec: number;
}

/** Parses v1 `cpuacct.stat` (`user N`, `system N` in USER_HZ ticks); both lines required. */
export function parseCpuacctStat(text: string): CpuacctStat | undefined {
  const user = keyValue(text, 'user');
  const system = keyValue(text, 'system');
  if (user < 0 || system < 0) return undefined;
  const userUsec = user * USEC_PER_TICK;
  const systemUsec = system * USEC_PER_TICK;
  return Number.isSafeInteger(userUsec) && Number.isSafeInteger(systemUsec) ? { userUsec, systemUsec } : undefined;
}

/** v1 `cpu.stat` (CFS bandwidth) with `throttled_time` converted from ns to µs. */
export interface CpuStatV1 {
  readonly nrPeriods: number;
  readonly nrThrottled: number;
  readonly throttledUsec: number;
}

/** Parses v1 `cpu.stat`; `nr_periods`, `nr_throttled` and `throttled_time` (ns) are required. */
export function parseCpuStatV1(text: string): CpuStatV1 | undefined {
  const nrPeriods = keyValue(text, 'nr_periods');
  const nrThrottled = keyValue(text, 'nr_throttled');
  const throttledUsec = keyValue(text, 'throttled_time', nsAsUsecIn);
  if (nrPeriods < 0 || nrThrottled < 0 || throttledUsec < 0) return undefined;
  return { nrPeriods, nrThrottled, throttledUsec };
}

function orZero(v: number): number {
  return v === ABSENT ? 0 : v;
}
