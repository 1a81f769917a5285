/**
 * The driver's writes against the fake API server: scale through the subresource, cordon and
 * uncordon as merge patches, evictions with disruption budgets and the uid re-check.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { deployment, node, pdb, pod } from '../../kit/fakeKubeApi/kubeObjects.js';
import { Cluster, waitFor } from './harness.js';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('scale', () => {
  it('merge-patches the scale subresource, never the Deployment, and the view shows the new count at once', async () => {
    c = await Cluster.start();
    c.api.put('deployments', deployment('shop', 'web', 2));
    const d = await c.syncedDriver();
    await d.scale('shop', 'web', 7);
    expect(d.deployments().find((x) => x.name === 'web')?.replicas).toBe(7); // before the watch event
    const writes = c.api.requests.filter((r) => r.method !== 'GET');
    expect(writes).toEqual([{ method: 'PATCH', path: '/apis/apps/v1/namespaces/shop/deployments/web/scale', query: {}, contentType: 'application/merge-patch+json', body: { spec: { replicas: 7 } } }]);
    expect(c.api.get('deployments', 'shop', 'web')?.spec.replicas).toBe(7);
    await expect(d.scale('shop', 'nope', 3)).rejects.toMatchObject({ code: 'HMS_NOT_FOUND' });
  });
});

describe('cordon', () => {
  it('leaves a node that is already cordoned exactly as it is and says so', async () => {
    c = await Cluster.start();
    c.api.put('nodes', node('n1', { unschedulable: true }));
    const d = await c.syncedDriver();
    const rv = c.api.get('nodes', undefined, 'n1')?.metadata.resourceVersion;
    expect(await d.cordon('n1')).toEqual({ alreadyCordoned: true });
    expect(c.api.requestsTo('PATCH', /nodes/)).toHaveLength(0);
    expect(c.api.get('nodes', undefined, 'n1')?.metadata.resourceVersion).toBe(rv);
  });

  it('cordons with a merge patch of spec.unschedulable guarded by the read resourceVersion, and uncordons', async () => {
    c = await Cluster.start();
    c.api.put('nodes', node('n1'));
    const d = await c.syncedDriver();
    const rv = c.api.get('nodes', undefined, 'n1')?.metadata.resourceVersion;
    expect(await d.cordon('n1')).toEqual({ alreadyCordoned: false });
    expect(c.api.get('nodes', undefined, 'n1')?.spec.unschedulable).toBe(true);
    const [patch] = c.api.requestsTo('PATCH', /^\/api\/v1\/nodes\/n1$/);
    expect(patch).toMatchObject({ contentType: 'application/merge-patch+json', body: { metadata: { resourceVersion: rv }, spec: { unschedulable: true } } });
    await waitFor(() => d.nodes()[0]?.unschedulable === true, 'cordon seen by the watch');

    await d.uncordon('n1');
    expect(c.api.get('nodes', undefined, 'n1')?.spec.unschedulable).toBe(false);
    expect(c.api.requestsTo('PATCH', /^\/api\/v1\/nodes\/n1$/)[1]).toMatchObject({ contentType: 'application/merge-patch+json', body: { spec: { unschedulable: false } } });
    await expect(d.cordon('ghost')).rejects.toMatchObject({ code: 'HMS_NOT_FOUND' });
  });

  it('re-reads when the node changed between the read and the patch (409) and then keeps a cordon set meanwhile', async () => {
    c = await Cluster.start();
    c.api.put('nodes', node('n1'));
    const d = await c.syncedDriver();
    // Someone else cordons n1 right after our read: our guarded patch must fail, not overwrite.
    let raced = false;
    c.api.addFault((r) => {
      if (!raced && r.method === 'PATCH' && r.path === '/api/v1/nodes/n1') {
        raced = true;
        c!.api.modify('nodes', undefined, 'n1', (o) => { o.spec.unschedulable = true; });
      }
      return undefined;
    });
    expect(await d.cordon('n1')).toEqual({ alreadyCordoned: true });
    expect(c.api.requestsTo('GET', /^\/api\/v1\/nodes\/n1$/)).toHaveLength(2);
  });

  it('(the pitfall the driver avoids) a merge body sent with the client default content type is refused', async () => {
    c = await Cluster.start();
    c.api.put('nodes', node('n1'));
    const core = c.api.kubeConfig().makeApiClient(CoreV1Api);
    await expect(core.patchNode({ name: 'n1', body: { spec: { unschedulable: true } } })).rejects.toMatchObject({ code: 400 });
    expect(c.api.requestsTo('PATCH', /nodes/)[0]?.contentType).toBe('application/json-patch+json');
    expect(c.api.get('nodes', undefined, 'n1')?.spec.unschedulable).toBeUndefined();
  });
});

describe('evict', () => {
  const target = { namespace: 'default', name: 'web-1', uid: 'uid-web-1', node: 'n1' };

  async function withPod(budgets: [string, number][]): Promise<Awaited<ReturnType<Cluster['syncedDriver']>>> {
    c = await Cluster.start();
    c.api.put('pods', pod('default', 'web-1', { uid: 'uid-web-1', node: 'n1', labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web-rs' } }));
    for (const [name, allowed] of budgets) c.api.put('poddisruptionbudgets', pdb('default', name, { app: 'web' }, allowed));
    return c.syncedDriver();
  }

  it('429 while a budget allows no disruption -> blocked with the budget named; once it allows one -> evicted', async () => {
    const d = await withPod([['web-pdb', 0]]);
    const blocked = await d.evict(target, { gracePeriodSeconds: 30 });
    expect(blocked).toEqual({ kind: 'blocked', budgets: ['default/web-pdb'], message: "Cannot evict pod as it would violate the pod's disruption budget." });
    expect(c!.api.get('pods', 'default', 'web-1')).toBeDefined();

    c!.api.modify('poddisruptionbudgets', 'default', 'web-pdb', (o) => { o.status.disruptionsAllowed = 1; });
    expect(await d.evict(target, { gracePeriodSeconds: 30 })).toEqual({ kind: 'evicted' });
    expect(c!.api.get('pods', 'default', 'web-1')).toBeUndefined();
    const posts = c!.api.requestsTo('POST', /^\/api\/v1\/namespaces\/default\/pods\/web-1\/eviction$/);
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toEqual({
      apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' },
      deleteOptions: { preconditions: { uid: 'uid-web-1' }, gracePeriodSeconds: 30 },
    });
    await waitFor(() => d.pods().length === 0, 'the pod gone from the view');
    expect(await d.evict(target)).toEqual({ kind: 'gone' });
  });

  it('500 when two budgets select the pod -> an error naming both', async () => {
    const d = await withPod([['web-pdb', 1], ['all-pdb', 1]]);
    const out = await d.evict(target);
    expect(out.kind).toBe('error');
    expect(out.kind === 'error' && out.message).toMatch(/selected by 2 PodDisruptionBudgets \(default\/all-pdb, default\/web-pdb\)/);
    expect(c!.api.get('pods', 'default', 'web-1')).toBeDefined();
  });

  it('a pod recreated under the same name is a different pod: gone, and nothing is evicted', async () => {
    const d = await withPod([]);
    c!.api.remove('pods', 'default', 'web-1');
    c!.api.put('pods', pod('default', 'web-1', { uid: 'uid-web-1-new', node: 'n1', labels: { app: 'web' } }));
    // Whether or not the watch has delivered the new pod yet, the re-check (cache, then GET) says gone.
    expect(await d.evict(target)).toEqual({ kind: 'gone' });
    await waitFor(() => d.pods()[0]?.uid === 'uid-web-1-new', 'new pod in the view');
    expect(await d.evict(target)).toEqual({ kind: 'gone' });
    expect(await d.evict({ ...target, uid: 'uid-web-1-new', node: 'n2' })).toEqual({ kind: 'gone' }); // same pod, other node
    expect(c!.api.requestsTo('POST', /eviction$/)).toHaveLength(0);
    expect(c!.api.get('pods', 'default', 'web-1')?.metadata.uid).toBe('uid-web-1-new');
  });

  it('a pod replaced between the GET and the POST is protected by the uid precondition (409 -> gone)', async () => {
    const d = await withPod([]);
    c!.api.addFault((r) => {
      if (r.method === 'POST' && r.path.endsWith('/eviction')) {
        c!.api.remove('pods', 'default', 'web-1');
        c!.api.put('pods', pod('default', 'web-1', { uid: 'uid-web-1-new', node: 'n1', labels: { app: 'web' } }));
      }
      return undefined;
    });
    expect(await d.evict(target)).toEqual({ kind: 'gone' });
    expect(c!.api.get('pods', 'default', 'web-1')?.metadata.uid).toBe('uid-web-1-new');
  });
});
