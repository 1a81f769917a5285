import { isHmsError } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import { checkPatchInvariants } from '../../src/patch/invariants.js';
import { isActiveStep, type NodeObservation, type PatchAction } from '../../src/patch/nodeState.js';
import { activeNodes, createRun, nextRunStep } from '../../src/patch/runMachine.js';
import type { RunObservation } from '../../src/patch/runState.js';
import { parseWindows, windowAt } from '../../src/patch/windows.js';
import { okPreflight } from './nodeDriver.js';
import { simulateRun, T0, type SimOptions, type SimResult } from './sim.js';

/** Safety properties every simulated run must have, whatever was injected. */
function assertSafe(r: SimResult, opts: SimOptions): void {
  const label = `seed ${opts.seed}`;
  expect(r.state.settled, `${label}: run did not settle (${r.state.status})`).toBe(true);
  expect(checkPatchInvariants(r.events, { complete: true }), label).toEqual([]);
  expect(r.maxActive, label).toBeLessThanOrEqual(opts.concurrency ?? 1);
  const sends = new Map<string, Set<string>>();
  for (const a of r.actions) {
    if (a.kind === 'sendCommand') {
      const ids = sends.get(a.node) ?? new Set();
      expect(ids.size, `${label}: second command for ${a.node}`).toBe(0);
      sends.set(a.node, ids.add(a.command.id));
    }
  }
  for (const [name, w] of r.world.nodes) {
    const n = r.state.nodes[name];
    // Never rebooted twice in one run.
    expect(w.reboots, `${label}: ${name} rebooted ${w.reboots} times`).toBeLessThanOrEqual(1);
    // No false done: done means the node really booted into a new boot id, and the machine saw that one.
    if (n?.step === 'done') {
      expect(w.bootId, `${label}: ${name} done without a reboot`).not.toBe(r.initialBootIds.get(name));
      expect(n.reboot?.bootId).toBe(w.bootId);
    }
    // Never left cordoned unless the node says so.
    if (w.unschedulable && !(opts.precordoned ?? []).includes(name)) {
      expect(n?.failure?.leftCordoned, `${label}: ${name} left cordoned silently (${n?.step})`).toBe(true);
    }
    if ((opts.precordoned ?? []).includes(name)) expect(w.unschedulable, `${label}: pre-existing cordon of ${name} lifted`).toBe(true);
  }
}

describe('run machine: property tests (seeded random faults)', () => {
  const faults = { crash: 0.01, agentRestart: 0.005, pause: 0.003, evict429: 0.2, evictError: 0.01, patchFail: 0.05, rebootHangs: 0.1 };
  for (let seed = 1; seed <= 40; seed++) {
    const opts: SimOptions = {
      seed,
      nodes: 5,
      concurrency: 1 + (seed % 3),
      failureBudget: 2 + (seed % 2),
      faults: { ...faults, cancel: seed % 8 === 0 ? 0.002 : 0 },
      precordoned: seed % 5 === 0 ? ['node-3'] : [],
    };
    it(`seed ${seed}: concurrency ${opts.concurrency}, budget ${opts.failureBudget}`, () => {
      let maxSeen = 0;
      const r = simulateRun({ ...opts, onState: (s) => (maxSeen = Math.max(maxSeen, activeNodes(s).length)) });
      expect(maxSeen).toBeLessThanOrEqual(opts.concurrency ?? 1);
      assertSafe(r, opts);
    });
  }

  it('the faults were really exercised', () => {
    let crashes = 0;
    let restarts = 0;
    const outcomes = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const r = simulateRun({ seed, nodes: 5, concurrency: 2, failureBudget: 3, faults });
      crashes += r.crashes;
      restarts += r.agentRestarts;
      for (const n of Object.values(r.state.nodes)) outcomes.add(`${n.step}:${n.failure?.code ?? ''}`);
    }
    expect(crashes).toBeGreaterThan(20);
    expect(restarts).toBeGreaterThan(5);
    expect([...outcomes]).toEqual(expect.arrayContaining(['done:', 'failed:command-failed', 'failed:eviction-error']));
  });
});

describe('run machine: crash and resume from every persisted state', () => {
  it('a crash before any single step leaves the run correct: one command and one reboot per node, no false done', () => {
    const clean = simulateRun({ seed: 7, nodes: 3, concurrency: 2 });
    expect(clean.state.result).toBe('success');
    const crashedIn = new Set<string>();
    for (let k = 1; k <= clean.iterations; k++) {
      const opts: SimOptions = { seed: 7, nodes: 3, concurrency: 2, crashAtIterations: new Set([k]) };
      const r = simulateRun(opts);
      assertSafe(r, opts);
      expect(r.state.result, `crash before iteration ${k}`).toBe('success');
      for (const n of Object.values(r.state.nodes)) expect(n.step).toBe('done');
      for (const step of r.crashedInSteps) crashedIn.add(step);
    }
    // Every persisted step was hit by a crash at least once.
    expect([...crashedIn].sort()).toEqual(['cordoning', 'done', 'draining', 'health-gate', 'patching', 'pending', 'preflight', 'rebooting', 'uncordoning', 'verifying'].sort());
  });

  it('repeated crashes with agent restarts and hanging reboots stay safe', () => {
    for (let seed = 100; seed < 115; seed++) {
      const opts: SimOptions = { seed, nodes: 4, concurrency: 2, failureBudget: 4, faults: { crash: 0.05, agentRestart: 0.02, rebootHangs: 0.3 } };
      assertSafe(simulateRun(opts), opts);
    }
  });
});

describe('run machine: failure budget', () => {
  it('halts after K failed nodes: no new node starts, pending nodes are skipped', () => {
    const opts: SimOptions = { seed: 3, nodes: 5, concurrency: 1, failureBudget: 2, faults: { patchFail: 1 } };
    const r = simulateRun(opts);
    assertSafe(r, opts);
    expect(r.state.status).toBe('halted');
    expect(r.state.failed).toEqual(['node-1', 'node-2']);
    expect(Object.values(r.state.nodes).map((n) => n.step)).toEqual(['failed', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(r.events.filter((e) => e.type === 'patch.step' && e.from === 'pending' && e.to === 'preflight').map((e) => e.node)).toEqual(['node-1', 'node-2']);
    const halt = r.events.find((e) => e.type === 'patch.run' && e.to === 'halted');
    expect(halt?.reason).toMatch(/failure budget used up: 2 node\(s\) failed \(node-1, node-2\)/);
    expect(r.events.at(-1)).toMatchObject({ type: 'patch.run', settled: true, result: 'partial' });
    // Failed-after-command nodes stay cordoned, and said so.
    expect(r.state.nodes['node-1']?.failure).toMatchObject({ code: 'command-failed', leftCordoned: true });
  });

  it('with concurrency, in-flight uncommanded nodes are released when the run halts', () => {
    // Scripted: node a fails after its command while node b is draining.
    let { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b', 'c'], concurrency: 2, failureBudget: 1 });
    const out: PatchAction[] = [];
    const feed = (node: string, o: Omit<NodeObservation, 'nowMs'>): void => {
      const res = nextRunStep(state, { kind: 'node', node, observation: { ...o, nowMs: T0 } as NodeObservation });
      state = res.state;
      out.push(...res.actions);
    };
    feed('a', { kind: 'nodeSeen', connected: true, bootId: 'ba' } as never);
    feed('a', { kind: 'preflightResult', result: okPreflight() } as never);
    feed('a', { kind: 'cordoned', alreadyCordoned: false } as never);
    feed('b', { kind: 'preflightResult', result: okPreflight() } as never);
    feed('b', { kind: 'cordoned', alreadyCordoned: false } as never);
    feed('a', { kind: 'podsOnNode', pods: [] } as never);
    expect(state.nodes['a']?.step).toBe('patching');
    expect(state.nodes['b']?.step).toBe('draining');
    feed('a', { kind: 'commandStatus', status: { commandId: 'r:a', state: 6, message: 'exit 1' } } as never);
    expect(state.status).toBe('halted');
    expect(state.nodes['b']?.step).toBe('releasing');
    expect(state.nodes['c']?.step).toBe('skipped');
    expect(out.filter((x) => x.kind === 'uncordon').map((x) => (x as { node: string }).node)).toEqual(['b']);
    feed('b', { kind: 'uncordoned' } as never);
    expect(state.nodes['b']?.step).toBe('cancelled');
    expect(state.settled).toBe(true);
  });

  it('preflight refusals are not failures: the node is retried later, then blocked', () => {
    let { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a'], failureBudget: 1, node: { maxPreflightBlocks: 2, blockedRetryMs: 60_000 } });
    const refused = { ...okPreflight(), ok: false as const, reasons: [{ code: 'insufficient-capacity' as const, message: 'no room' }] };
    state = nextRunStep(state, { kind: 'node', node: 'a', observation: { kind: 'preflightResult', nowMs: T0, result: refused } }).state;
    expect(state.nodes['a']?.step).toBe('pending');
    expect(state.status).toBe('running');
    expect(state.nextStartMs).toBe(T0 + 60_000);
    state = nextRunStep(state, { kind: 'tick', nowMs: T0 + 59_000 }).state;
    expect(state.nodes['a']?.step).toBe('pending');
    state = nextRunStep(state, { kind: 'tick', nowMs: T0 + 60_000 }).state;
    expect(state.nodes['a']?.step).toBe('preflight');
    state = nextRunStep(state, { kind: 'node', node: 'a', observation: { kind: 'preflightResult', nowMs: T0 + 60_000, result: refused } }).state;
    expect(state.nodes['a']?.step).toBe('blocked');
    expect(state.failed).toEqual([]);
    expect(state).toMatchObject({ status: 'done', result: 'partial', settled: true });
  });
});

describe('run machine: windows', () => {
  it('a window ending mid-run: the run waits, then resumes in the next window; every start fits its window', () => {
    const windows = parseWindows([`${new Date(T0).toISOString()}/150s`, `${new Date(T0 + 3_600_000).toISOString()}/1h`]);
    const statuses: string[] = [];
    const opts: SimOptions = {
      seed: 11,
      nodes: 5,
      concurrency: 1,
      windows,
      estimateMs: 60_000,
      onState: (s) => {
        if (statuses.at(-1) !== s.status) statuses.push(s.status);
      },
    };
    const r = simulateRun(opts);
    assertSafe(r, opts);
    expect(r.state).toMatchObject({ status: 'done', result: 'success' });
    expect(statuses).toContain('waiting-window');
    const starts = r.events.filter((e) => e.type === 'patch.step' && e.from === 'pending' && e.to === 'preflight');
    expect(starts).toHaveLength(5);
    for (const e of starts) {
      const t = Date.parse(e.time as string);
      const w = windowAt(windows, t);
      expect(w, `${e.node} started outside every window at ${e.time}`).toBeDefined();
      expect(t + 60_000).toBeLessThanOrEqual((w as { endMs: number }).endMs);
    }
    const inFirst = starts.filter((e) => Date.parse(e.time as string) < T0 + 3_600_000).length;
    expect(inFirst).toBeGreaterThan(0);
    expect(inFirst).toBeLessThan(5);
    const wait = r.events.find((e) => e.type === 'patch.run' && e.to === 'waiting-window');
    expect(wait?.reason).toMatch(/waiting for the next window at 2024-04-05T03:00:00.000Z/);
  });

  it('a node still draining at the window end goes back to pending and is patched in the next window', () => {
    const windows = parseWindows([`${new Date(T0).toISOString()}/10m`, `${new Date(T0 + 3_600_000).toISOString()}/1h`]);
    let { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a'], windows, defaultEstimateMs: 5 * 60_000, node: { drainTimeoutMs: 30 * 60_000 } });
    const acts: PatchAction[] = [];
    const step = (obs: RunObservation): void => {
      const res = nextRunStep(state, obs);
      state = res.state;
      acts.push(...res.actions);
    };
    const node = (o: Record<string, unknown>, t: number): RunObservation => ({ kind: 'node', node: 'a', observation: { ...o, nowMs: t } as unknown as NodeObservation });
    step(node({ kind: 'nodeSeen', connected: true, bootId: 'b1' }, T0));
    step(node({ kind: 'preflightResult', result: okPreflight() }, T0));
    step(node({ kind: 'cordoned', alreadyCordoned: false }, T0));
    expect(state.nodes['a']?.step).toBe('draining');
    step({ kind: 'tick', nowMs: T0 + 10 * 60_000 });
    expect(state.nodes['a']?.step).toBe('releasing');
    step(node({ kind: 'uncordoned' }, T0 + 10 * 60_000 + 1));
    expect(state.nodes['a']?.step).toBe('pending');
    expect(state.status).toBe('waiting-window');
    expect(state.nextStartMs).toBe(T0 + 3_600_000);
    step({ kind: 'tick', nowMs: T0 + 3_599_000 });
    expect(state.nodes['a']?.step).toBe('pending');
    step({ kind: 'tick', nowMs: T0 + 3_600_000 });
    expect(state.nodes['a']?.step).toBe('preflight');
    expect(state.status).toBe('running');
    expect(state.nodes['a']?.windowEndMs).toBe(T0 + 2 * 3_600_000);
    expect(acts.filter((a) => a.kind === 'sendCommand')).toEqual([]);
  });

  it('a run created before its window stays scheduled until the window opens', () => {
    const windows = parseWindows(['2024-04-05T03:00Z/1h']);
    let { state, actions } = createRun({ run: 'r', nowMs: T0, nodes: ['a'], windows });
    expect(state.status).toBe('scheduled');
    expect(state.nextStartMs).toBe(Date.parse('2024-04-05T03:00Z'));
    expect(actions.filter((a) => a.kind !== 'emit')).toEqual([]);
    ({ state } = nextRunStep(state, { kind: 'tick', nowMs: Date.parse('2024-04-05T03:00Z') }));
    expect(state.status).toBe('running');
  });

  it('a node whose estimate fits no remaining window is skipped with the reason', () => {
    const windows = parseWindows(['2024-04-05T02:00Z/10m']);
    const { state, actions } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b'], windows, estimatesMs: { a: 60 * 60_000 }, defaultEstimateMs: 5 * 60_000 });
    expect(state.nodes['a']?.step).toBe('skipped');
    expect(state.nodes['b']?.step).toBe('preflight'); // a shorter node behind it may go first
    const skip = actions.find((a) => a.kind === 'emit' && a.event.type === 'patch.step' && a.event.node === 'a');
    expect(skip).toMatchObject({ event: { to: 'skipped' } });
    expect((skip as { event: { reason: string } }).event.reason).toMatch(/not started: estimate 1h does not fit/);
  });
});

describe('run machine: concurrency and start order', () => {
  it('starts one node at a time until it is cordoned, up to N, passing the in-flight nodes to preflight', () => {
    let { state, actions } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b', 'c'], concurrency: 2 });
    expect(actions.filter((a) => a.kind === 'preflight').map((a) => a.node)).toEqual(['a']);
    const node = (n: string, o: Record<string, unknown>): void => {
      const res = nextRunStep(state, { kind: 'node', node: n, observation: { ...o, nowMs: T0 } as unknown as NodeObservation });
      state = res.state;
      actions = res.actions;
    };
    node('a', { kind: 'preflightResult', result: okPreflight() });
    expect(actions.filter((a) => a.kind === 'preflight')).toEqual([]); // a is cordoning
    node('a', { kind: 'cordoned', alreadyCordoned: false });
    expect(actions.find((a) => a.kind === 'preflight')).toMatchObject({ node: 'b', unavailableNodes: ['a'] });
    node('b', { kind: 'preflightResult', result: okPreflight() });
    node('b', { kind: 'cordoned', alreadyCordoned: false });
    expect(actions.filter((a) => a.kind === 'preflight')).toEqual([]); // 2 in flight
    expect(activeNodes(state)).toEqual(['a', 'b']);
    expect(state.order.filter((n) => isActiveStep(state.nodes[n]?.step ?? 'pending'))).toHaveLength(2);
  });
  it('a node in its health gate is schedulable again: not passed to preflight as unavailable', () => {
    let { state, actions } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b', 'c'], concurrency: 3 });
    const node = (n: string, o: Record<string, unknown>): void => {
      const res = nextRunStep(state, { kind: 'node', node: n, observation: { ...o, nowMs: T0 } as unknown as NodeObservation });
      state = res.state;
      actions = res.actions;
    };
    const web = { uid: 'u1', namespace: 'default', name: 'web-1', node: 'a', phase: 'Running', deleted: false, containers: [], owner: { kind: 'Deployment', name: 'web' } };
    node('a', { kind: 'nodeSeen', connected: true, bootId: 'ba', ready: true });
    node('a', { kind: 'preflightResult', result: okPreflight() });
    node('a', { kind: 'cordoned', alreadyCordoned: false });
    node('b', { kind: 'preflightResult', result: okPreflight() });
    node('b', { kind: 'cordoned', alreadyCordoned: false });
    expect(actions.find((x) => x.kind === 'preflight')).toMatchObject({ node: 'c', unavailableNodes: ['a', 'b'] });
    node('c', { kind: 'preflightResult', result: { ...okPreflight(), ok: false, reasons: [{ code: 'insufficient-capacity', message: 'full' }] } });
    node('a', { kind: 'podsOnNode', pods: [web] });
    node('a', { kind: 'evictionResult', uid: 'u1', outcome: { kind: 'evicted' } });
    node('a', { kind: 'podsOnNode', pods: [] });
    node('a', { kind: 'commandStatus', status: { commandId: 'r:a', state: 5, bootId: 'ba', rebootRequired: false } });
    node('a', { kind: 'uncordoned' });
    expect(state.nodes['a']?.step).toBe('health-gate');
    ({ state, actions } = nextRunStep(state, { kind: 'tick', nowMs: T0 + 60_000 }));
    expect(actions.find((x) => x.kind === 'preflight')).toMatchObject({ node: 'c', unavailableNodes: ['b'] });
  });
});

describe('run machine: pause, resume, cancel', () => {
  it('pause gives back a node that was not cordoned yet; nothing starts until resume', () => {
    let { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b'] });
    expect(state.nodes['a']?.step).toBe('preflight');
    ({ state } = nextRunStep(state, { kind: 'pause', nowMs: T0 + 1 }));
    expect(state.status).toBe('paused');
    expect(state.nodes['a']?.step).toBe('pending');
    ({ state } = nextRunStep(state, { kind: 'tick', nowMs: T0 + 60_000 }));
    expect(state.nodes['a']?.step).toBe('pending');
    const res = nextRunStep(state, { kind: 'resume', nowMs: T0 + 61_000 });
    expect(res.state.status).toBe('running');
    expect(res.state.nodes['a']?.step).toBe('preflight');
    expect(res.state.nodes['a']?.paused).toBe(false);
  });

  it('cancel: pending nodes skipped, the cordoned node uncordoned, then the run settles', () => {
    let { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a', 'b'] });
    ({ state } = nextRunStep(state, { kind: 'node', node: 'a', observation: { kind: 'preflightResult', nowMs: T0, result: okPreflight() } }));
    ({ state } = nextRunStep(state, { kind: 'node', node: 'a', observation: { kind: 'cordoned', nowMs: T0, alreadyCordoned: false } }));
    const res = nextRunStep(state, { kind: 'cancel', nowMs: T0 + 1, reason: 'change freeze' });
    expect(res.state.status).toBe('cancelled');
    expect(res.state.nodes['b']?.step).toBe('skipped');
    expect(res.actions.filter((a) => a.kind === 'uncordon').map((a) => (a as { node: string }).node)).toEqual(['a']);
    expect(res.state.settled).toBe(false);
    const done = nextRunStep(res.state, { kind: 'node', node: 'a', observation: { kind: 'uncordoned', nowMs: T0 + 2 } });
    expect(done.state.settled).toBe(true);
    expect(done.state.nodes['a']?.step).toBe('cancelled');
  });

  it('rejects transitions that do not apply', () => {
    const { state } = createRun({ run: 'r', nowMs: T0, nodes: ['a'] });
    expect(nextRunStep(state, { kind: 'resume', nowMs: T0 }).rejected).toMatch(/cannot resume a run that is running/);
    const cancelled = nextRunStep(state, { kind: 'cancel', nowMs: T0 }).state;
    expect(nextRunStep(cancelled, { kind: 'pause', nowMs: T0 }).rejected).toMatch(/cancelled/);
    expect(nextRunStep(cancelled, { kind: 'cancel', nowMs: T0 }).rejected).toMatch(/cancelled/);
  });

  it('an empty run is done at once', () => {
    expect(createRun({ run: 'r', nowMs: T0, nodes: [] }).state).toMatchObject({ status: 'done', result: 'success', settled: true });
  });

  it.each([
    [{ concurrency: 0 }, /--concurrency must be a whole number >= 1, got 0/],
    [{ concurrency: 1.5 }, /--concurrency/],
    [{ failureBudget: 0 }, /--failure-budget must be a whole number >= 1/],
    [{ nodes: ['a', 'a'] }, /node a is listed twice/],
  ])('createRun refuses %j', (extra, message) => {
    try {
      createRun({ run: 'r', nowMs: T0, nodes: ['a'], ...extra });
      expect.unreachable();
    } catch (err) {
      expect(isHmsError(err, 'HMS_USAGE')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });
});
