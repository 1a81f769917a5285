import type { PodMetricInput } from '../autoscaler/types.js';
import type { DriverPod } from '../drivers/types.js';
import { podCpu, type PodState } from '../ingest/fleetState.js';

/**
 * CPU in whole millicores as the Kubernetes resource-metrics path delivers it: metrics-server
 * reports nanocores and the HPA reads `MilliValue()`, which rounds up.
 */
export function coresToMilli(cores: number): number {
  const nano = Math.floor(cores * 1e9);
  return Math.ceil(nano / 1e6);
}

/**
 * The HPA's view of one pod: the driver's object (phase, readiness, start, requests) joined with
 * the latest measured rate. A pod with no fresh sample has no metric (`cpuUsageMilli: null`).
 */
export function podMetricInput(pod: DriverPod, measured: PodState | undefined, nowMs: number, maxAgeMs: number): PodMetricInput {
  const rate = measured ? podCpu(measured) : undefined;
  const fresh = measured !== undefined && rate !== undefined && nowMs - measured.sampleTimeMs <= maxAgeMs;
  return {
    name: pod.name,
    phase: pod.phase,
    deleted: pod.deleted,
    ready: pod.ready ?? null,
    readyTransitionMs: pod.readyTransitionMs ?? 0,
    startTimeMs: pod.startTimeMs ?? null,
    containers: pod.containers.map((c) => ({ name: c.name, cpuRequestMilli: c.cpuRequestMilli ?? null })),
    ...(pod.cpuRequestMilli === undefined ? {} : { podCpuRequestMilli: pod.cpuRequestMilli }),
    cpuUsageMilli: fresh ? coresToMilli(rate.cores) : null,
    metricTimestampMs: fresh ? measured.sampleTimeMs : 0,
    metricWindowMs: fresh ? Math.max(1, Math.round(rate.windowMs)) : 0,
  };
}

/** A short summary of what a decision saw, for the decision log and `describe hpa`. */
export function inputsBrief(pods: readonly PodMetricInput[]): Record<string, unknown> {
  let withMetric = 0;
  let ready = 0;
  let usage = 0;
  let request = 0;
  for (const p of pods) {
    if (p.ready === true) ready++;
    if (p.cpuUsageMilli !== null) {
      withMetric++;
      usage += p.cpuUsageMilli;
    }
    if (p.podCpuRequestMilli !== undefined && p.podCpuRequestMilli !== null) request += p.podCpuRequestMilli;
    else for (const c of p.containers) request += c.cpuRequestMilli ?? 0;
  }
  return { pods: pods.length, ready, withMetric, missing: pods.length - withMetric, usageMilli: usage, requestMilli: request };
}
