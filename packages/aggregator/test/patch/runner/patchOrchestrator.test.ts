import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HmsError, ManualClock, seededRandom, silentLogger } from '@hms-sys/common';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPatchInvariants } from '../../../src/patch/invariants.js';
import { ensureCommandSigner } from '../../../src/patch/runner/commandSigner.js';
import { registerPatchMetrics } from '../../../src/patch/runner/patchMetrics.js';
import { PatchOrchestrator, type LiveRun } from '../../../src/patch/runner/patchOrchestrator.js';
import { expandNow, parsePatchRequest } from '../../../src/patch/runner/patchRequest.js';
import { PatchStore } from '../../../src/patch/runner/patchStore.js';
import { runView } from '../../../src/patch/runner/patchView.js';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { FakeAgents, FakeCluster, MemoryEvents } from './fakeWorld.js';

const NODES = ['n1', 'n2', 'n3'];
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
}

function world() {
  const dataDir = mkdtempSync(join(tmpdir(), 'hms-patch-'));
  dirs.push(dataDir);
  const db: Db = openDatabase(join(dataDir, 'aggregator.db'));
  const clock = new ManualClock(Date.UTC(2024, 3, 5, 2, 0));
  const cluster = new FakeCluster(NODES, { name: 'web', replicas: 3 });
  const signer = ensureCommandSigner(dataDir);
  const agents = new FakeAgents(clock, () => signer.publicKeyFile, NODES);
  const events = new MemoryEvents(clock);
  const registry = new Registry();
  let current: PatchOrchestrator | undefined;
  const metrics = registerPatchMetrics(registry, () => current?.metricRuns() ?? []);
  const make = (): PatchOrchestrator => {
    const o = new PatchOrchestrator({
      store: new PatchStore(db), driver: cluster, agents, signer, events, clock, logger: silentLogger(), random: seededRandom(7).next,
      options: { defaultEstimateMs: 60_000 }, onSettled: (_r, result) => metrics.settled(result),
    });
    agents.sink = o;
    current = o;
    return o;
  };
  /** Advances time second by second (the orchestrator ticks each second) until pred holds. */
  const until = async (pred: () => boolean, what: string, maxMs = 120_000): Promise<void> => {
    for (let t = 0; t <= maxMs; t += 500) {
      await flush();
      if (pred()) return;
      await clock.advanceAsync(500, 100);
    }
    throw new Error(`timed out (simulated) waiting for ${what}`);
  };
  return { dataDir, db, clock, cluster, signer, agents, events, registry, make, until };
}

const REQUEST = { windows: ['2024-04-05T02:00Z/1h'], kind: 'kernel', concurrency: 1, failureBudget: 1, drainTimeout: '1m' };

describe('PatchOrchestrator', () => {
  it('runs a rolling kernel patch: state persisted before each disruptive call, signed commands, one reboot per node', async () => {
    const w = world();
    const o = w.make();
    o.start();
    const store = new PatchStore(w.db);
    let run: LiveRun | undefined;
    const seenAtCall: string[] = [];
    w.cluster.onCall = (what, node) => {
      if (!run) return;
      const stored = store.get(run.state.run)?.state.nodes[node];
      seenAtCall.push(`${what} ${node}: ${stored?.step}`);
    };
    run = o.create(REQUEST);
    expect(run.state.order).toHaveLength(3);
    await w.until(() => o.get(run!.state.run)!.state.settled, 'the run to settle');
    const final = o.get(run.state.run)!.state;
    expect(final.status).toBe('done');
    expect(final.result).toBe('success');
    // What was on disk when each disruptive driver call was made.
    for (const line of seenAtCall) expect(line).toMatch(/^(cordon \S+: cordoning|evict \S+: draining|uncordon \S+: uncordoning)$/);
    expect(seenAtCall.filter((l) => l.startsWith('cordon'))).toHaveLength(3);
    expect(w.agents.badSignatures).toEqual([]);
    expect(w.agents.sent.every((c) => c.keyId === w.signer.keyId && (c.signature?.length ?? 0) === 64)).toBe(true);
    expect([...w.agents.reboots.values()]).toEqual([1, 1, 1]);
    const events = w.events.ofRun(run.state.run);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    expect(events.filter((e) => e.type === 'node.rebooted')).toHaveLength(3);
    expect(w.cluster.nodes().every((n) => !n.unschedulable)).toBe(true);
    const view = runView(o.get(run.state.run)!);
    expect(view).toMatchObject({ id: run.state.run, state: 'done', result: 'success', progress: { done: 3, total: 3 } });
    expect((view.nodes as { state: string; rebooted: boolean; simulated: boolean }[]).every((n) => n.state === 'done' && n.rebooted && n.simulated)).toBe(true);
    const text = await w.registry.metrics();
    expect(text).toContain('hms_sys_patch_runs_total{result="done"} 1');
    expect(text).toContain('hms_sys_patch_runs_total{result="cancelled"} 0');
    expect(text).toContain(`hms_sys_patch_node_state{run="${run.state.run}",node="n1",state="done"} 1`);
    // Durations went into the history that the next plan's estimates use.
    expect(new PatchStore(w.db).durationHistory().fleet).toHaveLength(3);
    expect((statSync(join(w.dataDir, 'command-signing.key')).mode & 0o777).toString(8)).toBe('600');
    o.stop();
  });

  it('resumes after an aggregator crash mid-reboot: re-attaches with the same command id, never reboots twice, no false done', async () => {
    const w = world();
    const a = w.make();
    a.start();
    const id = a.create(REQUEST).state.run;
    await w.until(() => Object.values(a.get(id)!.state.nodes).some((n) => n.step === 'rebooting'), 'a node rebooting');
    const rebooting = Object.values(a.get(id)!.state.nodes).find((n) => n.step === 'rebooting')!.node;
    // Crash: A is gone (nothing more reaches it); agents and machines go on.
    a.stop();
    w.agents.sink = undefined;
    await w.clock.advanceAsync(5000, 500); // the node reboots while no aggregator runs
    expect(w.agents.reboots.get(rebooting)).toBe(1);

    const b = w.make();
    b.start();
    expect(b.get(id)!.state.nodes[rebooting]?.step).toBe('rebooting');
    // Agents reconnect to the new aggregator and say hello with their in-flight commands.
    for (const n of NODES) w.agents.reconnect(n);
    await w.until(() => b.get(id)!.state.settled, 'the resumed run to settle');
    expect(b.get(id)!.state).toMatchObject({ status: 'done', result: 'success' });
    expect([...w.agents.reboots.values()]).toEqual([1, 1, 1]);
    const events = w.events.ofRun(id);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    const firstSends = events.filter((e) => e.type === 'command.sent' && e.reattach === false).map((e) => e['node']);
    expect(firstSends.sort()).toEqual(['n1', 'n2', 'n3']);
    b.stop();
  });

  it('a node that never reboots fails on the reboot timeout, stays cordoned with a reason, and halts the run', async () => {
    const w = world();
    const o = w.make();
    o.start();
    w.agents.rebootHangs.add('n1').add('n2').add('n3');
    const id = o.create({ ...REQUEST, rebootTimeout: '20s' }).state.run;
    await w.until(() => o.get(id)!.state.settled, 'the run to settle');
    const s = o.get(id)!.state;
    expect(s.status).toBe('halted');
    const failed = Object.values(s.nodes).filter((n) => n.step === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failure).toMatchObject({ code: 'reboot-timeout', leftCordoned: true });
    expect(w.cluster.nodeMap.get(failed[0]!.node)?.unschedulable).toBe(true);
    expect(Object.values(s.nodes).filter((n) => n.step === 'skipped')).toHaveLength(2);
    expect(checkPatchInvariants(w.events.ofRun(id), { complete: true })).toEqual([]);
    expect(await w.registry.metrics()).toContain('hms_sys_patch_runs_total{result="halted"} 1');
  });

  it('pause, resume and cancel apply only where they make sense (409 otherwise); one run at a time', async () => {
    const w = world();
    const o = w.make();
    o.start();
    const id = o.create(REQUEST).state.run;
    expect(() => o.create(REQUEST)).toThrow(expect.objectContaining({ code: 'HMS_CONFLICT' }) as HmsError);
    expect(() => o.control(id, 'resume')).toThrow(/cannot resume a run that is running/);
    expect(o.control(id, 'pause').state.status).toBe('paused');
    expect(o.control(id, 'resume').state.status).toBe('running');
    o.control(id, 'cancel', 'change freeze');
    await w.until(() => o.get(id)!.state.settled, 'the cancelled run to settle');
    const s = o.get(id)!.state;
    expect(s.status).toBe('cancelled');
    expect(s.reason).toBe('change freeze');
    expect(w.cluster.nodes().every((n) => !n.unschedulable)).toBe(true);
    expect(() => o.control(id, 'cancel')).toThrow(expect.objectContaining({ code: 'HMS_CONFLICT' }) as HmsError);
    expect(() => o.control('p-nope', 'pause')).toThrow(expect.objectContaining({ code: 'HMS_NOT_FOUND' }) as HmsError);
    expect(checkPatchInvariants(w.events.ofRun(id), { complete: true })).toEqual([]);
  });

  it('plan changes nothing and explains the order, estimates and blockers', () => {
    const w = world();
    const o = w.make();
    o.start();
    w.cluster.budgets = [{ namespace: 'default', name: 'web', podUids: w.cluster.podList.map((p) => p.uid), disruptionsAllowed: 0, minAvailable: 2 }];
    const p = o.plan({ windows: ['now/30m'], selector: 'pool=a' });
    expect(p.plan.order).toEqual(['n1', 'n2']);
    expect(p.plan.unselected).toBe(1);
    expect(p.plan.nodes.every((n) => !n.preflight.ok && n.preflight.reasons.some((r) => r.code === 'pdb-blocks' && r.budget === 'default/web'))).toBe(true);
    expect(w.cluster.calls).toEqual([]);
    expect(w.events.all).toEqual([]);
  });
});

describe('patch requests', () => {
  const now = Date.UTC(2024, 3, 5, 2, 0, 30, 500);
  it('accepts windows with zones, durations and `now`; fills defaults', () => {
    const { request, windows } = parsePatchRequest({ windows: ['now/10m', '2024-04-06T02:00[Europe/Berlin]/04:00'], kind: 'os', selector: 'pool=a' }, now);
    expect(expandNow('now/10m', now)).toBe('2024-04-05T02:00:30Z/10m');
    expect(windows.map((x) => [new Date(x.startMs).toISOString(), new Date(x.endMs).toISOString()])).toEqual([
      ['2024-04-05T02:00:30.000Z', '2024-04-05T02:10:30.000Z'],
      ['2024-04-06T00:00:00.000Z', '2024-04-06T02:00:00.000Z'],
    ]);
    expect(request).toMatchObject({ kind: 'os', strategy: 'rolling', concurrency: 1, failureBudget: 1, drainTimeoutMs: 600_000, dryRun: false, selector: 'pool=a' });
  });

  it('refuses bad windows, selectors and limits with one message naming each', () => {
    const bad = (): unknown => parsePatchRequest({ windows: ['2024-04-05T02:00/1h'], selector: 'a b', concurrency: 0, kind: 'firmware', strategy: 'bluegreen', drainTimeout: 'soon', extra: 1 }, now);
    expect(bad).toThrow(HmsError);
    try {
      bad();
    } catch (err) {
      const m = (err as HmsError).message;
      expect((err as HmsError).code).toBe('HMS_INPUT_INVALID');
      for (const part of ['has no time zone', 'invalid selector requirement "a b"', 'concurrency must be', 'kind must be one of kernel, os, packages', 'strategy must be "rolling"', 'drainTimeout must be a duration', 'unknown field "extra"']) {
        expect(m).toContain(part);
      }
    }
  });
});
