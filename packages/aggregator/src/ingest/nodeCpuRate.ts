/** Cumulative node CPU from /proc/stat, µs of CPU time summed over all CPUs. */
export interface NodeCpuSample {
  readonly busyUsec: number;
  readonly totalUsec: number;
  readonly cores: number;
}

/**
 * Node CPU in cores between two /proc/stat readings: the busy share of all CPU time that passed,
 * times the number of CPUs. Both counters come from one read, so no clock is involved.
 * Undefined when the counters did not advance or went backwards (reboot, hotplug).
 */
export function nodeCpuRate(prev: NodeCpuSample | undefined, cur: NodeCpuSample): number | undefined {
  if (!prev) return undefined;
  const dTotal = cur.totalUsec - prev.totalUsec;
  const dBusy = cur.busyUsec - prev.busyUsec;
  if (!(dTotal > 0) || dBusy < 0 || dBusy > dTotal) return undefined;
  return (dBusy / dTotal) * cur.cores;
}
