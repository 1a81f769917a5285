import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom, silentLogger } from '@hms-sys/common';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { DeploymentController, type LocalNode } from '../../../src/drivers/local/deploymentController.js';
import { LocalStore } from '../../../src/drivers/local/localStore.js';
import { parseManifests } from '../../../src/drivers/local/manifests.js';
import { FakeRuntime, flush } from './fakes.js';

const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

function node(name: string, cpu = 2000): LocalNode {
  return { name, virtual: true, allocatableCpuMilli: cpu, unschedulable: false, ready: true, labels: {} };
}

function web(replicas: number, cpu = '500m', extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      terminationGracePeriodSeconds: 7
      containers:
        - { name: app, command: [sleep, "1000"], resources: { requests: { cpu: ${cpu} } } }
${extra}`;
}

function setup(nodes: LocalNode[] = [node('node-1'), node('node-2'), node('node-3')]) {
  const db = openDatabase(':memory:');
  dbs.push(db);
  const clock = new ManualClock();
  const runtime = new FakeRuntime();
  const events: { type: string; fields: Record<string, unknown> }[] = [];
  const store = new LocalStore(db, () => clock.now());
  const c = new DeploymentController({ clock, random: seededRandom(7), logger: silentLogger(), store, runtime, emit: (type, fields) => events.push({ type, fields }) });
  for (const n of nodes) c.setNode(n);
  c.load();
  c.start();
  return { c, clock, runtime, events, store, db };
}

const live = (c: DeploymentController) => c.pods().filter((p) => !p.deleted);
const perNode = (c: DeploymentController) => {
  const m: Record<string, number> = {};
  for (const p of live(c)) m[p.node ?? '-'] = (m[p.node ?? '-'] ?? 0) + 1;
  return m;
};

describe('DeploymentController', () => {
  it('spreads pods by most free CPU and becomes ready', async () => {
    const { c } = setup();
    c.apply(parseManifests(web(3)));
    await flush();
    expect(perNode(c)).toEqual({ 'node-1': 1, 'node-2': 1, 'node-3': 1 });
    expect(c.deployments()).toEqual([{ namespace: 'default', name: 'web', replicas: 3, readyReplicas: 3, labels: {} }]);
    const p = live(c)[0]!;
    expect(p).toMatchObject({ phase: 'Running', ready: true, owner: { kind: 'Deployment', name: 'web' }, qosClass: 'Burstable' });
    expect(p.containers[0]).toMatchObject({ name: 'app', id: 'app', cpuRequestMilli: 500 });
    expect(p.labels?.['pod-template-hash']).toBeTruthy();
  });

  it('places on the node with the most free CPU, not round-robin', async () => {
    const { c } = setup([node('node-1', 4000), node('node-2', 1000)]);
    c.apply(parseManifests(web(3)));
    await flush();
    // node-1 has 4000 free, then 3500, then 3000 — always more than node-2's 1000
    expect(perNode(c)).toEqual({ 'node-1': 3 });
  });

  it('keeps pods Pending with "Insufficient cpu" until capacity frees up', async () => {
    const { c, events } = setup([node('node-1', 1000)]);
    c.apply(parseManifests(web(3)));
    await flush();
    expect(perNode(c)).toEqual({ 'node-1': 2, '-': 1 });
    const row = c.listPodStatuses().find((r) => r.node === '<none>');
    expect(row).toMatchObject({ status: 'Pending', ready: '0/1', cpuRequest: '500m' });
    expect(row?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    expect(events.some((e) => e.fields.change === 'unschedulable' && e.fields.reason === 'Insufficient cpu')).toBe(true);
    await c.scale('default', 'web', 2); // the pending one is deleted first (unscheduled)
    await flush();
    expect(perNode(c)).toEqual({ 'node-1': 2 });
  });

  it('reconciles replicas: scale up, scale down (not-ready first, then newest), persists spec.replicas', async () => {
    const { c, clock, runtime, store } = setup();
    c.apply(parseManifests(web(2)));
    await flush();
    clock.advance(1000);
    await c.scale('default', 'web', 4);
    await flush();
    expect(live(c)).toHaveLength(4);
    expect(store.loadDeployments()[0]?.replicas).toBe(4);
    const byAge = [...live(c)].sort((a, b) => (a.startTimeMs ?? 0) - (b.startTimeMs ?? 0));
    const sick = byAge[0]!; // oldest, but not ready
    runtime.setReady(sick.uid, false);
    await flush();
    await c.scale('default', 'web', 2);
    await flush();
    const left = live(c).map((p) => p.uid);
    expect(left).not.toContain(sick.uid);
    expect(left).toContain(byAge[1]!.uid); // the older ready one stays
    expect(runtime.stopped.find((s) => s.uid === sick.uid)?.graceMs).toBe(7000);
    await expect(c.scale('default', 'nope', 1)).rejects.toThrow(/no deployment default\/nope/);
  });

  it('applying without replicas keeps the current count; a changed template rolls out', async () => {
    const { c, runtime } = setup();
    c.apply(parseManifests(web(2)));
    await flush();
    await c.scale('default', 'web', 3);
    await flush();
    const res = c.apply(parseManifests(web(2, '500m').replace('  replicas: 2\n', '')));
    expect(res[0]?.action).toBe('unchanged');
    expect(c.deployments()[0]?.replicas).toBe(3);
    const oldUids = live(c).map((p) => p.uid);
    c.apply(parseManifests(web(3, '400m')));
    for (let i = 0; i < 10; i++) await flush();
    expect(live(c).map((p) => p.uid).some((u) => oldUids.includes(u))).toBe(false);
    expect(live(c)).toHaveLength(3);
    expect(runtime.started.slice(-3).every((p) => p.containers[0]?.cpuRequestMilli === 400)).toBe(true);
  });

  it('cordon persists and reports whether the node already was cordoned', async () => {
    const { c, store } = setup();
    expect(await c.cordon('node-1')).toEqual({ alreadyCordoned: false });
    expect(await c.cordon('node-1')).toEqual({ alreadyCordoned: true });
    expect(store.loadNodes().find((n) => n.name === 'node-1')?.unschedulable).toBe(true);
    c.apply(parseManifests(web(4)));
    await flush();
    expect(perNode(c)['node-1']).toBeUndefined();
    await c.uncordon('node-1');
    expect(store.loadNodes().find((n) => n.name === 'node-1')?.unschedulable).toBe(false);
    await expect(c.cordon('node-9')).rejects.toThrow(/no node node-9/);
  });

  it('evicts: re-checks uid and node, replaces the pod on another node after a drain', async () => {
    const { c } = setup([node('node-1'), node('node-2')]);
    c.apply(parseManifests(web(2)));
    await flush();
    const victim = live(c).find((p) => p.node === 'node-1')!;
    expect(await c.evict({ namespace: 'default', name: victim.name, uid: 'other-uid', node: 'node-1' })).toEqual({ kind: 'gone' });
    expect(await c.evict({ namespace: 'default', name: victim.name, uid: victim.uid, node: 'node-2' })).toEqual({ kind: 'gone' });
    await c.cordon('node-1');
    expect(await c.evict({ namespace: 'default', name: victim.name, uid: victim.uid, node: 'node-1' })).toEqual({ kind: 'evicted' });
    await flush();
    expect(c.pods().find((p) => p.uid === victim.uid)).toBeUndefined();
    expect(perNode(c)).toEqual({ 'node-2': 2 });
  });

  it('blocks evictions that would break a PodDisruptionBudget', async () => {
    const pdb = `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web-pdb }
spec: { minAvailable: 2, selector: { matchLabels: { app: web } } }
`;
    const { c, runtime } = setup();
    c.apply(parseManifests(web(3) + pdb));
    await flush();
    expect(c.disruptionBudgets()[0]).toMatchObject({ name: 'web-pdb', disruptionsAllowed: 1, minAvailable: 2 });
    const [a, b] = live(c);
    expect((await c.evict({ namespace: 'default', name: a!.name, uid: a!.uid, node: a!.node! })).kind).toBe('evicted');
    // the replacement is not ready yet: 2 ready left, a second eviction would drop to 1
    const replacement = live(c).find((p) => p.uid !== a!.uid && !runtime.stopped.some((s) => s.uid === p.uid) && p.uid !== b!.uid && p.startTimeMs !== undefined);
    if (replacement) runtime.setReady(replacement.uid, false);
    await flush();
    const blocked = await c.evict({ namespace: 'default', name: b!.name, uid: b!.uid, node: b!.node! });
    expect(blocked).toMatchObject({ kind: 'blocked', budgets: ['web-pdb'] });
    if (blocked.kind === 'blocked') expect(blocked.message).toMatch(/needs 2 healthy pods and has 2 currently/);
    if (replacement) runtime.setReady(replacement.uid, true);
    await flush();
    expect((await c.evict({ namespace: 'default', name: b!.name, uid: b!.uid, node: b!.node! })).kind).toBe('evicted');
  });

  it('deleteDeployment stops its pods; events name what changed', async () => {
    const { c, events, store } = setup();
    c.apply(parseManifests(web(2)));
    await flush();
    expect(c.deleteDeployment('default', 'web')).toEqual({ pods: 2 });
    await flush();
    expect(c.pods()).toHaveLength(0);
    expect(store.loadPods()).toHaveLength(0);
    expect(store.loadDeployments()).toHaveLength(0);
    const types = events.map((e) => `${e.type}:${String(e.fields.change)}`);
    expect(types).toContain('deployment.changed:created');
    expect(types).toContain('pod.changed:scheduled');
    expect(types).toContain('pod.changed:ready');
    expect(types).toContain('pod.changed:terminating');
    expect(types).toContain('pod.changed:deleted');
    expect(types).toContain('deployment.changed:deleted');
  });

  it('notifies onChange listeners and restores deployments from the store', async () => {
    const { c, db } = setup();
    const seen: string[] = [];
    c.onChange((w) => seen.push(w));
    c.apply(parseManifests(web(1)));
    await flush();
    expect(seen).toContain('deployments');
    expect(seen).toContain('pods');
    const c2 = new DeploymentController({ clock: new ManualClock(), random: seededRandom(1), logger: silentLogger(), store: new LocalStore(db, () => 0), runtime: new FakeRuntime(), emit: () => {} });
    c2.load();
    expect(c2.deployments()).toMatchObject([{ name: 'web', replicas: 1 }]);
  });
});
