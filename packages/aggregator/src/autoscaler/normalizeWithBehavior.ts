/**
 * Normalization with `spec.behavior` (reference §7, Kubernetes `normalizeDesiredReplicasWithBehaviors`).
 */
import { toInt } from './intMath.js';
import { periodStartReplicas } from './scaleEvents.js';
import type { AutoscalerHistory, Behavior, LimitReason, NormalizationOutcome, ScalingRules, TimestampedRecommendation } from './types.js';

export interface WithBehaviorInput {
  readonly currentReplicas: number;
  /** Metric proposal (prenormalized desired). */
  readonly proposal: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly nowMs: number;
  readonly behavior: Behavior;
  readonly history: AutoscalerHistory;
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/**
 * Two-window stabilization: the minimum over the scale-up window and the maximum over the
 * scale-down window (both strictly newer than their cutoff), then currentReplicas is clamped into
 * [upRec, downRec]. The proposal is stored over the last entry older than both cutoffs, else appended.
 */
export function stabilizeWithBehavior(
  recommendations: readonly TimestampedRecommendation[],
  proposal: number,
  currentReplicas: number,
  nowMs: number,
  behavior: Behavior,
): { readonly stabilized: number; readonly recommendations: TimestampedRecommendation[] } {
  const upCutoff = nowMs - behavior.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = nowMs - behavior.scaleDown.stabilizationWindowSeconds * 1000;
  let upRec = proposal;
  let downRec = proposal;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestampMs > upCutoff) upRec = Math.min(rec.replicas, upRec);
    if (rec.timestampMs > downCutoff) downRec = Math.max(rec.replicas, downRec);
    if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) oldIndex = i;
  });
  let stabilized = currentReplicas;
  if (stabilized < upRec) stabilized = upRec;
  if (stabilized > downRec) stabilized = downRec;
  const stored = [...recommendations];
  const entry = { replicas: proposal, timestampMs: nowMs };
  if (oldIndex >= 0) stored[oldIndex] = entry;
  else stored.push(entry);
  return { stabilized, recommendations: stored };
}

/**
 * The most replicas the scale-up policies allow now: per policy from the count at the period's
 * start (Pods: +value; Percent: ceil(start * (1 + value/100))), combined by selectPolicy.
 */
export function scaleUpLimit(currentReplicas: number, rules: ScalingRules, history: AutoscalerHistory, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? INT32_MAX : INT32_MIN;
  for (const p of rules.policies) {
    const start = periodStartReplicas(currentReplicas, history, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start + p.value : toInt(Math.ceil(start * (1 + p.value / 100)));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/**
 * The fewest replicas the scale-down policies allow now (Pods: start - value; Percent:
 * trunc(start * (1 - value/100))). `Max` means the most change, i.e. the smallest count.
 */
export function scaleDownLimit(currentReplicas: number, rules: ScalingRules, history: AutoscalerHistory, nowMs: number): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  const pickMax = rules.selectPolicy === 'Min';
  let result = pickMax ? INT32_MIN : INT32_MAX;
  for (const p of rules.policies) {
    const start = periodStartReplicas(currentReplicas, history, p.periodSeconds, nowMs);
    const proposed = p.type === 'Pods' ? start - p.value : toInt(start * (1 - p.value / 100));
    result = pickMax ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/**
 * Rate limits (`convertDesiredReplicasWithBehaviorRate`). min/max are enforced only in the
 * direction of travel, and a limit never goes past currentReplicas the wrong way.
 */
export function limitWithBehavior(
  input: Omit<WithBehaviorInput, 'proposal'> & { readonly desired: number },
): { readonly replicas: number; readonly reason: LimitReason } {
  const { desired, currentReplicas, behavior, history, nowMs } = input;
  if (desired > currentReplicas) {
    const limit = Math.max(scaleUpLimit(currentReplicas, behavior.scaleUp, history, nowMs), currentReplicas);
    const [maxAllowed, reason]: [number, LimitReason] = input.maxReplicas > limit ? [limit, 'ScaleUpLimit'] : [input.maxReplicas, 'TooManyReplicas'];
    if (desired > maxAllowed) return { replicas: maxAllowed, reason };
  } else if (desired < currentReplicas) {
    const limit = Math.min(scaleDownLimit(currentReplicas, behavior.scaleDown, history, nowMs), currentReplicas);
    const [minAllowed, reason]: [number, LimitReason] = input.minReplicas < limit ? [limit, 'ScaleDownLimit'] : [input.minReplicas, 'TooFewReplicas'];
    if (desired < minAllowed) return { replicas: minAllowed, reason };
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** Stabilize, then rate-limit. */
export function normalizeWithBehavior(input: WithBehaviorInput): NormalizationOutcome {
  const s = stabilizeWithBehavior(input.history.recommendations, input.proposal, input.currentReplicas, input.nowMs, input.behavior);
  const l = limitWithBehavior({ ...input, desired: s.stabilized });
  const changed = s.stabilized !== input.proposal;
  return {
    desiredReplicas: l.replicas,
    stabilizedReplicas: s.stabilized,
    stabilizationReason: !changed ? 'ReadyForNewScale' : input.proposal >= input.currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
    limitReason: l.reason,
    recommendations: s.recommendations,
  };
}
