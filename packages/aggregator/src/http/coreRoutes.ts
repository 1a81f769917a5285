import type { Registry } from 'prom-client';
import type { ClusterView } from '../drivers/types.js';
import type { EventLog } from '../events/eventLog.js';
import type { FleetState } from '../ingest/fleetState.js';
import { renderExposition } from '../metrics/exposition.js';
import { listNodes, listPods } from './fleetViews.js';
import type { Router } from './router.js';
import { hmsError } from '@hms-sys/common';

export interface CoreRouteDeps {
  readonly fleet: FleetState;
  readonly view: ClusterView;
  readonly registry: Registry;
  readonly events: EventLog;
  readonly ready: () => { ready: boolean; reasons: string[] };
}

/** Health, readiness, /metrics, nodes, pods and the event log. */
export function addCoreRoutes(router: Router, deps: CoreRouteDeps): void {
  router
    .add('GET', '/healthz', 'public', () => ({ body: { status: 'ok' } }))
    .add('GET', '/readyz', 'public', () => {
      const r = deps.ready();
      return { status: r.ready ? 200 : 503, body: { status: r.ready ? 'ready' : 'not ready', reasons: r.reasons } };
    })
    .add('GET', '/metrics', 'public', async (req) => {
      // Rendered in slices (per-pod families can hold 150 000+ series): ingest keeps flowing.
      const pieces = await renderExposition(deps.registry);
      let length = 0;
      for (const p of pieces) length += Buffer.byteLength(p);
      req.res.writeHead(200, { 'content-type': deps.registry.contentType, 'content-length': length });
      for (const p of pieces) req.res.write(p);
      req.res.end();
      return undefined;
    })
    .add('GET', '/v1/nodes', 'viewer', () => ({ body: listNodes(deps.fleet, deps.view) }))
    .add('GET', '/v1/nodes/:name', 'viewer', (req) => {
      const node = listNodes(deps.fleet, deps.view).find((n) => n.name === req.params.name);
      if (!node) throw hmsError('HMS_NOT_FOUND', `no node named ${req.params.name}`);
      return { body: node };
    })
    .add('GET', '/v1/pods', 'viewer', (req) => {
      const ns = req.query.get('namespace');
      const node = req.query.get('node');
      return { body: listPods(deps.fleet, deps.view).filter((p) => (!ns || p.namespace === ns) && (!node || p.node === node)) };
    })
    .add('GET', '/v1/events', 'viewer', (req) => {
      // ?tail=N: the newest N events, oldest first (seqs never repeat, so seq > last-N holds at most N).
      const tail = req.query.get('tail');
      if (tail !== null) {
        const n = Number(tail);
        if (!Number.isSafeInteger(n) || n < 1 || n > 10_000) throw hmsError('HMS_INPUT_INVALID', 'tail must be an integer from 1 to 10000');
        return { body: deps.events.since(Math.max(0, deps.events.lastSeq() - n), n) };
      }
      const since = Number(req.query.get('since') ?? '0');
      const limit = Math.min(10_000, Math.max(1, Number(req.query.get('limit') ?? '1000')));
      if (!Number.isSafeInteger(since) || since < 0) throw hmsError('HMS_INPUT_INVALID', 'since must be a non-negative integer');
      return { body: deps.events.since(since, Number.isFinite(limit) ? limit : 1000) };
    });
}
