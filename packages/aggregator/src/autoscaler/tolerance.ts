/** Tolerance (reference §4.6): per direction, inclusive at both ends. */
import type { AutoscalerSpec, Tolerance } from './types.js';

/**
 * True when a usage ratio is close enough to 1 to keep the current count:
 * `1 - scaleDown <= ratio <= 1 + scaleUp`. Plain double arithmetic on purpose: at 1.1 with 0.1 this
 * is within (1 + 0.1 === 1.1), where the older `|1 - ratio| <= tol` was not.
 */
export function isWithinTolerance(ratio: number, tolerance: Tolerance): boolean {
  return 1.0 - tolerance.scaleDown <= ratio && ratio <= 1.0 + tolerance.scaleUp;
}

/**
 * The tolerance in force: the autoscaler-wide value (Kubernetes' flag), overridden per direction by
 * `behavior.scaleUp.tolerance` / `behavior.scaleDown.tolerance` when behavior is set.
 */
export function effectiveTolerance(spec: AutoscalerSpec): Tolerance {
  const b = spec.behavior;
  if (b === null) return spec.tolerance;
  return {
    scaleUp: b.scaleUp.tolerance ?? spec.tolerance.scaleUp,
    scaleDown: b.scaleDown.tolerance ?? spec.tolerance.scaleDown,
  };
}
