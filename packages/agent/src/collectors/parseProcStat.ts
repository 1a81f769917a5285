import { USEC_PER_TICK } from './cgroupCpuParsers.js';
import { decimalIn, MALFORMED } from './counterText.js';

/** Node-wide CPU counters from /proc/stat. */
export interface ProcStat {
  /** user+nice+system+irq+softirq+steal, µs summed over all CPUs (guest time is already inside user/nice). */
  readonly cpuBusyUsec: number;
  /** busy + idle + iowait, µs summed over all CPUs. */
  readonly cpuTotalUsec: number;
  /** Number of `cpuN` lines: logical CPUs online. */
  readonly cores: number;
  /** Boot time, seconds since the epoch (`btime`); 0 if absent. */
  readonly bootTimeSec: number;
}

/** 2^53: counters wrap here so they stay exact JS numbers (see ticksToSafeUsec). */
const SAFE_MODULUS = 2n ** 53n;

/**
 * Parses /proc/stat. The aggregate `cpu` line holds USER_HZ ticks:
 * `user nice system idle iowait irq softirq steal guest guest_nice` (fields after `idle` are
 * missing on old kernels and read 0). Returns undefined without a usable `cpu` line.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  let ticks: number[] | undefined;
  let cores = 0;
  let bootTimeSec = 0;
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    if (text.startsWith('cpu', pos)) {
      const c = text.charCodeAt(pos + 3);
      if (c === 32) ticks = fields(text, pos + 4, eol);
      else if (c >= 48 && c <= 57) cores += 1;
    } else if (text.startsWith('btime ', pos)) {
      const v = decimalIn(text, pos + 6, eol);
      if (v !== MALFORMED) bootTimeSec = v;
    }
    pos = eol + 1;
  }
  if (ticks === undefined || ticks.length < 4) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = ticks;
  const busy = user + nice + system + irq + softirq + steal;
  return {
    cpuBusyUsec: ticksToSafeUsec(busy),
    cpuTotalUsec: ticksToSafeUsec(busy + idle + iowait),
    cores,
    bootTimeSec,
  };
}

/**
 * Ticks to µs, kept below 2^53 (SPEC §4). A 256-CPU node passes 2^53 µs of summed CPU time after
 * ~1.1 years of uptime; past that the value wraps modulo 2^53, which the aggregator sees as one
 * counter reset (a dropped rate pair) instead of silently inexact numbers.
 */
export function ticksToSafeUsec(ticks: number): number {
  const usec = ticks * USEC_PER_TICK;
  if (Number.isSafeInteger(usec)) return usec;
  return Number((BigInt(ticks) * BigInt(USEC_PER_TICK)) % SAFE_MODULUS);
}

/** The space-separated decimals of text[start, end); stops at the first non-number. */
function fields(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  for (const part of text.slice(start, end).trim().split(/\s+/)) {
    const v = decimalIn(part, 0, part.length);
    if (v === MALFORMED) break;
    out.push(v);
  }
  return out;
}
