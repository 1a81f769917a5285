/**
 * One reconcile of one autoscaler (reference §2, Kubernetes `reconcileAutoscaler`), as a pure function.
 */
import { CPU_METRIC_NAME, LIMIT_MESSAGE, MESSAGE, REASON, setCondition } from './conditions.js';
import { normalizeLegacy } from './normalizeLegacy.js';
import { normalizeWithBehavior } from './normalizeWithBehavior.js';
import { computeCpuReplicas } from './replicaCalculator.js';
import { storeScaleEvent } from './scaleEvents.js';
import { effectiveTolerance } from './tolerance.js';
import type { AutoscalerCondition, AutoscalerDecision, AutoscalerHistory, AutoscalerSpec, LimitReason, PodMetricInput } from './types.js';

export interface DecideReplicasInput {
  /** Defaults already applied. */
  readonly spec: AutoscalerSpec;
  /** scale.spec.replicas: the desired count in the spec, not the number of running pods. */
  readonly currentReplicas: number;
  readonly pods: readonly PodMetricInput[];
  /** ms since the epoch. */
  readonly nowMs: number;
  /** null = first sight: `{currentReplicas, now}` is recorded first, so no scale-down for one window. */
  readonly history: AutoscalerHistory | null;
  /** Skip the metric calculation and normalize this raw proposal instead (SPEC §5 `recommendation`). */
  readonly recommendationOverride?: number;
}

/**
 * Decides the replica count for one autoscaler. Branches in Kubernetes' order: scaling disabled
 * (current 0 with min != 0), current above max, current below min (no metrics read in these), else
 * the CPU proposal normalized by the legacy path (behavior null) or the behavior path. The returned
 * history has the new recommendation and, when behavior is set and the count changes, the scale event.
 */
export function decideReplicas(input: DecideReplicasInput): AutoscalerDecision {
  const { spec, currentReplicas: current, nowMs } = input;
  let history: AutoscalerHistory = input.history ?? {
    recommendations: [{ replicas: current, timestampMs: nowMs }],
    scaleUpEvents: [],
    scaleDownEvents: [],
  };
  let conditions: AutoscalerCondition[] = setCondition([], 'AbleToScale', true, REASON.SucceededGetScale, MESSAGE.SucceededGetScale);
  const override = input.recommendationOverride;
  const base = { recommendation: override ?? null, cpuUtilizationPercent: null, rawAverageMilli: null, limitReason: null };

  if (current === 0 && spec.minReplicas !== 0) {
    conditions = setCondition(conditions, 'ScalingActive', false, REASON.ScalingDisabled, MESSAGE.ScalingDisabled);
    return { ...base, desiredReplicas: current, rescale: false, conditions, rescaleReason: null, history };
  }

  let desired: number;
  let rescaleReason: string | null;
  let proposal: number | null = override ?? null;
  let utilization: { percent: number; rawAverageMilli: number } | null = null;
  let limitReason: LimitReason | null = null;
  if (current > spec.maxReplicas) {
    desired = spec.maxReplicas;
    rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
  } else if (current < spec.minReplicas) {
    desired = spec.minReplicas;
    rescaleReason = 'Current number of replicas below Spec.MinReplicas';
  } else {
    if (proposal === null) {
      const cpu = computeCpuReplicas({
        pods: input.pods,
        currentReplicas: current,
        targetUtilizationPercent: spec.targetCPUUtilizationPercentage,
        tolerance: effectiveTolerance(spec),
        nowMs,
        cpuInitializationPeriodMs: spec.cpuInitializationPeriodSeconds * 1000,
        initialReadinessDelayMs: spec.initialReadinessDelaySeconds * 1000,
      });
      if (!cpu.ok) {
        // Every metric failed: nothing is scaled and no normalization runs.
        conditions = setCondition(conditions, 'ScalingActive', false, REASON.FailedGetResourceMetric, MESSAGE.FailedGetResourceMetric(cpu.error));
        return { ...base, desiredReplicas: current, rescale: false, conditions, rescaleReason: null, error: cpu.error, history };
      }
      proposal = cpu.replicas;
      utilization = { percent: cpu.utilizationPercent, rawAverageMilli: cpu.rawAverageMilli };
    }
    conditions = setCondition(conditions, 'ScalingActive', true, REASON.ValidMetricFound, MESSAGE.ValidMetricFound);
    rescaleReason = proposal > current ? `${CPU_METRIC_NAME} above target` : proposal < current ? 'All metrics below target' : null;
    const args = { currentReplicas: current, proposal, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, nowMs };
    const outcome =
      spec.behavior === null
        ? normalizeLegacy({
            ...args,
            recommendations: history.recommendations,
            downscaleStabilizationWindowSeconds: spec.downscaleStabilizationWindowSeconds,
            scaleUpLimitFactor: spec.scaleUpLimitFactor,
            scaleUpLimitMinimum: spec.scaleUpLimitMinimum,
          })
        : normalizeWithBehavior({ ...args, behavior: spec.behavior, history });
    history = { ...history, recommendations: outcome.recommendations };
    const stabilizationMessage = outcome.stabilizationReason === 'ReadyForNewScale' ? MESSAGE.ReadyForNewScale : MESSAGE[outcome.stabilizationReason];
    conditions = setCondition(conditions, 'AbleToScale', true, outcome.stabilizationReason, stabilizationMessage);
    const limited = outcome.desiredReplicas !== outcome.stabilizedReplicas;
    conditions = setCondition(conditions, 'ScalingLimited', limited, outcome.limitReason, LIMIT_MESSAGE[outcome.limitReason]);
    desired = outcome.desiredReplicas;
    limitReason = outcome.limitReason;
  }

  const rescale = desired !== current;
  if (rescale) {
    conditions = setCondition(conditions, 'AbleToScale', true, REASON.SucceededRescale, MESSAGE.SucceededRescale(desired));
    history = storeScaleEvent(history, spec.behavior, current, desired, nowMs);
  }
  return {
    desiredReplicas: rescale ? desired : current,
    rescale,
    recommendation: proposal,
    cpuUtilizationPercent: utilization?.percent ?? null,
    rawAverageMilli: utilization?.rawAverageMilli ?? null,
    limitReason,
    conditions,
    rescaleReason,
    history,
  };
}
