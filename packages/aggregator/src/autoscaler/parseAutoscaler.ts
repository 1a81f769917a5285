/**
 * The `autoscaler` object of a SPEC §5 scenario → AutoscalerSpec with Kubernetes defaults.
 */
import {
  completeBehavior,
  DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS,
  DEFAULT_CPU_UTILIZATION_PERCENT,
  DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
  DEFAULT_INITIAL_READINESS_DELAY_SECONDS,
  DEFAULT_MIN_REPLICAS,
  DEFAULT_SCALE_UP_LIMIT_FACTOR,
  DEFAULT_SCALE_UP_LIMIT_MINIMUM,
  DEFAULT_TOLERANCE,
  type ScalingRulesInput,
} from './defaults.js';
import { FieldReader, join, type Json } from './fieldReader.js';
import type { AutoscalerSpec, Behavior, ScalingPolicy, SelectPolicy, Tolerance } from './types.js';

const AUTOSCALER_KEYS = [
  'minReplicas',
  'maxReplicas',
  'targetCPUUtilizationPercentage',
  'tolerance',
  'behavior',
  'cpuInitializationPeriodSeconds',
  'initialReadinessDelaySeconds',
  'downscaleStabilizationWindowSeconds',
  'scaleUpLimitFactor',
  'scaleUpLimitMinimum',
] as const;

/** API validation limits of behavior (autoscaling/v2). */
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const MAX_POLICY_PERIOD_SECONDS = 1800;
const INT32_MAX = 2147483647;

/**
 * Validates an autoscaler object (the SPEC §5 `autoscaler`, also the API's PUT body) and applies
 * the Kubernetes defaults. The error lists every problem, separated by "; ", with field paths.
 */
export function parseAutoscalerSpec(input: unknown): { readonly ok: true; readonly spec: AutoscalerSpec } | { readonly ok: false; readonly error: string } {
  const r = new FieldReader();
  const spec = parseAutoscaler(r, input, 'autoscaler');
  return r.problems.length > 0 ? { ok: false, error: r.problems.join('; ') } : { ok: true, spec };
}

/** Reads and defaults the autoscaler; problems go to `r`. */
export function parseAutoscaler(r: FieldReader, value: unknown, path: string): AutoscalerSpec {
  const o = r.object(value, path) ?? {};
  r.keys(o, AUTOSCALER_KEYS, path);
  const int = { integer: true } as const;
  const minReplicas = r.number(o, 'minReplicas', path, { ...int, min: 0, max: INT32_MAX }, DEFAULT_MIN_REPLICAS);
  const maxReplicas = r.required(o, 'maxReplicas', path, { ...int, min: 1, max: INT32_MAX });
  if (maxReplicas < minReplicas) r.fail(`${join(path, 'maxReplicas')} (${maxReplicas}) must be >= ${join(path, 'minReplicas')} (${minReplicas})`);
  const seconds = { min: 0 } as const;
  const downscaleStabilizationWindowSeconds = r.number(o, 'downscaleStabilizationWindowSeconds', path, seconds, DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS);
  return {
    minReplicas,
    maxReplicas,
    targetCPUUtilizationPercentage: r.number(o, 'targetCPUUtilizationPercentage', path, { ...int, min: 1, max: INT32_MAX }, DEFAULT_CPU_UTILIZATION_PERCENT),
    tolerance: parseTolerance(r, o, path),
    behavior: parseBehavior(r, o, path, downscaleStabilizationWindowSeconds),
    cpuInitializationPeriodSeconds: r.number(o, 'cpuInitializationPeriodSeconds', path, seconds, DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS),
    initialReadinessDelaySeconds: r.number(o, 'initialReadinessDelaySeconds', path, seconds, DEFAULT_INITIAL_READINESS_DELAY_SECONDS),
    downscaleStabilizationWindowSeconds,
    scaleUpLimitFactor: r.number(o, 'scaleUpLimitFactor', path, { min: 0 }, DEFAULT_SCALE_UP_LIMIT_FACTOR),
    scaleUpLimitMinimum: r.number(o, 'scaleUpLimitMinimum', path, { min: 0 }, DEFAULT_SCALE_UP_LIMIT_MINIMUM),
  };
}

/** A number (both directions) or `{scaleUp, scaleDown}` (a missing direction gets 0.1). */
function parseTolerance(r: FieldReader, o: Json, path: string): Tolerance {
  const v = o.tolerance;
  const p = join(path, 'tolerance');
  if (v === undefined) return { scaleUp: DEFAULT_TOLERANCE, scaleDown: DEFAULT_TOLERANCE };
  if (typeof v === 'number') {
    const t = r.number(o, 'tolerance', path, { min: 0 }, DEFAULT_TOLERANCE);
    return { scaleUp: t, scaleDown: t };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    r.fail(`${p} must be a number >= 0 or an object {scaleUp, scaleDown}`);
    return { scaleUp: DEFAULT_TOLERANCE, scaleDown: DEFAULT_TOLERANCE };
  }
  const t = v as Json;
  r.keys(t, ['scaleUp', 'scaleDown'], p);
  return { scaleUp: r.number(t, 'scaleUp', p, { min: 0 }, DEFAULT_TOLERANCE), scaleDown: r.number(t, 'scaleDown', p, { min: 0 }, DEFAULT_TOLERANCE) };
}

/** null/absent = legacy path; an object (even `{}`) = behavior path with every unset field defaulted. */
function parseBehavior(r: FieldReader, o: Json, path: string, downscaleWindow: number): Behavior | null {
  const v = o.behavior;
  if (v === undefined || v === null) return null;
  const p = join(path, 'behavior');
  const b = r.object(v, p);
  if (!b) return null;
  r.keys(b, ['scaleUp', 'scaleDown'], p);
  return completeBehavior({ scaleUp: parseRules(r, b.scaleUp, join(p, 'scaleUp')), scaleDown: parseRules(r, b.scaleDown, join(p, 'scaleDown')) }, downscaleWindow);
}

function parseRules(r: FieldReader, value: unknown, path: string): ScalingRulesInput | null {
  if (value === undefined || value === null) return null;
  const o = r.object(value, path);
  if (!o) return null;
  r.keys(o, ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'], path);
  const out: { -readonly [K in keyof ScalingRulesInput]: ScalingRulesInput[K] } = {};
  if (o.stabilizationWindowSeconds !== undefined) {
    out.stabilizationWindowSeconds = r.number(o, 'stabilizationWindowSeconds', path, { integer: true, min: 0, max: MAX_STABILIZATION_WINDOW_SECONDS }, 0);
  }
  if (o.selectPolicy !== undefined) out.selectPolicy = r.choice<SelectPolicy>(o, 'selectPolicy', path, ['Max', 'Min', 'Disabled'], 'Max');
  if (o.tolerance !== undefined) out.tolerance = r.number(o, 'tolerance', path, { min: 0 }, 0);
  if (o.policies !== undefined) {
    const pp = join(path, 'policies');
    const list = r.array(o.policies, pp);
    if (Array.isArray(o.policies) && list.length === 0) r.fail(`${pp} must list at least one policy`);
    out.policies = list.map((item, i) => parsePolicy(r, item, `${pp}[${i}]`));
  }
  return out;
}

function parsePolicy(r: FieldReader, value: unknown, path: string): ScalingPolicy {
  const o = r.object(value, path) ?? {};
  r.keys(o, ['type', 'value', 'periodSeconds'], path);
  if (o.type === undefined) r.fail(`${join(path, 'type')} is required ("Pods" or "Percent")`);
  return {
    type: r.choice(o, 'type', path, ['Pods', 'Percent'], 'Pods'),
    value: r.required(o, 'value', path, { integer: true, min: 1, max: INT32_MAX }),
    periodSeconds: r.required(o, 'periodSeconds', path, { integer: true, min: 1, max: MAX_POLICY_PERIOD_SECONDS }),
  };
}
