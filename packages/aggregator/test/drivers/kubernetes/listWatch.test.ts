/**
 * The driver's list-watch against the fake API server: paged lists, resume after a dropped
 * watch, re-list after 410 Gone, bookmarks, retries with back-off, onChange.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pod } from '../../kit/fakeKubeApi/kubeObjects.js';
import { Cluster, waitFor } from './harness.js';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

const podLists = (cl: Cluster) => cl.api.requestsTo('GET', /^\/api\/v1\/pods$/).filter((r) => r.query.watch !== 'true');
const podWatches = (cl: Cluster) => cl.api.requestsTo('GET', /^\/api\/v1\/pods$/).filter((r) => r.query.watch === 'true');
const names = (d: { pods(): readonly { name: string }[] }) => d.pods().map((p) => p.name).sort();

describe('list-watch', () => {
  it('lists in pages, is synced only after every kind was listed, and then follows the watch', async () => {
    c = await Cluster.start();
    for (let i = 1; i <= 5; i++) c.api.put('pods', pod('default', `p${i}`, { node: 'n1' }));
    const failPolicies = c.api.addFault((r) => (r.path === '/apis/hms-sys.io/v1/scalingpolicies' && r.query.watch !== 'true' ? { status: 503, message: 'not yet' } : undefined));
    const d = c.driver();
    const changes: string[] = [];
    d.onChange((what) => changes.push(what));
    await d.start();
    await waitFor(() => d.pods().length === 5, 'pods listed');
    expect(d.synced()).toBe(false); // the ScalingPolicy list still fails: not ready
    failPolicies();
    await waitFor(() => d.synced(), 'synced once the failing list succeeds on retry');
    // pageSize 2: three pages chained by the continue token.
    const lists = podLists(c);
    expect(lists.map((r) => [r.query.limit, r.query.continue !== undefined])).toEqual([['2', false], ['2', true], ['2', true]]);
    expect(changes).toContain('pods');

    changes.length = 0;
    c.api.put('pods', pod('default', 'p6', { node: 'n1' }));
    await waitFor(() => names(d).includes('p6'), 'p6 from the watch');
    expect(changes).toContain('pods');
    expect(podLists(c)).toHaveLength(3); // no re-list
  });

  it('resumes a dropped watch from the last resourceVersion and misses nothing written meanwhile', async () => {
    c = await Cluster.start();
    c.api.put('pods', pod('default', 'p1', { node: 'n1', labels: { v: '1' } }));
    c.api.put('pods', pod('default', 'p2', { node: 'n1' }));
    const d = await c.syncedDriver();
    await waitFor(() => c!.api.watchCount('pods') === 1, 'pods watch open');
    const lastSeen = String(c.api.store.resourceVersion);

    expect(c.api.dropWatches('pods')).toBe(1);
    // Written while the driver is disconnected (same tick: it cannot have reconnected yet).
    c.api.put('pods', pod('default', 'p1', { node: 'n1', labels: { v: '2' } }));
    c.api.remove('pods', 'default', 'p2');
    c.api.put('pods', pod('default', 'p3', { node: 'n2' }));

    await waitFor(() => names(d).join() === 'p1,p3', 'changes made while disconnected');
    expect(d.pods().find((p) => p.name === 'p1')?.labels).toEqual({ v: '2' });
    const watches = podWatches(c);
    expect(watches.length).toBeGreaterThanOrEqual(2);
    expect(watches[1]?.query.resourceVersion).toBe(lastSeen);
    expect(podLists(c)).toHaveLength(1); // resumed, not re-listed
  });

  for (const mode of ['event', 'status'] as const) {
    it(`re-lists after 410 Gone (${mode === 'event' ? 'ERROR event in the stream' : 'HTTP 410'}) and sees deletions whose events were compacted away`, async () => {
      c = await Cluster.start();
      c.api.expiredAs = mode;
      c.api.put('pods', pod('default', 'p1', { node: 'n1' }));
      c.api.put('pods', pod('default', 'p2', { node: 'n1' }));
      const d = await c.syncedDriver();
      await waitFor(() => c!.api.watchCount('pods') === 1, 'pods watch open');

      c.api.dropWatches('pods');
      c.api.remove('pods', 'default', 'p1');
      c.api.put('pods', pod('default', 'p3', { node: 'n1' }));
      c.api.compact('pods'); // the DELETED event of p1 is gone from history

      await waitFor(() => names(d).join() === 'p2,p3', 're-listed view');
      expect(podLists(c)).toHaveLength(2);
      // And it watches again from the new list's version.
      c.api.put('pods', pod('default', 'p4', { node: 'n1' }));
      await waitFor(() => names(d).includes('p4'), 'p4 after the re-list');
    });
  }

  it('keeps the resourceVersion of bookmarks, so a resumed watch starts after them', async () => {
    c = await Cluster.start();
    c.api.put('pods', pod('default', 'p1', { node: 'n1' }));
    const d = await c.syncedDriver();
    await waitFor(() => c!.api.watchCount('pods') === 1, 'pods watch open');
    c.api.put('nodes', { metadata: { name: 'n9' }, spec: {}, status: {} }); // moves the global version
    c.api.bookmark('pods');
    const bookmarked = String(c.api.store.resourceVersion);
    await new Promise((r) => setTimeout(r, 50));
    c.api.dropWatches('pods');
    await waitFor(() => podWatches(c!).length >= 2, 'a second pods watch');
    expect(podWatches(c)[1]?.query.resourceVersion).toBe(bookmarked);
    expect(d.synced()).toBe(true);
  });

  it('re-lists after a watch fails with an HTTP error, with back-off, and recovers', async () => {
    c = await Cluster.start();
    c.api.put('pods', pod('default', 'p1', { node: 'n1' }));
    const d = await c.syncedDriver();
    await waitFor(() => c!.api.watchCount('pods') === 1, 'pods watch open');
    let failures = 0;
    const remove = c.api.addFault((r) => (r.path === '/api/v1/pods' && r.query.watch === 'true' && failures++ < 2 ? { status: 500, message: 'etcd unavailable' } : undefined));
    c.api.dropWatches('pods');
    c.api.put('pods', pod('default', 'p2', { node: 'n1' }));
    await waitFor(() => failures >= 3 && c!.api.watchCount('pods') === 1, 'a healthy watch after two failures');
    remove();
    expect(names(d)).toEqual(['p1', 'p2']);
    expect(podLists(c)).toHaveLength(3); // each failed watch was followed by a full re-list
  });
});
