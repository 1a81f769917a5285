/**
 * HPA status conditions (reference §10): types, reasons and Kubernetes' messages.
 */
import type { AutoscalerCondition, ConditionType } from './types.js';

/** The order in which condition types appear in the status. */
export const CONDITION_ORDER: readonly ConditionType[] = ['AbleToScale', 'ScalingActive', 'ScalingLimited'];

/** Condition reasons, as Kubernetes spells them. */
export const REASON = {
  SucceededGetScale: 'SucceededGetScale',
  SucceededRescale: 'SucceededRescale',
  ReadyForNewScale: 'ReadyForNewScale',
  ScaleUpStabilized: 'ScaleUpStabilized',
  ScaleDownStabilized: 'ScaleDownStabilized',
  ValidMetricFound: 'ValidMetricFound',
  ScalingDisabled: 'ScalingDisabled',
  FailedGetResourceMetric: 'FailedGetResourceMetric',
  DesiredWithinRange: 'DesiredWithinRange',
  TooManyReplicas: 'TooManyReplicas',
  TooFewReplicas: 'TooFewReplicas',
  ScaleUpLimit: 'ScaleUpLimit',
  ScaleDownLimit: 'ScaleDownLimit',
} as const;

/** Messages of the limit reasons (ScalingLimited). */
export const LIMIT_MESSAGE = {
  DesiredWithinRange: 'the desired count is within the acceptable range',
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
} as const;

/** The metric name Kubernetes uses in messages and rescale reasons for a CPU utilization target. */
export const CPU_METRIC_NAME = 'cpu resource utilization (percentage of request)';

export const MESSAGE = {
  SucceededGetScale: "the HPA controller was able to get the target's current scale",
  SucceededRescale: (replicas: number): string => `the HPA controller was able to update the target scale to ${replicas}`,
  ReadyForNewScale: 'recommended size matches current size',
  ScaleUpStabilized: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
  ScaleDownStabilized: 'recent recommendations were higher than current one, applying the highest recent recommendation',
  ValidMetricFound: `the HPA was able to successfully calculate a replica count from ${CPU_METRIC_NAME}`,
  ScalingDisabled: 'scaling is disabled since the replica count of the target is zero',
  FailedGetResourceMetric: (error: string): string => `the HPA was unable to compute the replica count: failed to get cpu utilization: ${error}`,
} as const;

/**
 * Sets a condition the way Kubernetes' setCondition does (replace the one of the same type, else
 * add), keeping the types in CONDITION_ORDER. Returns a new list.
 */
export function setCondition(
  list: readonly AutoscalerCondition[],
  type: ConditionType,
  status: boolean,
  reason: string,
  message: string,
): AutoscalerCondition[] {
  const next = list.filter((c) => c.type !== type);
  next.push({ type, status: status ? 'True' : 'False', reason, message });
  return next.sort((a, b) => CONDITION_ORDER.indexOf(a.type) - CONDITION_ORDER.indexOf(b.type));
}
