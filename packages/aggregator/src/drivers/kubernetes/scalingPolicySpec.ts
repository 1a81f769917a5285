/**
 * The ScalingPolicy custom resource (hms-sys.io/v1, namespaced) and its mapping to and from the
 * SPEC §5 `autoscaler` object. Pure.
 *
 * spec (the HorizontalPodAutoscaler autoscaling/v2 spec, CPU utilization of a Deployment only):
 *   scaleTargetRef {apiVersion: apps/v1, kind: Deployment, name}, minReplicas, maxReplicas,
 *   metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization}}}],
 *   behavior (HPA v2 shape),
 * plus HMS-SYS fields with their SPEC §5 names (in Kubernetes these are kube-controller-manager
 * flags; here each rule carries its own): tolerance {scaleUp, scaleDown},
 * cpuInitializationPeriodSeconds, initialReadinessDelaySeconds, downscaleStabilizationWindowSeconds,
 * scaleUpLimitFactor, scaleUpLimitMinimum.
 * status: currentReplicas, desiredReplicas, currentCPUUtilizationPercentage, conditions,
 *   lastScaleTime, observedGeneration.
 */

export const SCALING_POLICY = {
  group: 'hms-sys.io',
  version: 'v1',
  plural: 'scalingpolicies',
  kind: 'ScalingPolicy',
  apiVersion: 'hms-sys.io/v1',
} as const;

/** autoscaler keys kept in the spec under the same name. */
const EXTENSION_KEYS = [
  'cpuInitializationPeriodSeconds',
  'initialReadinessDelaySeconds',
  'downscaleStabilizationWindowSeconds',
  'scaleUpLimitFactor',
  'scaleUpLimitMinimum',
] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The spec of the ScalingPolicy for `deployment` from an autoscaler object (the PUT body of
 * /v1/autoscalers/NS/NAME, already validated). Fields the autoscaler leaves out are left out, so
 * the API server's defaults (the HPA's) apply. `tolerance` is always written in its object form,
 * so that the CRD schema can type it.
 */
export function policySpecFromAutoscaler(deployment: string, autoscaler: Json): Json {
  const spec: Json = { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment } };
  if (autoscaler.minReplicas !== undefined) spec.minReplicas = autoscaler.minReplicas;
  if (autoscaler.maxReplicas !== undefined) spec.maxReplicas = autoscaler.maxReplicas;
  if (autoscaler.targetCPUUtilizationPercentage !== undefined) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaler.targetCPUUtilizationPercentage } } }];
  }
  if (isObject(autoscaler.behavior)) spec.behavior = autoscaler.behavior;
  const t = autoscaler.tolerance;
  if (typeof t === 'number') spec.tolerance = { scaleUp: t, scaleDown: t };
  else if (isObject(t)) spec.tolerance = t;
  for (const k of EXTENSION_KEYS) if (autoscaler[k] !== undefined) spec[k] = autoscaler[k];
  return spec;
}

export type PolicySpecResult =
  | { readonly ok: true; readonly target: string; readonly autoscaler: Json }
  | { readonly ok: false; readonly error: string };

/**
 * The target Deployment and autoscaler object of a ScalingPolicy spec. Refuses (rather than
 * ignores) what HMS-SYS cannot honour: another target kind, a metric other than CPU utilization,
 * more than one metric. The autoscaler's values are validated later by parseAutoscalerObject.
 */
export function autoscalerFromPolicySpec(spec: unknown): PolicySpecResult {
  if (!isObject(spec)) return { ok: false, error: 'spec must be an object' };
  const ref = spec.scaleTargetRef;
  if (!isObject(ref) || typeof ref.name !== 'string' || ref.name === '') return { ok: false, error: 'spec.scaleTargetRef.name is required' };
  if (ref.kind !== undefined && ref.kind !== 'Deployment') return { ok: false, error: `spec.scaleTargetRef.kind must be Deployment (got ${String(ref.kind)})` };
  if (ref.apiVersion !== undefined && ref.apiVersion !== 'apps/v1') return { ok: false, error: `spec.scaleTargetRef.apiVersion must be apps/v1 (got ${String(ref.apiVersion)})` };
  const out: Json = {};
  if (spec.minReplicas !== undefined) out.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) out.maxReplicas = spec.maxReplicas;
  const metrics = spec.metrics;
  if (metrics !== undefined && metrics !== null) {
    if (!Array.isArray(metrics)) return { ok: false, error: 'spec.metrics must be a list' };
    if (metrics.length > 1) return { ok: false, error: 'spec.metrics: HMS-SYS scales on one metric, CPU utilization' };
    const m: unknown = metrics[0];
    if (m !== undefined) {
      const res = isObject(m) && isObject(m.resource) ? m.resource : undefined;
      const target = res && isObject(res.target) ? res.target : undefined;
      if (!isObject(m) || m.type !== 'Resource' || res?.name !== 'cpu' || target?.type !== 'Utilization' || target.averageUtilization === undefined) {
        return { ok: false, error: 'spec.metrics[0] must be {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}}' };
      }
      out.targetCPUUtilizationPercentage = target.averageUtilization;
    }
  }
  if (spec.behavior !== undefined && spec.behavior !== null) out.behavior = spec.behavior;
  if (spec.tolerance !== undefined && spec.tolerance !== null) out.tolerance = spec.tolerance;
  for (const k of EXTENSION_KEYS) if (spec[k] !== undefined && spec[k] !== null) out[k] = spec[k];
  return { ok: true, target: ref.name, autoscaler: out };
}
