import { hmsError } from '@hms-sys/common';
import { cpuMilli } from '../cpuQuantity.js';

/**
 * CPU quantities and their cgroup settings (reference/cgroups-and-metrics.md §2). Pure.
 * Millicores ("m") throughout: 1000 m = one core.
 */

/**
 * Parses a Kubernetes CPU quantity (`250m`, `0.5`, `2`, `1k`, `5e-1`, or a JSON number of cores)
 * into millicores, rounded up like `Quantity.MilliValue()`. Throws HMS_INPUT_INVALID naming
 * `field` when it is not a quantity.
 */
export function parseCpuQuantity(value: unknown, field: string): number {
  const milli = cpuMilli(value);
  if (milli === undefined) {
    const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
    throw hmsError('HMS_INPUT_INVALID', `${field} must be a CPU quantity such as 250m, 0.5 or 2 (got ${text})`);
  }
  return milli;
}

/** Formats millicores the way kubectl shows requests: 250 -> "250m", 2000 -> "2". */
export function formatCpuMilli(milli: number | undefined): string {
  if (milli === undefined) return '-';
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Kernel bounds of cgroup v1 cpu.shares (kubelet MinShares / MaxShares). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
/** CFS period in µs (kubelet QuotaPeriod). */
export const CFS_PERIOD_USEC = 100_000;
/** Smallest CFS quota the kernel accepts, µs (kubelet MinQuotaPeriod). */
export const MIN_CFS_QUOTA_USEC = 1_000;

/** cgroup v1 cpu.shares for a request in millicores (kubelet MilliCPUToShares). 0/none -> 2. */
export function sharesFromMilli(requestMilli: number | undefined): number {
  if (!requestMilli || requestMilli <= 0) return MIN_SHARES;
  const shares = Math.floor((requestMilli * 1024) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** CFS quota in µs per CFS_PERIOD_USEC for a limit in millicores; undefined = unlimited. */
export function quotaFromMilli(limitMilli: number | undefined): number | undefined {
  if (!limitMilli || limitMilli <= 0) return undefined;
  return Math.max(MIN_CFS_QUOTA_USEC, Math.floor((limitMilli * CFS_PERIOD_USEC) / 1000));
}

/**
 * cgroup v2 cpu.weight from v1 shares with the linear KEP-2254 formula the kubelet uses for pod
 * cgroups (`1 + (shares-2)*9999/262142`, integer arithmetic). The same formula is used for
 * container cgroups here so that one inverse recovers every request the local driver wrote.
 */
export function weightFromShares(shares: number): number {
  const s = Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
  return 1 + Math.floor(((s - 2) * 9999) / 262_142);
}

/** The CPU settings of one cgroup: what requests and limits turn into. */
export interface CgroupCpuSettings {
  /** v1 cpu.shares. */
  readonly shares: number;
  /** v2 cpu.weight. */
  readonly weight: number;
  /** CFS quota in µs per `periodUsec`; undefined = unlimited (v1 -1, v2 "max"). */
  readonly quotaUsec: number | undefined;
  readonly periodUsec: number;
}

/** Settings for a request/limit pair in millicores. A limit without a request sets shares from the limit. */
export function cpuSettings(requestMilli: number | undefined, limitMilli: number | undefined): CgroupCpuSettings {
  const shares = sharesFromMilli(requestMilli ?? limitMilli);
  return { shares, weight: weightFromShares(shares), quotaUsec: quotaFromMilli(limitMilli), periodUsec: CFS_PERIOD_USEC };
}

/**
 * Pod-level settings (kubelet ResourceConfigForPod): shares from the summed requests; a quota only
 * when every container has a limit (otherwise the pod is unbounded).
 */
export function podCpuSettings(containers: readonly { cpuRequestMilli?: number; cpuLimitMilli?: number }[]): CgroupCpuSettings {
  let request = 0;
  let limit = 0;
  let allLimited = containers.length > 0;
  for (const c of containers) {
    request += c.cpuRequestMilli ?? c.cpuLimitMilli ?? 0;
    if (c.cpuLimitMilli === undefined) allLimited = false;
    else limit += c.cpuLimitMilli;
  }
  const shares = sharesFromMilli(request);
  return { shares, weight: weightFromShares(shares), quotaUsec: allLimited ? quotaFromMilli(limit) : undefined, periodUsec: CFS_PERIOD_USEC };
}
