/**
 * A rolling kernel patch end to end through the Kubernetes driver (issue 5): a real aggregator
 * (leader by Lease) on the fake API server with a live control plane (FakeControllers:
 * ReplicaSet controller + scheduler + kubelet readiness, Deployment status, disruption
 * controller), one simulated node per Node (the real agent executor machine on the real agent
 * stream, plus the kubelet's boot id / kernel / Ready in the Node status), and the run
 * scheduled through `POST /v1/patches` with an operator token.
 *
 * The cluster: node-a, node-b, node-c schedulable (2 CPU each) and node-d cordoned by someone
 * else before the run. Deployment web (2 x 500m, on a and b) behind a PodDisruptionBudget
 * minAvailable 1 (1 disruption allowed); Deployment batch (1 x 500m, on d). The fourth node,
 * cordoned by someone else, proves a pre-existing cordon is kept; the three schedulable ones keep
 * the web replicas spread so every drain has pods to evict.
 * Plan order: cordoned first (d), then least evictable CPU (c, a, b); the scheduler spreads
 * replicas, so every node has pods to evict when its turn comes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandState, parseCommandPublicKey } from '@hms-sys/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubernetesDriver } from '../../../src/drivers/kubernetes/kubernetesDriver.js';
import { checkPatchInvariants, type FeedEventLike } from '../../../src/patch/invariants.js';
import { COMMAND_SIGNING_PUBLIC_KEY_FILE } from '../../../src/patch/runner/commandSigner.js';
import { FakeControllers } from '../../kit/fakeKubeApi/fakeControllers.js';
import { deployment, node, pdb, pod } from '../../kit/fakeKubeApi/kubeObjects.js';
import type { KObj } from '../../kit/fakeKubeApi/fakeStore.js';
import { apiGet, startTestAggregator, type TestAggregator } from '../../kit/testAggregator.js';
import { Cluster, waitFor } from './harness.js';
import { SimulatedNode } from './simulatedNode.js';

const NS = 'default';
const KERNEL_BEFORE = '6.1.0-18-amd64';
const KERNEL_AFTER = '6.1.0-21-amd64';
/** client-go's 15/10/2 s scaled down (same ratios); generous enough for a loaded CI machine. */
const ELECTION = { namespace: 'hms-sys', name: 'hms-sys-aggregator', identity: 'aggregator-0', leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 200, releaseOnStop: true };
/** Short step timeouts: a stuck step fails the run well inside the test's deadline. */
const REQUEST = {
  window: 'now/10m', kind: 'kernel', strategy: 'rolling', concurrency: 1, failureBudget: 1, estimate: '1m',
  drainTimeout: '20s', commandTimeout: '15s', rebootTimeout: '15s', verifyTimeout: '15s', healthGateTimeout: '15s', blockedRetry: '500ms',
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** A ReplicaSet of a Deployment with the pod template its controller stamps pods from. */
function replicaSetWithTemplate(name: string, app: string, replicas: number, cpu: string): KObj {
  return {
    metadata: {
      name, namespace: NS, labels: { app },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: `uid-${app}`, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas, selector: { matchLabels: { app } },
      template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'main', image: `${app}:1`, resources: { requests: { cpu, memory: '128Mi' }, limits: { cpu: '1' } } }] } },
    },
    status: { replicas },
  };
}

interface World {
  readonly c: Cluster;
  readonly controllers: FakeControllers;
  readonly driver: KubernetesDriver;
  readonly t: TestAggregator;
  readonly sims: Map<string, SimulatedNode>;
}

/** Starts controllers, the aggregator (leading) and one simulated node per Node; waits until all are up. */
async function startWorld(c: Cluster): Promise<World> {
  const controllers = new FakeControllers(c.api, { readyAfterMs: 200 }).start();
  cleanups.push(() => controllers.stop());
  await waitFor(() => controllers.idle(), 'the fake control plane to settle');
  const driver = c.driver({ leaderElection: ELECTION });
  const t = await startTestAggregator({ driver });
  cleanups.push(() => t.close());
  await waitFor(() => driver.synced() && driver.isLeader(), 'the driver synced and leading', 10_000);
  const commandKey = parseCommandPublicKey(readFileSync(join(t.dataDir, COMMAND_SIGNING_PUBLIC_KEY_FILE), 'utf8'));
  const sims = new Map<string, SimulatedNode>();
  for (const n of c.api.store.list('nodes')) {
    const sim = new SimulatedNode({ name: n.metadata.name, api: c.api, wsUrl: t.wsUrl, agentToken: t.tokens.agent, commandKey, kernelAfter: KERNEL_AFTER });
    cleanups.push(() => sim.close());
    sims.set(sim.name, sim);
  }
  await Promise.all([...sims.values()].map((s) => s.start()));
  await waitFor(async () => {
    const nodes = (await apiGet<{ name: string; connected: boolean }[]>(t, '/v1/nodes')).body;
    return [...sims.keys()].every((n) => nodes.some((x) => x.name === n && x.connected));
  }, 'every agent connected');
  return { c, controllers, driver, t, sims };
}

async function apiPost<T>(t: TestAggregator, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.agg.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

interface NodeView {
  name: string; state: string; cordon: string; rebooted: boolean; simulated: boolean; bootIdBefore: string | null; bootId: string | null;
  kernelBefore: string | null; kernelVersion: string | null; commandId: string | null;
  blockers: { code: string; budget?: string; message: string }[] | null;
  drain: { pods: { pod: string; status: string }[] } | null;
}
interface RunView { id: string; state: string; result: string | null; settled: boolean; nodes: NodeView[] }

async function settledRun(t: TestAggregator, id: string, timeoutMs: number): Promise<RunView> {
  let run: RunView | undefined;
  await waitFor(async () => {
    run = (await apiGet<RunView>(t, `/v1/patches/${id}`)).body;
    return run.settled;
  }, `run ${id} to settle`, timeoutMs);
  return run as RunView;
}

async function feed(t: TestAggregator): Promise<FeedEventLike[]> {
  return (await apiGet<FeedEventLike[]>(t, '/v1/events?since=0&limit=10000')).body;
}

/** The cluster writes a patch run makes, in the order the API server received them. */
/** A core/v1 Event as the aggregator writes it (the fields these tests read). */
interface KubeEvent {
  readonly reason: string;
  readonly type: string;
  readonly message: string;
  readonly involvedObject: { readonly kind: string; readonly name: string; readonly uid?: string };
}
const kubeEvents = (c: Cluster): KubeEvent[] => c.api.list('events', 'default') as unknown as KubeEvent[];

function clusterWrites(c: Cluster, from: number, podNode: (pod: string) => string | undefined): { node: string; op: 'cordon' | 'uncordon' | 'evict'; pod?: string }[] {
  const out: { node: string; op: 'cordon' | 'uncordon' | 'evict'; pod?: string }[] = [];
  for (const r of c.api.requests.slice(from)) {
    const nodePatch = /^\/api\/v1\/nodes\/([^/]+)$/.exec(r.path);
    if (r.method === 'PATCH' && nodePatch) out.push({ node: nodePatch[1] as string, op: r.body?.spec?.unschedulable === true ? 'cordon' : 'uncordon' });
    const eviction = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/eviction$/.exec(r.path);
    if (r.method === 'POST' && eviction) out.push({ node: podNode(eviction[1] as string) ?? '?', op: 'evict', pod: eviction[1] as string });
  }
  return out;
}

describe('rolling patch through the Kubernetes driver (fake API server)', () => {
  it('cordons, drains through pods/eviction, patches, reboots and uncordons one node at a time, keeping a pre-existing cordon', async () => {
    const c = await Cluster.start();
    cleanups.push(() => c.close());
    for (const n of ['node-a', 'node-b', 'node-c']) c.api.put('nodes', node(n, { cpu: '2', bootId: `boot-${n}-0` }));
    c.api.put('nodes', node('node-d', { cpu: '2', bootId: 'boot-node-d-0', unschedulable: true })); // cordoned by an operator
    c.api.put('deployments', deployment(NS, 'web', 2));
    c.api.put('deployments', deployment(NS, 'batch', 1));
    c.api.put('replicasets', replicaSetWithTemplate('web-5d8f7', 'web', 2, '500m'));
    c.api.put('replicasets', replicaSetWithTemplate('batch-7c9b4', 'batch', 1, '500m'));
    const initial: [string, string, string][] = [['web-5d8f7-aaaaa', 'web-5d8f7', 'node-a'], ['web-5d8f7-bbbbb', 'web-5d8f7', 'node-b'], ['batch-7c9b4-ddddd', 'batch-7c9b4', 'node-d']];
    for (const [name, rs, n] of initial) c.api.put('pods', pod(NS, name, { node: n, cpu: '500m', labels: { app: rs.split('-')[0] as string }, owner: { kind: 'ReplicaSet', name: rs } }));
    c.api.put('poddisruptionbudgets', pdb(NS, 'web', { app: 'web' }, 1, { minAvailable: 1 }));
    // Probes: every boot id each Node reported, and the budget's health over time.
    const nodeBoots = new Map<string, string[]>();
    const budgetHealth: { healthy: number; desired: number }[] = [];
    c.api.store.listeners.add((plural, _type, o) => {
      if (plural === 'nodes') {
        const seen = nodeBoots.get(o.metadata.name) ?? [];
        const boot = o.status?.nodeInfo?.bootID as string;
        if (seen.at(-1) !== boot) nodeBoots.set(o.metadata.name, [...seen, boot]);
      }
      if (plural === 'poddisruptionbudgets' && o.status?.desiredHealthy !== undefined) budgetHealth.push({ healthy: o.status.currentHealthy, desired: o.status.desiredHealthy });
    });

    const w = await startWorld(c);
    const { t } = w;
    expect(c.api.get('poddisruptionbudgets', NS, 'web')?.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });

    // The plan first: nothing blocked, the cordoned node first, then the cheapest.
    const plan = await apiPost<{ order: string[]; totals: { blocked: number }; budgets: { budget: string; ok: boolean }[] }>(t, '/v1/patches/plan', { window: 'now/10m', estimate: '1m' });
    expect(plan.status).toBe(200);
    expect(plan.body.order).toEqual(['node-d', 'node-c', 'node-a', 'node-b']);
    expect(plan.body.totals.blocked).toBe(0);
    expect(plan.body.budgets).toEqual([expect.objectContaining({ budget: 'default/web', ok: true })]);

    const mark = c.api.requests.length;
    const created = await apiPost<RunView>(t, '/v1/patches', { ...REQUEST, expectedKernelVersion: KERNEL_AFTER });
    expect(created.status).toBe(201);
    const run = await settledRun(t, created.body.id, 30_000);

    // The run ended done, every node patched and rebooted into the new kernel.
    expect(run).toMatchObject({ state: 'done', result: 'success' });
    expect(run.nodes.map((n) => n.name)).toEqual(['node-d', 'node-c', 'node-a', 'node-b']);
    for (const n of run.nodes) {
      const sim = w.sims.get(n.name) as SimulatedNode;
      expect(n).toMatchObject({
        state: 'done', rebooted: true, simulated: false, bootIdBefore: `boot-${n.name}-0`, bootId: sim.bootId,
        kernelBefore: KERNEL_BEFORE, kernelVersion: KERNEL_AFTER, commandId: `${run.id}:${n.name}`,
      });
      expect(n.cordon).toBe(n.name === 'node-d' ? 'preexisting' : 'none');
    }

    // The simulated nodes: signed commands only, one accepted command and one reboot each, the
    // boot id changed exactly once (agent and Node status alike).
    for (const sim of w.sims.values()) {
      expect(sim.errors).toEqual([]);
      expect(sim.signatureProblems).toEqual([]);
      expect(sim.commands.length).toBeGreaterThanOrEqual(1);
      expect(new Set(sim.commands.map((x) => x.id))).toEqual(new Set([`${run.id}:${sim.name}`]));
      expect(sim.commands.every((x) => (x.signature?.length ?? 0) === 64 && x.nodeName === sim.name && x.allowReboot === true)).toBe(true);
      expect(sim.reported.some((s) => s.state === CommandState.COMMAND_STATE_REFUSED)).toBe(false);
      expect(sim.reboots).toBe(1);
      expect(sim.bootIds).toEqual([`boot-${sim.name}-0`, `boot-${sim.name}-0-after-1`]);
      expect(nodeBoots.get(sim.name)).toEqual(sim.bootIds);
      const kubeNode = c.api.get('nodes', undefined, sim.name);
      expect(kubeNode?.status.nodeInfo).toMatchObject({ bootID: sim.bootId, kernelVersion: KERNEL_AFTER });
    }

    // Cluster writes: per node, in run order, never interleaved: cordon, evictions, uncordon.
    const podNode = (name: string): string | undefined =>
      initial.find(([p]) => p === name)?.[2] ?? w.controllers.created.find((x) => x.name === name)?.node;
    const writes = clusterWrites(c, mark, podNode);
    const blocks: { node: string; ops: string[] }[] = [];
    for (const x of writes) {
      const last = blocks.at(-1);
      if (last?.node === x.node) last.ops.push(x.op);
      else blocks.push({ node: x.node, ops: [x.op] });
    }
    expect(blocks.map((b) => b.node)).toEqual(['node-d', 'node-c', 'node-a', 'node-b']);
    for (const b of blocks) {
      const evictions = b.ops.filter((op) => op === 'evict').length;
      expect(evictions, `evictions on ${b.node}`).toBeGreaterThanOrEqual(1);
      // node-d was cordoned before the run: it is never patched (neither cordoned nor uncordoned) by us.
      expect(b.ops).toEqual(b.node === 'node-d' ? Array(evictions).fill('evict') : ['cordon', ...Array(evictions).fill('evict'), 'uncordon']);
    }
    // Every eviction went through the policy/v1 subresource and was accepted: one call per evicted pod.
    const evictionCalls = c.api.requestsTo('POST', /^\/api\/v1\/namespaces\/default\/pods\/[^/]+\/eviction$/);
    // Every drain record says the run evicted its pod, also after the re-list no longer shows it.
    const evictedInRun = run.nodes.flatMap((n) => (n.drain?.pods ?? []).map((p) => p.pod));
    expect(evictedInRun.length).toBeGreaterThan(0);
    expect(run.nodes.flatMap((n) => (n.drain?.pods ?? []).map((p) => p.status)).every((st) => st === 'evicted')).toBe(true);
    expect(evictionCalls.map((r) => `default/${r.path.split('/')[6]}`).sort()).toEqual([...evictedInRun].sort());
    expect(evictionCalls.every((r) => r.body?.kind === 'Eviction' && r.body?.apiVersion === 'policy/v1' && typeof r.body?.deleteOptions?.preconditions?.uid === 'string')).toBe(true);
    expect(evictedInRun.length).toBeGreaterThanOrEqual(4);
    for (const [name] of initial) expect(c.api.get('pods', NS, name)).toBeUndefined();

    // The end state: the pre-existing cordon is kept, the others are schedulable, workloads whole.
    expect(c.api.get('nodes', undefined, 'node-d')?.spec.unschedulable).toBe(true);
    for (const n of ['node-a', 'node-b', 'node-c']) expect(c.api.get('nodes', undefined, n)?.spec.unschedulable).toBe(false);
    expect(c.api.get('deployments', NS, 'web')?.status).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(c.api.get('deployments', NS, 'batch')?.status).toMatchObject({ replicas: 1, readyReplicas: 1 });
    // Replacements were bound at once, never to the cordoned node (cordon = spec.unschedulable, honoured by the scheduler).
    expect(w.controllers.created.length).toBe(evictedInRun.length);
    expect(w.controllers.created.every((x) => x.node !== undefined && x.node !== 'node-d')).toBe(true);
    expect(c.api.store.list('pods').some((p) => p.spec.nodeName === 'node-d')).toBe(false);
    // The budget was honoured throughout: never fewer healthy web pods than it demands.
    expect(budgetHealth.length).toBeGreaterThan(2);
    expect(budgetHealth.every((h) => h.healthy >= h.desired)).toBe(true);

    // The feed: each node's steps in order, one node at a time; the invariants hold.
    const events = await feed(t);
    const ofRun = events.filter((e) => e['run'] === run.id);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    const steps = ofRun.filter((e) => e.type === 'patch.step' && e['from'] !== e['to']);
    const full = ['preflight', 'cordoning', 'draining', 'patching', 'rebooting', 'verifying', 'uncordoning', 'health-gate', 'done'];
    for (const n of ['node-a', 'node-b', 'node-c', 'node-d']) {
      expect(steps.filter((e) => e['node'] === n).map((e) => e['to']), n).toEqual(n === 'node-d' ? full.filter((s) => s !== 'uncordoning') : full);
    }
    const order = steps.map((e) => e['node']).filter((n, i, all) => i === 0 || all[i - 1] !== n);
    expect(order).toEqual(['node-d', 'node-c', 'node-a', 'node-b']); // no interleaving at all
    expect(steps.find((e) => e['node'] === 'node-d' && e['to'] === 'draining')?.['cordon']).toBe('preexisting');
    expect(steps.find((e) => e['node'] === 'node-d' && e['to'] === 'health-gate')?.['cordon']).toBe('kept');
    const reboots = ofRun.filter((e) => e.type === 'node.rebooted');
    expect(reboots.map((e) => [e['node'], e['bootIdBefore'], e['bootId']]).sort()).toEqual(
      [...w.sims.values()].map((s) => [s.name, s.bootIds[0], s.bootIds[1]]).sort(),
    );
    expect(ofRun.filter((e) => e.type === 'command.sent' && e['reattach'] === false)).toHaveLength(4);
    expect(ofRun.filter((e) => e.type === 'command.finished').every((e) => e['state'] === 'done' && e['rebooted'] === true)).toBe(true);

    // `kubectl describe node` tells the story: Events on each Node (matched by uid), and no
    // cordon/uncordon Event where the cordon was someone else's.
    const nodeEvents = (n: string) => kubeEvents(c).filter((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === n);
    await waitFor(() => ['node-a', 'node-b', 'node-c', 'node-d'].every((n) => nodeEvents(n).some((e) => e.reason === 'HmsSysPatched')), 'patch events on every node');
    for (const n of ['node-a', 'node-b', 'node-c', 'node-d']) {
      const evs = nodeEvents(n);
      expect(evs.every((e) => e.involvedObject.uid === c.api.get('nodes', undefined, n)?.metadata.uid && e.type === 'Normal'), n).toBe(true);
      const reasons = n === 'node-d' ? ['HmsSysDrained', 'HmsSysPatched', 'HmsSysRebooted'] : ['HmsSysCordoned', 'HmsSysDrained', 'HmsSysPatched', 'HmsSysRebooted', 'HmsSysUncordoned'];
      expect(evs.map((e) => e.reason).sort(), n).toEqual(reasons);
      expect(evs.every((e) => String(e.message).startsWith(`patch run ${run.id}`))).toBe(true);
    }

    // Never an HPA; the Lease is ours.
    expect(c.api.requests.some((r) => r.path.includes('horizontalpodautoscalers'))).toBe(false);
    expect(c.api.get('leases', 'hms-sys', 'hms-sys-aggregator')?.spec.holderIdentity).toBe('aggregator-0');
  });

  it('a budget that allows no disruption: the plan and the run report pdb-blocks by name; nothing is cordoned or evicted', async () => {
    const c = await Cluster.start();
    cleanups.push(() => c.close());
    for (const n of ['node-a', 'node-b', 'node-c']) c.api.put('nodes', node(n, { cpu: '2', bootId: `boot-${n}-0` }));
    c.api.put('deployments', deployment(NS, 'web', 3));
    c.api.put('replicasets', replicaSetWithTemplate('web-5d8f7', 'web', 3, '500m'));
    // One replica fails its readiness probe: with maxUnavailable 1 the budget has no disruption left.
    for (const [name, n, ready] of [['web-5d8f7-aaaaa', 'node-a', true], ['web-5d8f7-bbbbb', 'node-b', true], ['web-5d8f7-ccccc', 'node-c', false]] as const) {
      c.api.put('pods', pod(NS, name, { node: n, cpu: '500m', ready, labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } }));
    }
    c.api.put('poddisruptionbudgets', pdb(NS, 'web', { app: 'web' }, 1, { maxUnavailable: 1 }));

    const w = await startWorld(c);
    const { t } = w;
    expect(c.api.get('poddisruptionbudgets', NS, 'web')?.status).toMatchObject({ expectedPods: 3, currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 });
    await waitFor(() => w.driver.disruptionBudgets().some((b) => b.name === 'web' && b.disruptionsAllowed === 0), 'the driver to see the budget');

    type Reason = { code: string; budget?: string; message: string };
    const plan = await apiPost<{ nodes: { node: string; preflight: { ok: boolean; reasons: Reason[] } }[]; totals: { blocked: number }; budgets: { budget: string; disruptionsAllowed: number; ok: boolean }[] }>(
      t, '/v1/patches/plan', { window: 'now/10m', estimate: '1m' },
    );
    expect(plan.status).toBe(200);
    expect(plan.body.totals.blocked).toBe(3);
    for (const n of plan.body.nodes) {
      expect(n.preflight.ok).toBe(false);
      expect(n.preflight.reasons).toEqual([expect.objectContaining({ code: 'pdb-blocks', budget: 'default/web', message: expect.stringMatching(/disruption budget default\/web allows no disruption now/) })]);
    }
    expect(plan.body.budgets).toEqual([expect.objectContaining({ budget: 'default/web', disruptionsAllowed: 0, ok: false })]);

    const mark = c.api.requests.length;
    const created = await apiPost<RunView>(t, '/v1/patches', { ...REQUEST, maxPreflightBlocks: 1 });
    expect(created.status).toBe(201);
    const run = await settledRun(t, created.body.id, 15_000);
    expect(run).toMatchObject({ state: 'done', result: 'partial' });
    for (const n of run.nodes) {
      expect(n.state).toBe('blocked');
      expect(n.blockers).toEqual([expect.objectContaining({ code: 'pdb-blocks', budget: 'default/web' })]);
      expect(n.commandId).toBeNull();
    }
    const events = await feed(t);
    const blocked = events.filter((e) => e['run'] === run.id && e.type === 'drain.blocked');
    expect(blocked.map((e) => e['node']).sort()).toEqual(['node-a', 'node-b', 'node-c']);
    expect(blocked.every((e) => e['stage'] === 'preflight' && String(e['message']).includes('default/web'))).toBe(true);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    // Each refusal is a Warning Event on its Node, naming the budget.
    const warnings = () => kubeEvents(c).filter((e) => e.reason === 'HmsSysDrainBlocked');
    await waitFor(() => warnings().length === blocked.length, 'a drain-blocked Event per refusal');
    expect(warnings().map((e) => e.involvedObject.name).sort()).toEqual(blocked.map((e) => e['node']).sort());
    expect(warnings().every((e) => e.type === 'Warning' && String(e.message).includes('default/web'))).toBe(true);

    // Nothing touched: no node write, no eviction, no command, no HPA.
    expect(clusterWrites(c, mark, () => undefined)).toEqual([]);
    for (const n of c.api.store.list('nodes')) expect(n.spec.unschedulable ?? false).toBe(false);
    expect(c.api.store.list('pods')).toHaveLength(3);
    for (const sim of w.sims.values()) expect(sim.commands).toEqual([]);
    expect(c.api.requests.some((r) => r.path.includes('horizontalpodautoscalers'))).toBe(false);
  });
});
