/**
 * Leader election on a Lease in the fake API server: one leader among candidates, takeover when
 * the leader stops renewing, a leader that cannot renew stops acting at its renew deadline, and
 * only the leader's aggregator is ready and scales.
 */
import { ManualClock, silentLogger, systemClock, seededRandom } from '@hms-sys/common';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApi } from '../../../src/drivers/kubernetes/kubeApi.js';
import { LeaseElector, type LeaderElectionConfig } from '../../../src/drivers/kubernetes/leaseElector.js';
import { FakeKubeApi } from '../../kit/fakeKubeApi/fakeKubeApi.js';
import { deployment } from '../../kit/fakeKubeApi/kubeObjects.js';
import { apiGet, startTestAggregator, type TestAggregator } from '../../kit/testAggregator.js';
import { Cluster, waitFor } from './harness.js';

/** Fast timings (client-go's 15/10/2 s scaled down); the ratios keep client-go's constraints. */
const FAST = { namespace: 'hms-sys', name: 'hms-sys-aggregator', leaseDurationMs: 1200, renewDeadlineMs: 800, retryPeriodMs: 150, releaseOnStop: true };

let api: FakeKubeApi | undefined;
const electors: LeaseElector[] = [];
afterEach(async () => {
  await Promise.all(electors.splice(0).map((e) => e.stop()));
  await api?.close();
  api = undefined;
});

function elector(identity: string, overrides: Partial<LeaderElectionConfig> = {}): LeaseElector {
  const e = new LeaseElector(new KubeApi(api!.kubeConfig(), 400).coordination, { ...FAST, identity, ...overrides }, { clock: systemClock, random: seededRandom(identity.length), logger: silentLogger() });
  electors.push(e);
  return e;
}

const lease = () => api!.get('leases', 'hms-sys', 'hms-sys-aggregator');

describe('lease elector', () => {
  it('elects exactly one of two candidates, never two at once, with MicroTime stamps and guarded replaces', async () => {
    api = await new FakeKubeApi().start();
    const a = elector('aggregator-a');
    const b = elector('aggregator-b');
    a.start();
    b.start();
    await waitFor(() => a.isLeader() || b.isLeader(), 'a leader');
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 100));
      expect([a.isLeader(), b.isLeader()].filter(Boolean).length).toBeLessThanOrEqual(1);
    }
    await waitFor(() => a.isLeader() !== b.isLeader(), 'exactly one leader');
    const id = a.isLeader() ? 'aggregator-a' : 'aggregator-b';
    expect(lease()?.spec).toMatchObject({ holderIdentity: id, leaseDurationSeconds: 2 });
    expect(String(lease()?.spec.renewTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/); // MicroTime
    // Renewals are replaces carrying the read resourceVersion; the loser of a race gets 409.
    const puts = api.requestsTo('PUT', /leases\/hms-sys-aggregator$/);
    expect(puts.length).toBeGreaterThan(3);
    expect(puts.every((p) => typeof p.body?.metadata?.resourceVersion === 'string')).toBe(true);
  });

  it('a standby takes over after the leader stops renewing (no release), and the transition is counted', async () => {
    api = await new FakeKubeApi().start();
    const a = elector('aggregator-a', { releaseOnStop: false });
    a.start();
    await waitFor(() => a.isLeader(), 'a leads');
    const b = elector('aggregator-b');
    b.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(b.isLeader()).toBe(false);
    const stoppedAt = Date.now();
    await a.stop(); // a crashed, as far as b can tell: the lease just stops being renewed
    expect(a.isLeader()).toBe(false);
    await waitFor(() => b.isLeader(), 'b takes over', 5000);
    // Not before the lease duration since b last saw the record change.
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(FAST.leaseDurationMs - 300);
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'aggregator-b', leaseTransitions: 1 });
  });

  it('a leader that cannot renew stops acting once the renew deadline has passed (manual clock: exact)', async () => {
    api = await new FakeKubeApi().start();
    const clock = new ManualClock(Date.now());
    const a = new LeaseElector(new KubeApi(api.kubeConfig(), 400).coordination, { ...FAST, identity: 'aggregator-a' }, { clock, random: seededRandom(1), logger: silentLogger() });
    electors.push(a);
    const changes: boolean[] = [];
    a.onChange((l) => changes.push(l));
    /** Moves the manual clock in 10 ms steps, giving the real HTTP round trips time in between. */
    const advance = async (ms: number): Promise<void> => {
      for (let t = 0; t < ms; t += 10) {
        clock.advance(10);
        await new Promise((r) => setTimeout(r, 2));
      }
    };
    a.start();
    await waitFor(async () => {
      await advance(10);
      return a.isLeader();
    }, 'a leads');
    // From here no renewal can succeed; the last one happened at or before this instant.
    api.addFault((r) => (r.path.includes('/leases/') ? { status: 503, message: 'apiserver unavailable' } : undefined));
    await advance(FAST.renewDeadlineMs);
    // renewDeadline (800) < leaseDuration (1200): it stood down before any standby could take over.
    expect(a.isLeader()).toBe(false);
    expect(changes).toEqual([true, false]);
    await advance(600);
    expect(a.isLeader()).toBe(false);
  });

  it('on a clean stop hands the lease back so a standby takes over without waiting out the lease', async () => {
    api = await new FakeKubeApi().start();
    const slow = { leaseDurationMs: 30_000, renewDeadlineMs: 800 };
    const a = elector('aggregator-a', slow);
    a.start();
    await waitFor(() => a.isLeader(), 'a leads');
    const b = elector('aggregator-b', slow);
    b.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(b.isLeader()).toBe(false);
    await a.stop();
    expect(lease()?.spec.holderIdentity).toBe('');
    await waitFor(() => b.isLeader(), 'b takes over well before the 30 s lease would expire', 10_000);
  });
});

describe('aggregators under leader election', () => {
  let c: Cluster | undefined;
  const aggs: TestAggregator[] = [];
  afterEach(async () => {
    await Promise.all(aggs.splice(0).map((t) => t.close()));
    await c?.close();
    c = undefined;
  });

  it('only the leader is ready and acts; the standby answers /readyz 503, refuses to scale, and takes over', async () => {
    c = await Cluster.start();
    c.api.put('deployments', deployment('default', 'web', 2));
    const da = c.driver({ leaderElection: { ...FAST, identity: 'agg-a' } });
    const ta = await startTestAggregator({ driver: da });
    aggs.push(ta);
    await waitFor(() => da.isLeader() && da.synced(), 'a leads');
    const db = c.driver({ leaderElection: { ...FAST, identity: 'agg-b' } });
    const tb = await startTestAggregator({ driver: db });
    aggs.push(tb);
    await waitFor(() => db.synced(), 'b synced (a warm standby)');
    expect(db.deployments()).toHaveLength(1);

    expect((await apiGet(ta, '/readyz', null)).status).toBe(200);
    const standby = await apiGet<{ reasons: string[] }>(tb, '/readyz', null);
    expect(standby.status).toBe(503);
    expect(standby.body.reasons).toEqual(['standby: another replica holds the leader lease']);
    await expect(db.scale('default', 'web', 5)).rejects.toMatchObject({ code: 'HMS_UNAVAILABLE' });
    expect(c.api.requestsTo('PATCH', /scale$/)).toHaveLength(0);

    await ta.close();
    aggs.splice(aggs.indexOf(ta), 1);
    await waitFor(async () => (await apiGet(tb, '/readyz', null)).status === 200, 'b ready after a stopped', 5000);
    await db.scale('default', 'web', 5);
    expect(c.api.get('deployments', 'default', 'web')?.spec.replicas).toBe(5);
  });
});
