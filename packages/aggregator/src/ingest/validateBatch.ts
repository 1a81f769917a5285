import type { IMetricsBatch } from '@hms-sys/protocol';

/** Limits on one batch beyond the frame-size limit; a batch over them is refused, not trimmed. */
export const MAX_PODS_PER_BATCH = 5_000;
export const MAX_CONTAINERS_PER_POD = 100;
const MAX_STRING = 512;

function safeCount(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0);
}

/**
 * Checks a decoded batch against the contract (SPEC §4): every counter a non-negative integer
 * below 2^53, bounded sizes, bounded strings. Returns what is wrong, or undefined when valid.
 * Hostile or buggy input must never reach the rate math.
 */
export function validateBatch(b: IMetricsBatch): string | undefined {
  const seq = b.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return 'seq must be an integer >= 1 below 2^53';
  if (!safeCount(b.monotonicUsec)) return 'monotonic_usec out of range';
  if (b.collectedAtMs !== undefined && b.collectedAtMs !== null && !Number.isSafeInteger(b.collectedAtMs)) return 'collected_at_ms out of range';
  const u = b.nodeUsage;
  if (u) {
    if (!safeCount(u.cpuBusyUsec)) return 'node_usage.cpu_busy_usec out of range';
    if (!safeCount(u.cpuTotalUsec)) return 'node_usage.cpu_total_usec out of range';
    if (!safeCount(u.memoryTotalBytes)) return 'node_usage.memory_total_bytes out of range';
    if (!safeCount(u.memoryAvailableBytes)) return 'node_usage.memory_available_bytes out of range';
  }
  const pods = b.pods ?? [];
  if (pods.length > MAX_PODS_PER_BATCH) return `too many pods in one batch (${pods.length} > ${MAX_PODS_PER_BATCH})`;
  for (let i = 0; i < pods.length; i++) {
    const p = pods[i];
    if (!p) continue;
    if ((p.uid ?? '').length > MAX_STRING || (p.name ?? '').length > MAX_STRING || (p.namespace ?? '').length > MAX_STRING || (p.cgroupPath ?? '').length > 4 * MAX_STRING) {
      return `pods[${i}] has an over-long string`;
    }
    if (!safeCount(p.cpuUsageUsec)) return `pods[${i}].cpu_usage_usec out of range`;
    const cs = p.containers ?? [];
    if (cs.length > MAX_CONTAINERS_PER_POD) return `pods[${i}] has too many containers (${cs.length})`;
    for (let j = 0; j < cs.length; j++) {
      const c = cs[j];
      if (!c) continue;
      if ((c.id ?? '').length > MAX_STRING || (c.name ?? '').length > MAX_STRING) return `pods[${i}].containers[${j}] has an over-long string`;
      // Checked one by one: this runs for every container of every batch (no array per container).
      if (!safeCount(c.cpuUsageUsec) || !safeCount(c.cpuThrottledUsec) || !safeCount(c.nrThrottled) || !safeCount(c.nrPeriods) || !safeCount(c.cpuUserUsec) || !safeCount(c.cpuSystemUsec)) {
        return `pods[${i}].containers[${j}] has a counter out of range`;
      }
    }
  }
  return undefined;
}
