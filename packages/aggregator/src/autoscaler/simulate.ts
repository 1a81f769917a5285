/**
 * `hms-sys autoscale simulate` (SPEC §5, a contract): one scenario in, one decision out, no I/O.
 */
import { decideReplicas } from './decideReplicas.js';
import { parseScenario, SCENARIO_NOW_MS } from './parseScenario.js';
import type { ConditionType, LimitReason } from './types.js';

/** The decision as SPEC §5 prints it. Field names are a contract. */
export interface SimulateOutput {
  readonly desiredReplicas: number;
  /** Raw proposal before stabilization and rate limits (the given one when the input had it). */
  readonly recommendation: number | null;
  /** Utilization Kubernetes would report in the HPA status (first pass), percent. */
  readonly cpuUtilizationPercent: number | null;
  /** ScalingLimited reason; null when no normalization ran. */
  readonly limitReason: LimitReason | null;
  readonly conditions: readonly { readonly type: ConditionType; readonly status: 'True' | 'False'; readonly reason: string }[];
}

/** An invalid scenario: what is wrong, naming the fields. */
export interface SimulateError {
  readonly error: string;
}

/**
 * Validates the scenario, applies Kubernetes' defaults, runs one reconcile at now = 0 and returns
 * exactly the SPEC §5 output, or `{error}` for an invalid scenario. Never throws.
 */
export function simulateScenario(input: unknown): SimulateOutput | SimulateError {
  const parsed = parseScenario(input);
  if (!parsed.ok) return { error: parsed.error };
  const s = parsed.scenario;
  const d = decideReplicas({
    spec: s.spec,
    currentReplicas: s.currentReplicas,
    pods: s.pods,
    nowMs: SCENARIO_NOW_MS,
    history: s.history,
    ...(s.recommendation === null ? {} : { recommendationOverride: s.recommendation }),
  });
  return {
    desiredReplicas: d.desiredReplicas,
    recommendation: d.recommendation,
    cpuUtilizationPercent: d.cpuUtilizationPercent,
    limitReason: d.limitReason,
    conditions: d.conditions.map(({ type, status, reason }) => ({ type, status, reason })),
  };
}

/** True when a simulate result is the error form. */
export function isSimulateError(result: SimulateOutput | SimulateError): result is SimulateError {
  return 'error' in result;
}
