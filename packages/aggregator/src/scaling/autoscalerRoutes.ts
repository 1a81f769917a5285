import { hmsError } from '@hms-sys/common';
import type { Clock } from '@hms-sys/common';
import type { ScalingPolicySource } from '../drivers/types.js';
import type { EventLog } from '../events/eventLog.js';
import { EventType } from '../events/eventTypes.js';
import type { Router } from '../http/router.js';
import type { AutoscalerLoop } from './autoscalerLoop.js';
import type { AutoscalerStatus, AutoscalerStore, DecisionRecord, StoredAutoscaler } from './autoscalerStore.js';
import { parseAutoscalerObject } from './parseAutoscalerObject.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function statusView(s: AutoscalerStatus): Record<string, unknown> {
  return {
    currentReplicas: s.currentReplicas,
    desiredReplicas: s.desiredReplicas,
    currentCPUUtilizationPercentage: s.currentCPUUtilizationPercentage,
    conditions: s.conditions,
    lastScaleTime: iso(s.lastScaleTimeMs),
    lastEvaluated: iso(s.lastEvaluatedMs),
    message: s.message,
  };
}

function decisionView(d: DecisionRecord): Record<string, unknown> {
  const { timeMs, namespace: _n, name: _m, ...rest } = d;
  return { time: new Date(timeMs).toISOString(), ...rest };
}

export function autoscalerView(a: StoredAutoscaler, status: AutoscalerStatus): Record<string, unknown> {
  const spec = parseAutoscalerObject(a.spec);
  return {
    namespace: a.namespace,
    name: a.name,
    target: { kind: 'Deployment', name: a.name },
    autoscaler: a.spec,
    effective: spec,
    status: statusView(status),
    created: new Date(a.createdMs).toISOString(),
    updated: new Date(a.updatedMs).toISOString(),
  };
}

/**
 * GET/PUT/DELETE /v1/autoscalers[/NS/NAME] (SPEC §3). With `policies` (Kubernetes: ScalingPolicy
 * resources) the cluster is the source of truth: PUT and DELETE write there first and fail when
 * the cluster refuses; the local store and loop are updated at once so the response reflects the
 * write (the watch echo then finds nothing to change).
 */
export function addAutoscalerRoutes(router: Router, store: AutoscalerStore, loop: AutoscalerLoop, events: EventLog, clock: Clock, policies?: ScalingPolicySource): void {
  const validate = (ns: string, name: string): void => {
    if (!DNS_LABEL.test(ns)) throw hmsError('HMS_INPUT_INVALID', `namespace "${ns}" is not a valid DNS label`);
    if (!DNS_SUBDOMAIN.test(name)) throw hmsError('HMS_INPUT_INVALID', `name "${name}" is not a valid Deployment name`);
  };
  router
    .add('GET', '/v1/autoscalers', 'viewer', () => ({
      body: store.list().map((a) => autoscalerView(a, loop.status(a.namespace, a.name))),
    }))
    .add('GET', '/v1/autoscalers/:ns/:name', 'viewer', (req) => {
      const a = store.get(req.params.ns ?? '', req.params.name ?? '');
      if (!a) throw hmsError('HMS_NOT_FOUND', `no autoscaler for deployment ${req.params.ns}/${req.params.name}`);
      const limit = Math.min(200, Math.max(0, Number(req.query.get('decisions') ?? '10') || 0));
      return {
        body: {
          ...autoscalerView(a, loop.status(a.namespace, a.name)),
          decisions: store.decisions(a.namespace, a.name, limit).map(decisionView),
        },
      };
    })
    .add('PUT', '/v1/autoscalers/:ns/:name', 'operator', async (req) => {
      const ns = req.params.ns ?? '';
      const name = req.params.name ?? '';
      validate(ns, name);
      const body = await req.json();
      const spec = parseAutoscalerObject(body);
      const inCluster = policies ? await policies.put(ns, name, body as Record<string, unknown>) : undefined;
      const stored = store.put(ns, name, body as Record<string, unknown>, clock.now());
      const created = inCluster?.created ?? stored.created;
      loop.upsert(ns, name, spec);
      events.append(EventType.AutoscalerChanged, {
        namespace: ns, deployment: name, action: created ? 'created' : 'updated', caller: req.caller?.name,
        minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, targetCPUUtilizationPercentage: spec.targetCPUUtilizationPercentage,
      });
      const a = store.get(ns, name) as StoredAutoscaler;
      return { status: created ? 201 : 200, body: autoscalerView(a, loop.status(ns, name)) };
    })
    .add('DELETE', '/v1/autoscalers/:ns/:name', 'operator', async (req) => {
      const ns = req.params.ns ?? '';
      const name = req.params.name ?? '';
      const inCluster = policies ? await policies.delete(ns, name) : false;
      if (!store.delete(ns, name) && !inCluster) throw hmsError('HMS_NOT_FOUND', `no autoscaler for deployment ${ns}/${name}`);
      loop.remove(ns, name);
      events.append(EventType.AutoscalerChanged, { namespace: ns, deployment: name, action: 'deleted', caller: req.caller?.name });
      return { body: { deleted: true, namespace: ns, name } };
    });
}
