/**
 * Kubernetes defaults (reference §1 and §7.1) as named constants, and the field-by-field completion
 * of `behavior` that API defaulting does.
 */
import type { Behavior, ScalingPolicy, ScalingRules, SelectPolicy } from './types.js';

/** --horizontal-pod-autoscaler-tolerance. */
export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period (5 min). */
export const DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS = 300;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const DEFAULT_INITIAL_READINESS_DELAY_SECONDS = 30;
/** --horizontal-pod-autoscaler-downscale-stabilization (5 min). */
export const DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS = 300;
/** Legacy path cap: `max(factor * current, minimum)` per sync. */
export const DEFAULT_SCALE_UP_LIMIT_FACTOR = 2;
export const DEFAULT_SCALE_UP_LIMIT_MINIMUM = 4;
/** spec.minReplicas when unset. */
export const DEFAULT_MIN_REPLICAS = 1;
/** Target when spec.metrics is empty (DefaultCPUUtilization). */
export const DEFAULT_CPU_UTILIZATION_PERCENT = 80;
/** Default scale-up stabilization window. */
export const DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS = 0;

/** Default scale-up policies: 4 pods or 100 % per 15 s, whichever allows more. */
export const DEFAULT_SCALE_UP_POLICIES: readonly ScalingPolicy[] = Object.freeze([
  Object.freeze({ type: 'Pods', value: 4, periodSeconds: 15 } as const),
  Object.freeze({ type: 'Percent', value: 100, periodSeconds: 15 } as const),
]);
/** Default scale-down policy: 100 % per 15 s. */
export const DEFAULT_SCALE_DOWN_POLICIES: readonly ScalingPolicy[] = Object.freeze([
  Object.freeze({ type: 'Percent', value: 100, periodSeconds: 15 } as const),
]);
export const DEFAULT_SELECT_POLICY: SelectPolicy = 'Max';

/** One direction as given by a user: every field optional. */
export interface ScalingRulesInput {
  readonly stabilizationWindowSeconds?: number;
  readonly selectPolicy?: SelectPolicy;
  readonly policies?: readonly ScalingPolicy[];
  readonly tolerance?: number;
}

/** `behavior` as given by a user; a missing direction gets its full defaults. */
export interface BehaviorInput {
  readonly scaleUp?: ScalingRulesInput | null;
  readonly scaleDown?: ScalingRulesInput | null;
}

/**
 * Completes a behavior the way API defaulting plus the controller do: each given field replaces the
 * default, a given policy list replaces the whole default list, and an unset scale-down window takes
 * the downscale-stabilization flag.
 */
export function completeBehavior(input: BehaviorInput, downscaleStabilizationWindowSeconds: number): Behavior {
  const up = input.scaleUp ?? {};
  const down = input.scaleDown ?? {};
  return {
    scaleUp: completeRules(up, DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS, DEFAULT_SCALE_UP_POLICIES),
    scaleDown: completeRules(down, downscaleStabilizationWindowSeconds, DEFAULT_SCALE_DOWN_POLICIES),
  };
}

function completeRules(input: ScalingRulesInput, window: number, policies: readonly ScalingPolicy[]): ScalingRules {
  return {
    stabilizationWindowSeconds: input.stabilizationWindowSeconds ?? window,
    selectPolicy: input.selectPolicy ?? DEFAULT_SELECT_POLICY,
    policies: input.policies ?? policies,
    ...(input.tolerance === undefined ? {} : { tolerance: input.tolerance }),
  };
}
