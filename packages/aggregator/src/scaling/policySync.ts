import { errorMessage, type Clock, type Logger } from '@hms-sys/common';
import type { AutoscalerSpec } from '../autoscaler/types.js';
import type { ScalingPolicySource } from '../drivers/types.js';
import type { EventLog } from '../events/eventLog.js';
import { EventType } from '../events/eventTypes.js';
import type { AutoscalerLoop } from './autoscalerLoop.js';
import type { AutoscalerStore } from './autoscalerStore.js';
import { parseAutoscalerObject } from './parseAutoscalerObject.js';

export interface PolicySyncDeps {
  readonly source: ScalingPolicySource;
  readonly store: AutoscalerStore;
  readonly loop: AutoscalerLoop;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Makes the rules of the store and the loop equal to those of the cluster (the source of truth
 * when the driver has one): rules created or edited there (kubectl apply, GitOps) are upserted,
 * rules deleted there are removed. A rule whose effective spec is unchanged is left alone, so
 * the echo of the aggregator's own writes costs nothing. Does nothing until the source has
 * listed everything once: an incomplete list must never delete rules. Invalid rules are left
 * out (logged and recorded), because a rule that cannot be validated must not scale anything.
 */
export function syncPolicies(deps: PolicySyncDeps): void {
  const { source, store, loop, events, clock, logger } = deps;
  if (!source.synced()) return;
  const wanted = new Set<string>();
  for (const p of source.list()) {
    const key = `${p.namespace}/${p.name}`;
    let spec: AutoscalerSpec;
    try {
      spec = parseAutoscalerObject(p.autoscaler);
    } catch (err) {
      logger.warn({ policy: `${p.namespace}/${p.resourceName}`, err: errorMessage(err) }, 'invalid ScalingPolicy ignored');
      continue;
    }
    wanted.add(key);
    const stored = store.get(p.namespace, p.name);
    if (stored && sameSpec(stored.spec, spec)) continue;
    store.put(p.namespace, p.name, { ...p.autoscaler }, clock.now());
    loop.upsert(p.namespace, p.name, spec);
    events.append(EventType.AutoscalerChanged, {
      namespace: p.namespace, deployment: p.name, action: stored ? 'updated' : 'created', caller: `ScalingPolicy ${p.namespace}/${p.resourceName}`,
      minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, targetCPUUtilizationPercentage: spec.targetCPUUtilizationPercentage,
    });
  }
  for (const a of store.list()) {
    const key = `${a.namespace}/${a.name}`;
    if (wanted.has(key)) continue;
    store.delete(a.namespace, a.name);
    loop.remove(a.namespace, a.name);
    logger.info({ rule: key }, 'scaling rule removed: no ScalingPolicy holds it');
    events.append(EventType.AutoscalerChanged, { namespace: a.namespace, deployment: a.name, action: 'deleted', caller: 'ScalingPolicy (none left)' });
  }
}

function sameSpec(stored: Record<string, unknown>, spec: AutoscalerSpec): boolean {
  try {
    return JSON.stringify(parseAutoscalerObject(stored)) === JSON.stringify(spec);
  } catch {
    return false;
  }
}
