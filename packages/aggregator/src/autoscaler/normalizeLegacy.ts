/**
 * Normalization without `spec.behavior` (reference §6, Kubernetes `normalizeDesiredReplicas`).
 */
import { toInt } from './intMath.js';
import type { LimitReason, NormalizationOutcome, TimestampedRecommendation } from './types.js';

export interface LegacyInput {
  readonly currentReplicas: number;
  /** Metric proposal (prenormalized desired). */
  readonly proposal: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly nowMs: number;
  readonly recommendations: readonly TimestampedRecommendation[];
  readonly downscaleStabilizationWindowSeconds: number;
  readonly scaleUpLimitFactor: number;
  readonly scaleUpLimitMinimum: number;
}

/**
 * Legacy stabilization: the max of the proposal and every stored recommendation not older than the
 * window (an entry exactly at the cutoff still counts: Kubernetes tests `Before(cutoff)`). The
 * proposal is stored over the *last* entry older than the cutoff, else appended.
 */
export function stabilizeLegacy(
  recommendations: readonly TimestampedRecommendation[],
  proposal: number,
  nowMs: number,
  windowSeconds: number,
): { readonly stabilized: number; readonly recommendations: TimestampedRecommendation[] } {
  const cutoff = nowMs - windowSeconds * 1000;
  let stabilized = proposal;
  let oldIndex = -1;
  recommendations.forEach((rec, i) => {
    if (rec.timestampMs < cutoff) oldIndex = i;
    else if (rec.replicas > stabilized) stabilized = rec.replicas;
  });
  const stored = [...recommendations];
  const entry = { replicas: proposal, timestampMs: nowMs };
  if (oldIndex >= 0) stored[oldIndex] = entry;
  else stored.push(entry);
  return { stabilized, recommendations: stored };
}

/**
 * Legacy min/max clamp (`convertDesiredReplicasWithRules`): the upper bound is the smaller of
 * maxReplicas and `floor(max(factor * current, minimum))`; min is applied first.
 */
export function clampLegacy(
  currentReplicas: number,
  desired: number,
  min: number,
  max: number,
  factor: number,
  minimum: number,
): { readonly replicas: number; readonly reason: LimitReason } {
  const scaleUpLimit = toInt(Math.max(factor * currentReplicas, minimum));
  const [maxAllowed, maxReason]: [number, LimitReason] = max > scaleUpLimit ? [scaleUpLimit, 'ScaleUpLimit'] : [max, 'TooManyReplicas'];
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas' };
  if (desired > maxAllowed) return { replicas: maxAllowed, reason: maxReason };
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** Stabilize, then clamp. Legacy stabilization always reports ScaleDownStabilized when it acts. */
export function normalizeLegacy(input: LegacyInput): NormalizationOutcome {
  const s = stabilizeLegacy(input.recommendations, input.proposal, input.nowMs, input.downscaleStabilizationWindowSeconds);
  const c = clampLegacy(input.currentReplicas, s.stabilized, input.minReplicas, input.maxReplicas, input.scaleUpLimitFactor, input.scaleUpLimitMinimum);
  return {
    desiredReplicas: c.replicas,
    stabilizedReplicas: s.stabilized,
    stabilizationReason: s.stabilized !== input.proposal ? 'ScaleDownStabilized' : 'ReadyForNewScale',
    limitReason: c.reason,
    recommendations: s.recommendations,
  };
}
