/** Small builders for PodMetricInput in core tests (times in ms, now = 0). */
import type { PodMetricInput } from '../../src/autoscaler/types.js';

/** Go's zero time: long before now. */
export const GO_ZERO_MS = -1e12;

/** A Running, Ready pod that started long ago, requesting `request` and using `usage` millicores. */
export function mkPod(name: string, over: Partial<PodMetricInput> & { request?: number | null } = {}): PodMetricInput {
  const { request = 1000, ...rest } = over;
  return {
    name,
    phase: 'Running',
    deleted: false,
    ready: true,
    readyTransitionMs: GO_ZERO_MS,
    startTimeMs: GO_ZERO_MS,
    containers: [{ name: 'c', cpuRequestMilli: request }],
    cpuUsageMilli: 500,
    metricTimestampMs: GO_ZERO_MS,
    metricWindowMs: 0,
    ...rest,
  };
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
