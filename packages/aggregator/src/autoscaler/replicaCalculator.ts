/**
 * CPU utilization → replica proposal (reference §4, Kubernetes `GetResourceReplicas`).
 */
import { groupPods } from './groupPods.js';
import { podRequests } from './podRequests.js';
import { isWithinTolerance } from './tolerance.js';
import { truncDiv } from './intMath.js';
import type { PodMetricInput, Tolerance } from './types.js';
import { utilizationRatio } from './utilizationRatio.js';

export interface CpuReplicasInput {
  /** Pods selected by the autoscaler (names unique). */
  readonly pods: readonly PodMetricInput[];
  /** scale.spec.replicas. */
  readonly currentReplicas: number;
  readonly targetUtilizationPercent: number;
  readonly tolerance: Tolerance;
  readonly nowMs: number;
  readonly cpuInitializationPeriodMs: number;
  readonly initialReadinessDelayMs: number;
}

export type CpuReplicasResult =
  | {
      readonly ok: true;
      /** The proposal for this metric. */
      readonly replicas: number;
      /** First-pass utilization (what Kubernetes reports), percent. */
      readonly utilizationPercent: number;
      /** First-pass average usage per counted pod, millicores. */
      readonly rawAverageMilli: number;
    }
  | { readonly ok: false; readonly error: string };

/**
 * Computes the replica proposal with Kubernetes' fast path (no missing pods, no scale-up with unready
 * pods: `ceil(ratio * readyPodCount)`) and slow path (missing pods filled in, unready pods added as 0
 * on a scale-up, ratio recomputed, two "direction change" guards, `ceil(newRatio * entries)`).
 * Errors carry Kubernetes' wording; the caller reports FailedGetResourceMetric.
 */
export function computeCpuReplicas(input: CpuReplicasInput): CpuReplicasResult {
  const { pods, currentReplicas, targetUtilizationPercent: target, tolerance } = input;
  const metrics = new Map<string, number>();
  for (const pod of pods) if (pod.cpuUsageMilli !== null) metrics.set(pod.name, pod.cpuUsageMilli);
  if (metrics.size === 0) {
    return { ok: false, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' };
  }

  const groups = groupPods(pods, {
    nowMs: input.nowMs,
    cpuInitializationPeriodMs: input.cpuInitializationPeriodMs,
    initialReadinessDelayMs: input.initialReadinessDelayMs,
  });
  for (const name of groups.ignored) metrics.delete(name);
  for (const name of groups.unready) metrics.delete(name);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };

  const req = podRequests(pods);
  if (!req.ok) return req;
  const first = utilizationRatio(metrics, req.requests, target);
  if (!first.ok) return first;
  const { ratio, utilizationPercent, rawAverageMilli } = first.value;
  const done = (replicas: number): CpuReplicasResult => ({ ok: true, replicas, utilizationPercent, rawAverageMilli });

  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1.0;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (isWithinTolerance(ratio, tolerance)) return done(currentReplicas);
    // Multiplier is the number of ready pods with metrics, not currentReplicas.
    return done(Math.ceil(ratio * groups.readyPodCount));
  }

  if (ratio < 1.0) {
    // Scale-down: a missing pod is assumed busy, at 100 % of its request or the target if higher.
    const fallbackPercent = Math.max(100, target);
    for (const name of groups.missing) metrics.set(name, truncDiv((req.requests.get(name) ?? 0) * fallbackPercent, 100));
  } else if (ratio > 1.0) {
    for (const name of groups.missing) metrics.set(name, 0);
  } // exactly 1.0: missing pods are not added at all
  if (scaleUpWithUnready) for (const name of groups.unready) metrics.set(name, 0);

  const second = utilizationRatio(metrics, req.requests, target);
  if (!second.ok) return second;
  const newRatio = second.value.ratio;
  if (isWithinTolerance(newRatio, tolerance) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
    return done(currentReplicas);
  }
  const newReplicas = Math.ceil(newRatio * metrics.size);
  // The pod count can differ from spec.replicas (rolling update): do not move against the ratio.
  if ((newRatio < 1.0 && newReplicas > currentReplicas) || (newRatio > 1.0 && newReplicas < currentReplicas)) {
    return done(currentReplicas);
  }
  return done(newReplicas);
}
