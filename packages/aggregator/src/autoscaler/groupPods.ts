/** Pod grouping for the CPU utilization calculation (reference §3.3, Kubernetes `groupPods`). */
import type { PodMetricInput } from './types.js';

/** The four groups; `readyPodCount` counts the pods whose metric is used as is. */
export interface PodGroups {
  readonly readyPodCount: number;
  /** Pending, or not ready for CPU purposes: metric dropped, counted as 0 only on a scale-up. */
  readonly unready: ReadonlySet<string>;
  /** No metric: filled in by the slow path. */
  readonly missing: ReadonlySet<string>;
  /** Deleted or Failed: dropped entirely. */
  readonly ignored: ReadonlySet<string>;
}

/** Timing knobs of the CPU readiness rules, in ms. */
export interface ReadinessTiming {
  readonly nowMs: number;
  readonly cpuInitializationPeriodMs: number;
  readonly initialReadinessDelayMs: number;
}

/**
 * Groups pods in Kubernetes' order: ignored, then Pending (unready even without a metric), then
 * missing (before the readiness check, so an unready pod without a metric is *missing*), then the
 * CPU readiness rules. Comparisons are strict exactly where Kubernetes uses After/Before.
 */
export function groupPods(pods: readonly PodMetricInput[], timing: ReadinessTiming): PodGroups {
  let readyPodCount = 0;
  const unready = new Set<string>();
  const missing = new Set<string>();
  const ignored = new Set<string>();
  for (const pod of pods) {
    if (pod.deleted || pod.phase === 'Failed') {
      ignored.add(pod.name);
    } else if (pod.phase === 'Pending') {
      unready.add(pod.name);
    } else if (pod.cpuUsageMilli === null) {
      missing.add(pod.name);
    } else if (isCpuUnready(pod, timing)) {
      unready.add(pod.name);
    } else {
      readyPodCount++;
    }
  }
  return { readyPodCount, unready, missing, ignored };
}

function isCpuUnready(pod: PodMetricInput, t: ReadinessTiming): boolean {
  if (pod.ready === null || pod.startTimeMs === null) return true;
  const notReady = pod.ready === false;
  if (pod.startTimeMs + t.cpuInitializationPeriodMs > t.nowMs) {
    // Still initializing: only samples taken one full window after becoming ready count.
    // Equal times count as fresh (Before is strict).
    return notReady || pod.metricTimestampMs < pod.readyTransitionMs + pod.metricWindowMs;
  }
  // Past initialization: drop only a pod that has never been ready (its last transition came
  // within the initial readiness delay). A pod that was ready and then became unready counts.
  return notReady && pod.startTimeMs + t.initialReadinessDelayMs > pod.readyTransitionMs;
}
