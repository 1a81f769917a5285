import { describe, expect, it } from 'vitest';
import { COMMAND_STATE_NAMES } from '../../src/patch/agentStatus.js';
import { checkPatchInvariants } from '../../src/patch/invariants.js';
import { DEFAULT_NODE_PATCH_CONFIG, type NodePatchConfig, type PatchAction } from '../../src/patch/nodeState.js';
import { CommandState } from '@hms-sys/protocol';
import { pod } from './fixtures.js';
import { CS, NodeDriver, PODS, T0, drainAll, finish, okPreflight, reboot, toDraining } from './nodeDriver.js';

const cfg = (extra: Partial<NodePatchConfig> = {}): NodePatchConfig => ({ ...DEFAULT_NODE_PATCH_CONFIG, ...extra });

describe('node machine: the happy path', () => {
  it('preflight → cordon → drain → command → reboot (new boot id) → verify → uncordon → health gate → done', () => {
    const d = new NodeDriver();
    toDraining(d);
    drainAll(d);
    expect(d.state.step).toBe('patching');
    const send = d.last.find((a) => a.kind === 'sendCommand');
    expect(send).toMatchObject({ command: { id: 'r1:n1', nodeName: 'n1', runId: 'r1', patchKind: 'kernel', allowReboot: true, dryRun: false, expiresAtMs: d.now + DEFAULT_NODE_PATCH_CONFIG.commandTtlMs } });
    expect(d.state.bootIdBefore).toBe('b1');
    reboot(d);
    expect(d.state.step).toBe('verifying');
    finish(d);
    expect(d.state.step).toBe('done');
    expect(d.steps()).toEqual([
      'pending>preflight',
      'preflight>cordoning',
      'cordoning>draining',
      'draining>patching',
      'patching>rebooting',
      'rebooting>verifying',
      'verifying>uncordoning',
      'uncordoning>health-gate',
      'health-gate>done',
    ]);
    const cordonMarks = d.events().flatMap((e) => (e.type === 'patch.step' && e.cordon ? [e.cordon] : []));
    expect(cordonMarks).toEqual(['applied', 'released']);
    expect(d.events().filter((e) => e.type === 'node.rebooted')).toEqual([
      { type: 'node.rebooted', run: 'r1', node: 'n1', bootIdBefore: 'b1', bootId: 'b2', kernelVersion: '6.1.1', simulated: false },
    ]);
    expect(d.count('sendCommand')).toBe(1);
    expect(d.count('cordon')).toBe(1);
    expect(d.count('uncordon')).toBe(1);
    // Evictions name uid and node; the DaemonSet pod is never evicted.
    const evicted = d.all.flatMap((a) => (a.kind === 'evict' ? [a.pod] : []));
    expect(evicted).toEqual([
      { uid: 'u-web-1', namespace: 'default', name: 'web-1', node: 'n1' },
      { uid: 'u-api-1', namespace: 'default', name: 'api-1', node: 'n1' },
    ]);
    const check = d.all.find((a) => a.kind === 'checkWorkloads');
    expect(check).toMatchObject({ workloads: ['default/Deployment/api', 'default/Deployment/web'] });
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it('a patch that needs no reboot is verified on the same boot id', () => {
    const d = new NodeDriver();
    toDraining(d);
    drainAll(d);
    d.status(CS.DONE, { bootId: 'b1', rebooted: false, rebootRequired: false, kernelVersion: '6.1.0' });
    expect(d.state.step).toBe('uncordoning');
    d.feed({ kind: 'uncordoned' });
    d.feed({ kind: 'workloadsReady', ready: true });
    expect(d.state.step).toBe('done');
    expect(d.events().some((e) => e.type === 'node.rebooted')).toBe(false);
  });

  it('maps proto CommandState numbers exactly', () => {
    for (const [num, name] of Object.entries(COMMAND_STATE_NAMES)) {
      expect(CommandState[`COMMAND_STATE_${name.toUpperCase()}` as keyof typeof CommandState]).toBe(Number(num));
    }
  });
});

describe('node machine: draining', () => {
  it('retries a 429 after 5 s, re-listing first, and reports the block once', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    const blocked = { kind: 'blocked', budgets: ['default/web'], message: 'would violate the budget' } as const;
    d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: blocked });
    d.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    expect(d.kinds(d.tick(4_000))).toEqual(['listPods']); // the poll, not a retry
    expect(d.kinds(d.feed({ kind: 'podsOnNode', pods: PODS() }))).toEqual([]);
    d.tick(1_000); // 5 s after the 429
    expect(d.kinds()).toEqual(['listPods']);
    expect(d.kinds(d.feed({ kind: 'podsOnNode', pods: PODS() }))).toEqual(['evict']);
    d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: blocked });
    d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { ...blocked, message: 'different' } }); // not requested: ignored
    expect(d.events().filter((e) => e.type === 'drain.blocked')).toHaveLength(1);
    expect(d.events().find((e) => e.type === 'drain.blocked')).toMatchObject({ stage: 'eviction', pod: 'default/web-1', uid: 'u-web-1', budgets: ['default/web'], attempt: 1 });
  });

  it('backs off exponentially up to evictionRetryMaxMs', () => {
    const d = new NodeDriver(cfg({ evictionRetryMs: 5_000, evictionRetryMaxMs: 20_000, podPollMs: 60_000, drainTimeoutMs: 3_600_000 }));
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    const gaps: number[] = [];
    let lastEvictAt = d.now;
    for (let i = 0; i < 5; i++) {
      d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { kind: 'blocked', budgets: [], message: 'pdb' } });
      for (;;) {
        d.tick(1_000);
        if (d.kinds().includes('listPods')) {
          const acts = d.feed({ kind: 'podsOnNode', pods: PODS() });
          if (acts.some((a) => a.kind === 'evict')) break;
        }
      }
      gaps.push(d.now - lastEvictAt);
      lastEvictAt = d.now;
    }
    expect(gaps).toEqual([5_000, 10_000, 20_000, 20_000, 20_000]);
  });

  it('re-checks identity: a same-name pod with a new uid elsewhere is never evicted; one on this node is a new eviction', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { kind: 'blocked', budgets: [], message: 'pdb' } });
    d.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    // The StatefulSet-style replacement of web-1 now runs on n2 with a new uid: the old one is gone.
    const moved = pod('web-1', 'n2', 500, { uid: 'u-web-1-new' });
    d.tick(5_000);
    const acts = d.feed({ kind: 'podsOnNode', pods: [moved, ...PODS().filter((p) => p.uid === 'u-agent')] });
    expect(acts.filter((a) => a.kind === 'evict')).toEqual([]);
    expect(d.state.step).toBe('patching');
    expect(d.all.some((a) => a.kind === 'evict' && a.pod.uid === 'u-web-1-new')).toBe(false);

    const d2 = new NodeDriver();
    toDraining(d2);
    d2.feed({ kind: 'podsOnNode', pods: PODS() });
    d2.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { kind: 'evicted' } });
    d2.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    const back = pod('web-1', 'n1', 500, { uid: 'u-web-1-back' }); // tolerates the cordon
    const acts2 = d2.feed({ kind: 'podsOnNode', pods: [back] }, 2_000);
    expect(acts2.flatMap((a) => (a.kind === 'evict' ? [a.pod.uid] : []))).toEqual(['u-web-1-back']);
  });

  it('an eviction error (500) fails the node and uncordons it, with an event saying why', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    const acts = d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { kind: 'error', message: 'several budgets select the pod' } });
    expect(d.state.step).toBe('releasing');
    expect(d.kinds(acts)).toEqual(['uncordon']);
    d.feed({ kind: 'uncordoned' });
    expect(d.state.step).toBe('failed');
    expect(d.state.failure).toEqual({ code: 'eviction-error', message: 'eviction of default/web-1 failed: several budgets select the pod', leftCordoned: false });
    const last = d.events().at(-1);
    expect(last).toMatchObject({ type: 'patch.step', from: 'releasing', to: 'failed', cordon: 'released' });
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it('drain timeout: fails, names the blocked pod and its last answer, uncordons', () => {
    const d = new NodeDriver(cfg({ drainTimeoutMs: 60_000 }));
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    for (let t = 0; t < 70 && d.state.step === 'draining'; t++) {
      for (const a of d.tick(1_000)) {
        if (a.kind === 'listPods') d.feed({ kind: 'podsOnNode', pods: PODS().filter((p) => p.uid !== 'u-api-1') });
      }
      for (const a of d.last) if (a.kind === 'evict') d.feed({ kind: 'evictionResult', uid: a.pod.uid, outcome: { kind: 'blocked', budgets: ['default/web'], message: 'PDB default/web' } });
    }
    expect(d.state.step).toBe('releasing');
    expect(d.state.failure?.code).toBe('drain-timeout');
    expect(d.state.failure?.message).toMatch(/drain did not finish within 1m.*default\/web-1 \(retry-wait: PDB default\/web, \d+ attempt\(s\)\)/);
    d.feed({ kind: 'uncordoned' });
    expect(d.state.step).toBe('failed');
  });

  it('a pod that cannot be evicted appearing mid-drain fails the drain', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: [...PODS(), pod('bare', 'n1', 10, { owner: undefined })] });
    expect(d.state.step).toBe('releasing');
    expect(d.state.failure?.code).toBe('drain-unevictable-pod');
  });

  it('waits for terminating pods to disappear before commanding', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: [pod('old-1', 'n1', 100, { deleted: true })] });
    expect(d.state.step).toBe('draining');
    d.feed({ kind: 'podsOnNode', pods: [] }, 2_000);
    expect(d.state.step).toBe('patching');
  });

  it('an eviction without an answer is re-requested after actionTimeoutMs', () => {
    const d = new NodeDriver(cfg({ actionTimeoutMs: 10_000 }));
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.feed({ kind: 'evictionResult', uid: 'u-api-1', outcome: { kind: 'evicted' } });
    d.tick(10_000);
    expect(d.kinds()).toEqual(['listPods']);
    expect(d.kinds(d.feed({ kind: 'podsOnNode', pods: PODS().filter((p) => p.uid !== 'u-api-1') }))).toEqual(['evict']);
  });
});

describe('node machine: cordon ownership', () => {
  it('keeps a pre-existing cordon: never uncordons, says so', () => {
    const d = new NodeDriver();
    toDraining(d, { unschedulable: true });
    drainAll(d);
    reboot(d);
    finish(d);
    expect(d.state.step).toBe('done');
    expect(d.count('uncordon')).toBe(0);
    expect(d.events().flatMap((e) => (e.type === 'patch.step' && e.cordon ? [e.cordon] : []))).toEqual(['preexisting', 'kept']);
    expect(checkPatchInvariants(d.feedEvents(), { complete: false })).toEqual([]);
  });

  it('a cordon that appears between preflight and cordon is someone else\'s: kept', () => {
    const d = new NodeDriver();
    toDraining(d, { alreadyCordoned: true });
    expect(d.state.cordon).toMatchObject({ preexisting: true, ours: false });
  });

  it('a failed drain on a pre-cordoned node keeps the cordon', () => {
    const d = new NodeDriver();
    toDraining(d, { unschedulable: true });
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.feed({ kind: 'evictionResult', uid: 'u-web-1', outcome: { kind: 'error', message: 'boom' } });
    expect(d.state.step).toBe('failed');
    expect(d.count('uncordon')).toBe(0);
    expect(d.events().at(-1)).toMatchObject({ to: 'failed', cordon: 'kept' });
  });

  it('after a restart during cordoning, our own earlier cordon is not mistaken for a pre-existing one', () => {
    const d = new NodeDriver();
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1' });
    d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
    d.feed({ kind: 'preflightResult', result: okPreflight() });
    expect(d.kinds(d.feed({ kind: 'restart' }))).toEqual(['cordon']);
    d.feed({ kind: 'cordoned', alreadyCordoned: true }); // our cordon from before the crash
    expect(d.state.cordon).toMatchObject({ preexisting: false, ours: true });
  });

  it('cordon failing maxActionAttempts times fails the node and uncordons (the cordon may have half-applied)', () => {
    const d = new NodeDriver(cfg({ maxActionAttempts: 3 }));
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1' });
    d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
    d.feed({ kind: 'preflightResult', result: okPreflight() });
    for (let i = 0; i < 2; i++) {
      d.feed({ kind: 'actionFailed', action: 'cordon', message: 'apiserver down' });
      expect(d.kinds(d.tick(5_000))).toEqual(['cordon']);
    }
    d.feed({ kind: 'actionFailed', action: 'cordon', message: 'apiserver down' });
    expect(d.state.step).toBe('releasing');
    expect(d.state.failure?.code).toBe('cordon-failed');
  });

  it('an uncordon that keeps failing leaves the node cordoned with an event saying why', () => {
    const d = new NodeDriver(cfg({ maxActionAttempts: 2 }));
    toDraining(d);
    d.feed({ kind: 'abort', outcome: 'cancelled', reason: 'operator' });
    d.feed({ kind: 'actionFailed', action: 'uncordon', message: 'forbidden' });
    d.tick(5_000);
    d.feed({ kind: 'actionFailed', action: 'uncordon', message: 'forbidden' });
    expect(d.state.step).toBe('cancelled');
    const last = d.events().at(-1);
    expect(last).toMatchObject({ to: 'cancelled', cordon: 'left' });
    expect((last as { reason: string }).reason).toMatch(/uncordon failed 2 time\(s\) \(forbidden\): node left cordoned/);
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });
});

describe('node machine: reboot fencing', () => {
  const toRebooting = (d: NodeDriver): void => {
    toDraining(d);
    drainAll(d);
    d.status(CS.PATCHING, { bootId: 'b1' });
    d.status(CS.REBOOTING, { bootId: 'b1', bootIdBefore: 'b1', rebootRequired: true });
    expect(d.state.step).toBe('rebooting');
  };

  it('an agent restart without a reboot (same boot id) is not a reboot; the reboot timeout fails the node, cordon left', () => {
    const d = new NodeDriver(cfg({ rebootTimeoutMs: 600_000 }));
    toRebooting(d);
    d.feed({ kind: 'nodeSeen', connected: false }, 1_000);
    const acts = d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1', kernelVersion: '6.1.0', ready: true }, 5_000);
    expect(d.state.step).toBe('rebooting');
    expect(d.state.reboot).toBeNull();
    expect(d.kinds(acts)).toEqual(['reattachCommand']); // same command id, never a new command
    expect(d.events(acts).find((e) => e.type === 'patch.step')).toMatchObject({ from: 'rebooting', to: 'rebooting' });
    expect(String((d.events(acts).find((e) => e.type === 'patch.step') as { reason: string }).reason)).toMatch(/same boot id b1: the agent restarted, the node has not rebooted/);
    // The agent even claims it rebooted and is done, still on b1: not believed.
    d.status(CS.DONE, { bootId: 'b1', bootIdBefore: 'b1', rebooted: true });
    expect(d.state.step).toBe('rebooting');
    d.tick(600_000);
    expect(d.state.step).toBe('failed');
    expect(d.state.failure).toMatchObject({ code: 'reboot-timeout', leftCordoned: true });
    expect(d.state.failure?.message).toMatch(/still boot id b1: the node has not rebooted/);
    expect(d.count('uncordon')).toBe(0);
    expect(d.events().some((e) => e.type === 'node.rebooted')).toBe(false);
    expect(d.events().at(-1)).toMatchObject({ to: 'failed', cordon: 'left' });
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it('the boot id the agent recorded before its reboot does not count either', () => {
    const d = new NodeDriver();
    toRebooting(d);
    d.status(CS.REBOOTING, { bootId: 'b1x', bootIdBefore: 'b1x' }); // the node rebooted on its own before; agent fenced on b1x
    expect(d.state.reboot).toBeNull();
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1x' });
    expect(d.state.reboot).toBeNull();
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b3' });
    expect(d.state.reboot?.bootId).toBe('b3');
  });

  it('done is never reached before the agent is seen on the new boot', () => {
    const d = new NodeDriver();
    toRebooting(d);
    d.status(CS.DONE, { bootId: 'b2', bootIdBefore: 'b1', rebooted: true, kernelVersion: '6.1.1' });
    expect(d.state.step).toBe('uncordoning'); // the status came from the new boot: agent seen there
    const d2 = new NodeDriver();
    toRebooting(d2);
    d2.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', ready: false });
    expect(d2.state.step).toBe('verifying');
    d2.status(CS.DONE, { bootId: 'b2', rebooted: true, kernelVersion: '6.1.1' });
    expect(d2.state.step).toBe('verifying'); // node not Ready yet
    d2.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', ready: true });
    expect(d2.state.step).toBe('uncordoning');
  });

  it.each([
    ['kernel mismatch', cfg({ expectedKernelVersion: '6.2.0' }), { kernelVersion: '6.1.1' }, 'kernel-mismatch', /6.1.1, expected 6.2.0/],
    ['sentinel still present after the reboot', cfg(), { kernelVersion: '6.1.1', rebootRequired: true }, 'reboot-still-required', /reboot-loop risk/],
  ])('verification fails on %s, cordon left', (_n, config, extra, code, message) => {
    const d = new NodeDriver(config);
    toRebooting(d);
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', ready: true });
    d.status(CS.DONE, { bootId: 'b2', rebooted: true, ...extra });
    expect(d.state.failure).toMatchObject({ code, leftCordoned: true });
    expect(d.state.failure?.message).toMatch(message);
  });

  it('verify timeout says what was missing', () => {
    const d = new NodeDriver(cfg({ verifyTimeoutMs: 60_000 }));
    toRebooting(d);
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', ready: true });
    d.tick(60_000);
    expect(d.state.failure?.code).toBe('verify-timeout');
    expect(d.state.failure?.message).toMatch(/the agent has not reported done \(last: rebooting\)/);
  });
});

describe('node machine: command outcomes', () => {
  const toPatching = (config = cfg()): NodeDriver => {
    const d = new NodeDriver(config);
    toDraining(d);
    drainAll(d);
    return d;
  };

  it.each([
    ['FAILED: left cordoned (state unknown)', CS.FAILED, { message: 'dpkg error', exitCode: 100 }, 'failed', 'command-failed', true, 0],
    ['REFUSED expired: nothing ran → uncordon', CS.REFUSED, { refusalReason: 'expired' }, 'releasing', 'command-refused', false, 1],
    ['REFUSED misaddressed → uncordon', CS.REFUSED, { refusalReason: 'misaddressed' }, 'releasing', 'command-refused', false, 1],
    ['REFUSED replayed: outcome unknown → left cordoned', CS.REFUSED, { refusalReason: 'replayed' }, 'failed', 'command-refused', true, 0],
    ['DONE dry_run (agent not allowed): nothing ran → uncordon', CS.DONE, { dryRun: true, message: 'not allowed' }, 'releasing', 'agent-not-allowed', false, 1],
    ['DONE without the reboot it needed and was allowed', CS.DONE, { rebootRequired: true, rebooted: false }, 'failed', 'reboot-not-performed', true, 0],
  ])('%s', (_n, state, extra, step, code, left, uncordons) => {
    const d = toPatching();
    d.status(state, { bootId: 'b1', ...extra });
    expect(d.state.step).toBe(step);
    expect(d.state.failure?.code).toBe(code);
    expect(d.state.failure?.leftCordoned).toBe(left);
    expect(d.count('uncordon')).toBe(uncordons);
    if (step === 'releasing') {
      d.feed({ kind: 'uncordoned' });
      expect(d.state.step).toBe('failed');
    }
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it('onCommandFailure=uncordon releases the node after a failed command', () => {
    const d = toPatching(cfg({ onCommandFailure: 'uncordon' }));
    d.status(CS.FAILED, { bootId: 'b1', exitCode: 1 });
    expect(d.state.step).toBe('releasing');
  });

  it('a reboot required but not allowed by the run is done with a note', () => {
    const d = toPatching(cfg({ allowReboot: false }));
    d.status(CS.DONE, { bootId: 'b1', rebootRequired: true });
    expect(d.state.step).toBe('uncordoning');
    expect(d.state.notes.join()).toMatch(/reboot is required but the run does not allow reboots/);
  });

  it('a send that fails is retried as a re-attach with the same id; no status at all → command timeout', () => {
    const d = toPatching(cfg({ commandTimeoutMs: 60_000 }));
    d.feed({ kind: 'actionFailed', action: 'sendCommand', message: 'agent not connected' });
    const acts = d.tick(5_000);
    expect(acts.find((a) => a.kind === 'reattachCommand')).toMatchObject({ command: { id: 'r1:n1' } });
    d.tick(55_000);
    expect(d.state.failure).toMatchObject({ code: 'command-timeout', leftCordoned: true });
    expect(d.count('sendCommand')).toBe(1);
  });

  it('statuses of other commands and stale ones are ignored', () => {
    const d = toPatching();
    d.feed({ kind: 'commandStatus', status: { commandId: 'other', state: CS.FAILED } });
    expect(d.state.step).toBe('patching');
    d.status(CS.REBOOTING, { bootId: 'b1', bootIdBefore: 'b1' });
    d.status(CS.PATCHING, { bootId: 'b1' });
    expect(d.state.step).toBe('rebooting');
    expect(d.state.agent?.state).toBe('rebooting');
  });

  it('a boot id unknown at command time fails closed (no command, uncordon)', () => {
    const d = new NodeDriver();
    d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
    d.feed({ kind: 'preflightResult', result: okPreflight({ bootId: null }) });
    d.feed({ kind: 'cordoned', alreadyCordoned: false });
    drainAll(d);
    expect(d.state.step).toBe('releasing');
    expect(d.state.failure?.code).toBe('no-boot-id');
    expect(d.count('sendCommand')).toBe(0);
  });

  it('dry run: no cordon, no eviction, a dry-run command, done', () => {
    const d = new NodeDriver(cfg({ dryRun: true }));
    d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
    d.feed({ kind: 'preflightResult', result: okPreflight() });
    expect(d.last.find((a) => a.kind === 'sendCommand')).toMatchObject({ command: { dryRun: true } });
    d.status(CS.DONE, { dryRun: true, message: 'would apply the kernel patch' });
    expect(d.state.step).toBe('done');
    expect(d.count('cordon') + d.count('evict') + d.count('uncordon')).toBe(0);
    expect(d.events().at(-1)).toMatchObject({ to: 'done', dryRun: true });
  });
});

describe('node machine: preflight refusals', () => {
  it('a refusal sends the node back to pending with a retry time; the third one blocks it', () => {
    const d = new NodeDriver(cfg({ maxPreflightBlocks: 3, blockedRetryMs: 60_000 }));
    const refused = { ...okPreflight(), ok: false as const, reasons: [{ code: 'pdb-blocks' as const, message: 'budget default/web allows 0' }] };
    for (let i = 1; i <= 3; i++) {
      d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
      d.feed({ kind: 'preflightResult', result: refused });
      if (i < 3) {
        expect(d.state.step).toBe('pending');
        expect(d.state.notBeforeMs).toBe(d.now + 60_000);
      }
    }
    expect(d.state.step).toBe('blocked');
    expect(d.events().filter((e) => e.type === 'drain.blocked' && e.stage === 'preflight')).toHaveLength(3);
    expect(d.count('cordon')).toBe(0);
  });
});

describe('node machine: pause, resume, abort at each step', () => {
  type Setup = (d: NodeDriver) => void;
  const setups: [string, Setup][] = [
    ['pending', () => {}],
    [
      'preflight',
      (d) => {
        d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1' });
        d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
      },
    ],
    [
      'cordoning',
      (d) => {
        d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1' });
        d.feed({ kind: 'start', windowEndMs: null, unavailableNodes: [] });
        d.feed({ kind: 'preflightResult', result: okPreflight() });
      },
    ],
    ['draining', (d) => toDraining(d)],
    [
      'patching',
      (d) => {
        toDraining(d);
        drainAll(d);
      },
    ],
    [
      'rebooting',
      (d) => {
        toDraining(d);
        drainAll(d);
        d.status(CS.REBOOTING, { bootId: 'b1', bootIdBefore: 'b1' });
      },
    ],
    [
      'verifying',
      (d) => {
        toDraining(d);
        drainAll(d);
        reboot(d);
      },
    ],
    [
      'uncordoning',
      (d) => {
        toDraining(d);
        drainAll(d);
        reboot(d);
        d.status(CS.DONE, { bootId: 'b2', rebooted: true, kernelVersion: '6.1.1' });
      },
    ],
    [
      'health-gate',
      (d) => {
        toDraining(d);
        drainAll(d);
        reboot(d);
        d.status(CS.DONE, { bootId: 'b2', rebooted: true, kernelVersion: '6.1.1' });
        d.feed({ kind: 'uncordoned' });
      },
    ],
  ];

  // Where cancel takes each step, and whether it uncordons.
  const cancelTo: Record<string, [string, boolean]> = {
    pending: ['skipped', false],
    preflight: ['skipped', false],
    cordoning: ['releasing', true],
    draining: ['releasing', true],
    patching: ['patching', false],
    rebooting: ['rebooting', false],
    verifying: ['verifying', false],
    uncordoning: ['uncordoning', false],
    'health-gate': ['health-gate', false],
  };
  // Where pause takes each step.
  const pauseTo: Record<string, string> = { preflight: 'pending' };

  it.each(setups)('cancel in %s', (step, setup) => {
    const d = new NodeDriver();
    setup(d);
    expect(d.state.step).toBe(step);
    const acts = d.feed({ kind: 'abort', outcome: 'cancelled', reason: 'operator' });
    const [to, uncordons] = cancelTo[step] as [string, boolean];
    expect(d.state.step).toBe(to);
    expect(d.kinds(acts).includes('uncordon')).toBe(uncordons);
    expect(d.kinds(acts).some((k) => k === 'sendCommand' || k === 'evict' || k === 'cordon')).toBe(false);
    if (to === 'releasing') {
      d.feed({ kind: 'uncordoned' });
      expect(d.state.step).toBe('cancelled');
    }
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it.each(setups)('pause then resume in %s', (step, setup) => {
    const d = new NodeDriver();
    setup(d);
    const paused = d.feed({ kind: 'pause' });
    expect(d.state.step).toBe(pauseTo[step] ?? step);
    expect(d.kinds(paused)).toEqual([]);
    // While paused nothing disruptive starts: no eviction, no command, no cordon.
    const during = [...d.tick(10_000), ...(step === 'draining' ? d.feed({ kind: 'podsOnNode', pods: PODS() }) : [])];
    expect(d.kinds(during).filter((k) => k === 'evict' || k === 'sendCommand' || k === 'cordon')).toEqual([]);
    d.feed({ kind: 'resume' }, 1_000);
    expect(d.state.paused).toBe(false);
    if (step === 'draining') {
      // The drain deadline moved by the paused time; evictions start after the next listing.
      expect(d.state.drain?.deadlineMs).toBe(T0 + 20 + DEFAULT_NODE_PATCH_CONFIG.drainTimeoutMs + 11_000);
      expect(d.kinds(d.feed({ kind: 'podsOnNode', pods: PODS() }))).toEqual(['evict', 'evict']);
    }
  });

  it('a drain that completes while paused holds the command until resume', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'pause' });
    d.feed({ kind: 'podsOnNode', pods: [] });
    expect(d.state.step).toBe('draining');
    expect(d.state.drain?.drained).toBe(true);
    expect(d.kinds(d.feed({ kind: 'resume' }))).toEqual(['sendCommand']);
  });
});

describe('node machine: windows', () => {
  it('the window closing mid-drain releases the node back to pending for the next window', () => {
    const d = new NodeDriver();
    toDraining(d, { windowEndMs: T0 + 60_000 });
    d.feed({ kind: 'podsOnNode', pods: PODS() });
    d.tick(60_000);
    expect(d.state.step).toBe('releasing');
    d.feed({ kind: 'uncordoned' });
    expect(d.state.step).toBe('pending');
    expect(d.state).toMatchObject({ drain: null, windowEndMs: null, cordon: { ours: false, preexisting: false }, failure: null });
    expect(d.events().at(-1)).toMatchObject({ from: 'releasing', to: 'pending', cordon: 'released' });
    expect(checkPatchInvariants(d.feedEvents())).toEqual([]);
  });

  it('no command is sent once the window has closed, even if the drain just finished', () => {
    const d = new NodeDriver();
    toDraining(d, { windowEndMs: T0 + 1_000 });
    d.feed({ kind: 'podsOnNode', pods: [] }, 5_000);
    expect(d.count('sendCommand')).toBe(0);
    expect(d.state.step).toBe('releasing');
  });

  it('a commanded node is never interrupted by the window end', () => {
    const d = new NodeDriver();
    toDraining(d, { windowEndMs: T0 + 60_000 });
    drainAll(d);
    d.tick(120_000);
    expect(d.state.step).toBe('patching');
  });
});

describe('node machine: restart (aggregator crash) from every state', () => {
  it('re-attaches with the same command and never sends a second one', () => {
    const d = new NodeDriver();
    toDraining(d);
    drainAll(d);
    reboot(d);
    finish(d);
    const states = d.states;
    for (const s of states) {
      const r = new NodeDriver();
      r.state = JSON.parse(JSON.stringify(s));
      r.now = d.now;
      const acts = r.feed({ kind: 'restart' });
      expect(acts.filter((a) => a.kind === 'sendCommand')).toEqual([]);
      const re = acts.filter((a): a is Extract<PatchAction, { kind: 'reattachCommand' }> => a.kind === 'reattachCommand');
      if (s.command && !s.commandFinished && ['patching', 'rebooting', 'verifying'].includes(s.step)) {
        expect(re.map((a) => a.command)).toEqual([s.command]);
      } else {
        expect(re).toEqual([]);
      }
      // After a restart in a commanded step, the same boot id is still not a reboot.
      if (s.step === 'rebooting') {
        r.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1' });
        expect(r.state.step).toBe('rebooting');
        expect(r.events().some((e) => e.type === 'node.rebooted')).toBe(false);
      }
    }
  });

  it('deadlines get a grace period after a restart', () => {
    const d = new NodeDriver(cfg({ rebootTimeoutMs: 60_000, resumeGraceMs: 120_000 }));
    toDraining(d);
    drainAll(d);
    d.status(CS.REBOOTING, { bootId: 'b1', bootIdBefore: 'b1' });
    d.now += 600_000; // the aggregator was down for 10 minutes
    d.feed({ kind: 'restart' });
    d.tick(1_000);
    expect(d.state.step).toBe('rebooting');
    d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', ready: true }, 1_000);
    expect(d.state.step).toBe('verifying');
  });

  it('draining after a restart re-lists before evicting again', () => {
    const d = new NodeDriver();
    toDraining(d);
    d.feed({ kind: 'podsOnNode', pods: PODS() }); // two evictions requested, answers lost
    expect(d.kinds(d.feed({ kind: 'restart' }))).toEqual(['listPods']);
    expect(d.kinds(d.feed({ kind: 'podsOnNode', pods: PODS().filter((p) => p.uid !== 'u-web-1') }))).toEqual(['evict']);
  });
});
