import { hmsError } from '@hms-sys/common';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A scaling rule from a file: a HorizontalPodAutoscaler (autoscaling/v2) or ScalingPolicy
 * (hms-sys.io/v1) manifest, or a bare SPEC §5 autoscaler object. Only the CPU Resource
 * Utilization metric is understood; anything else is refused rather than silently ignored.
 */
export function autoscalerFromManifest(doc: unknown, source: string): Json {
  if (!isObj(doc)) throw hmsError('HMS_INPUT_INVALID', `${source}: expected an object`);
  if (!('spec' in doc) && !('kind' in doc)) return { ...doc };
  const spec = doc.spec;
  if (!isObj(spec)) throw hmsError('HMS_INPUT_INVALID', `${source}: spec must be an object`);
  const out: Json = {};
  if (spec.minReplicas !== undefined) out.minReplicas = spec.minReplicas;
  if (spec.maxReplicas !== undefined) out.maxReplicas = spec.maxReplicas;
  if (spec.behavior !== undefined) out.behavior = spec.behavior;
  if (spec.targetCPUUtilizationPercentage !== undefined) out.targetCPUUtilizationPercentage = spec.targetCPUUtilizationPercentage;
  const metrics = spec.metrics;
  if (metrics !== undefined) {
    if (!Array.isArray(metrics)) throw hmsError('HMS_INPUT_INVALID', `${source}: spec.metrics must be a list`);
    for (const [i, m] of metrics.entries()) {
      const res = isObj(m) && isObj(m.resource) ? m.resource : undefined;
      const target = res && isObj(res.target) ? res.target : undefined;
      if (!isObj(m) || m.type !== 'Resource' || res?.name !== 'cpu' || target?.type !== 'Utilization' || typeof target.averageUtilization !== 'number') {
        throw hmsError('HMS_INPUT_INVALID', `${source}: spec.metrics[${i}] is not supported; HMS-SYS scales on {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: N}}} only`);
      }
      out.targetCPUUtilizationPercentage = target.averageUtilization;
    }
  }
  return out;
}
