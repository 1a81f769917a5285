import type { ScalingPolicyStatus } from '../types.js';
import { rfc3339 } from './kubeTime.js';

/** The `status` of a ScalingPolicy as written (HPA status field names). */
export interface PolicyStatusBody {
  readonly observedGeneration?: number;
  readonly currentReplicas: number | null;
  readonly desiredReplicas: number | null;
  readonly currentCPUUtilizationPercentage: number | null;
  readonly lastScaleTime: string | null;
  readonly conditions: readonly PolicyCondition[];
}

export interface PolicyCondition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

/**
 * The status body for a rule's status. A condition keeps its lastTransitionTime while its status
 * stays the same (as the HPA controller does); `previous` is the status last written or read. Pure.
 */
export function policyStatusBody(s: ScalingPolicyStatus, previous: unknown, generation: number | undefined, nowMs: number): PolicyStatusBody {
  const prev = previousConditions(previous);
  const now = rfc3339(nowMs);
  return {
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    currentReplicas: s.currentReplicas,
    desiredReplicas: s.desiredReplicas,
    currentCPUUtilizationPercentage: s.currentCPUUtilizationPercentage === null ? null : Math.round(s.currentCPUUtilizationPercentage),
    lastScaleTime: s.lastScaleTimeMs === null ? null : rfc3339(s.lastScaleTimeMs),
    conditions: s.conditions.map((c) => {
      const p = prev.get(c.type);
      return { type: c.type, status: c.status, reason: c.reason, message: c.message, lastTransitionTime: p && p.status === c.status && p.lastTransitionTime ? p.lastTransitionTime : now };
    }),
  };
}

/**
 * Keys deciding when a status is written: `major` changes (replicas, conditions, last scale,
 * generation) are written at once; a change of `minor` alone (the utilization, which moves every
 * second) is coalesced. Pure.
 */
export function statusKeys(body: PolicyStatusBody | undefined): { major: string; minor: string } {
  if (!body) return { major: '', minor: '' };
  return {
    major: JSON.stringify([
      body.observedGeneration ?? null, body.currentReplicas ?? null, body.desiredReplicas ?? null, body.lastScaleTime ?? null,
      (body.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]),
    ]),
    minor: JSON.stringify(body.currentCPUUtilizationPercentage ?? null),
  };
}

/** Reads a status as found on a cached resource (anything; missing fields read as null). */
export function asStatusBody(status: unknown): PolicyStatusBody | undefined {
  if (typeof status !== 'object' || status === null) return undefined;
  const o = status as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    ...(typeof o.observedGeneration === 'number' ? { observedGeneration: o.observedGeneration } : {}),
    currentReplicas: num(o.currentReplicas),
    desiredReplicas: num(o.desiredReplicas),
    currentCPUUtilizationPercentage: num(o.currentCPUUtilizationPercentage),
    lastScaleTime: typeof o.lastScaleTime === 'string' ? o.lastScaleTime : null,
    conditions: [...previousConditions(o).values()],
  };
}

function previousConditions(previous: unknown): Map<string, PolicyCondition> {
  const out = new Map<string, PolicyCondition>();
  const list = (previous as { conditions?: unknown } | undefined)?.conditions;
  if (!Array.isArray(list)) return out;
  for (const c of list as unknown[]) {
    if (typeof c !== 'object' || c === null) continue;
    const o = c as Record<string, unknown>;
    if (typeof o.type !== 'string') continue;
    out.set(o.type, {
      type: o.type,
      status: String(o.status ?? ''),
      reason: String(o.reason ?? ''),
      message: String(o.message ?? ''),
      lastTransitionTime: String(o.lastTransitionTime ?? ''),
    });
  }
  return out;
}
