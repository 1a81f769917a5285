import { CommandState } from '@hms-sys/protocol';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_STATE,
  DEFAULT_EXECUTOR_CONFIG,
  inFlightStatuses,
  initialExecutorState,
  nextExecutorStep,
  type ExecCommand,
  type ExecutorAction,
  type ExecutorConfig,
  type ExecutorEvent,
  type ExecutorState,
  type ReportedStatus,
} from '../../src/executor/executorMachine.js';

const T0 = Date.UTC(2024, 3, 5, 2, 0);
const CONFIG: ExecutorConfig = { ...DEFAULT_EXECUTOR_CONFIG, nodeName: 'n1', allowPatch: true, allowReboot: true };

const command = (extra: Partial<ExecCommand> = {}): ExecCommand => ({
  id: 'r1:n1',
  runId: 'r1',
  nodeName: 'n1',
  issuedAtMs: T0,
  expiresAtMs: T0 + 300_000,
  patchKind: 'kernel',
  allowReboot: true,
  forceReboot: false,
  dryRun: false,
  ...extra,
});

type Ev = ExecutorEvent extends infer E ? (E extends { nowMs: number } ? Omit<E, 'nowMs'> : never) : never;

/** Drives the executor; every state goes through JSON (the runner persists it). */
class Exec {
  state: ExecutorState = initialExecutorState();
  now = T0;
  last: ExecutorAction[] = [];
  readonly all: ExecutorAction[] = [];
  constructor(readonly config: ExecutorConfig = CONFIG) {
    this.feed({ kind: 'agentStarted', bootId: 'b1', kernelVersion: '6.1.0' });
  }
  feed(ev: Ev, dt = 0): ExecutorAction[] {
    this.now += dt;
    const before = JSON.stringify(this.state);
    const res = nextExecutorStep(this.state, { ...ev, nowMs: this.now } as ExecutorEvent, this.config);
    expect(JSON.stringify(this.state)).toBe(before); // never mutates its input
    this.state = JSON.parse(JSON.stringify(res.state)) as ExecutorState;
    this.last = [...res.actions];
    this.all.push(...res.actions);
    return this.last;
  }
  receive(extra: Partial<ExecCommand> = {}, signatureValid = true): ExecutorAction[] {
    return this.feed({ kind: 'commandReceived', command: command(extra), signatureValid });
  }
  kinds(actions = this.last): string[] {
    return actions.map((a) => a.kind);
  }
  reports(actions = this.last): ReportedStatus[] {
    return actions.flatMap((a) => (a.kind === 'report' ? [a.status] : []));
  }
  count(kind: ExecutorAction['kind']): number {
    return this.all.filter((a) => a.kind === kind).length;
  }
}

describe('executor: happy path', () => {
  it('received → patching → rebooting (boot id persisted before the reboot) → verifying → done', () => {
    const e = new Exec();
    expect(e.kinds(e.receive())).toEqual(['persist', 'report', 'persist', 'report', 'runPatch']);
    expect(e.reports().map((r) => r.state)).toEqual([COMMAND_STATE.RECEIVED, COMMAND_STATE.PATCHING]);
    expect(e.last.at(-1)).toEqual({ kind: 'runPatch', commandId: 'r1:n1', patchKind: 'kernel' });

    const acts = e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: 'installed linux-image', rebootRequired: true }, 60_000);
    expect(e.kinds(acts)).toEqual(['persist', 'report', 'reboot']);
    const persisted = (acts[0] as Extract<ExecutorAction, { kind: 'persist' }>).state;
    expect(persisted.current).toMatchObject({ step: 'rebooting', bootIdBefore: 'b1', rebootAttempts: 1 });
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.REBOOTING, bootIdBefore: 'b1', bootId: 'b1', rebootRequired: true, rebooted: false });

    e.feed({ kind: 'rebootIssued', commandId: 'r1:n1' });
    const boot = e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' }, 40_000);
    expect(e.kinds(boot)).toEqual(['persist', 'report', 'checkRebootRequired']);
    expect(e.reports(boot)[0]).toMatchObject({ state: COMMAND_STATE.VERIFYING, rebooted: true, bootIdBefore: 'b1', bootId: 'b2', kernelVersion: '6.1.1' });

    const done = e.feed({ kind: 'rebootRequiredChecked', commandId: 'r1:n1', rebootRequired: false });
    expect(e.reports(done)[0]).toMatchObject({
      commandId: 'r1:n1',
      state: COMMAND_STATE.DONE,
      rebooted: true,
      rebootRequired: false,
      bootIdBefore: 'b1',
      bootId: 'b2',
      kernelVersion: '6.1.1',
      outputTail: 'installed linux-image',
      runId: 'r1',
      dryRun: false,
    });
    expect(e.state.current).toBeNull();
    expect(e.state.history.map((r) => r.command.id)).toEqual(['r1:n1']);
    expect(e.count('runPatch')).toBe(1);
    expect(e.count('reboot')).toBe(1);
  });

  it('no reboot required → done without rebooting', () => {
    const e = new Exec();
    e.receive();
    const acts = e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: false });
    expect(e.kinds(acts)).toEqual(['persist', 'report']);
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.DONE, rebooted: false, rebootRequired: false, message: 'patched; no reboot required' });
  });

  it('force_reboot reboots even without the sentinel', () => {
    const e = new Exec();
    e.receive({ forceReboot: true });
    expect(e.kinds(e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: false }))).toContain('reboot');
  });

  it('a failing patch is reported with its exit code and output', () => {
    const e = new Exec();
    e.receive();
    const acts = e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 100, outputTail: 'E: dpkg was interrupted', rebootRequired: false });
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.FAILED, exitCode: 100, outputTail: 'E: dpkg was interrupted' });
    expect(e.count('reboot')).toBe(0);
  });

  it('COMMAND_STATE mirrors the proto enum', () => {
    for (const [name, value] of Object.entries(COMMAND_STATE)) {
      expect(CommandState[`COMMAND_STATE_${name}` as keyof typeof CommandState]).toBe(value);
    }
  });
});

describe('executor: refusals and idempotency', () => {
  it.each([
    ['bad signature', {}, false, 'bad_signature'],
    ['another node', { nodeName: 'n2' }, true, 'misaddressed'],
    ['expired', { expiresAtMs: T0 - 1 }, true, 'expired'],
    ['expiry not after issue', { issuedAtMs: T0, expiresAtMs: T0 }, true, 'expired'],
  ] as [string, Partial<ExecCommand>, boolean, string][])('%s → REFUSED %s, nothing runs, nothing recorded', (_n, extra, sig, reason) => {
    const e = new Exec();
    const acts = e.receive(extra, sig);
    expect(e.kinds(acts)).toEqual(['report']);
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.REFUSED, refusalReason: reason, commandId: 'r1:n1' });
    expect(e.state.current).toBeNull();
    expect(e.state.seen).toEqual([]);
  });

  it('the same in-flight command again re-reports its status and never re-runs', () => {
    const e = new Exec();
    e.receive();
    const again = e.receive();
    expect(e.kinds(again)).toEqual(['report']);
    expect(e.reports(again)[0]).toMatchObject({ state: COMMAND_STATE.PATCHING });
    e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    expect(e.reports(e.receive())[0]).toMatchObject({ state: COMMAND_STATE.REBOOTING });
    expect(e.count('runPatch')).toBe(1);
    expect(e.count('reboot')).toBe(1);
  });

  it('a finished command again (even expired) re-reports its final status', () => {
    const e = new Exec();
    e.receive();
    e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: false });
    const again = e.feed({ kind: 'commandReceived', command: command(), signatureValid: true }, 3_600_000);
    expect(e.reports(again)[0]).toMatchObject({ state: COMMAND_STATE.DONE, refusalReason: '' });
    expect(e.count('runPatch')).toBe(1);
  });

  it('an id seen but no longer remembered is refused as replayed', () => {
    const e = new Exec({ ...CONFIG, historyLimit: 1 });
    e.receive({ id: 'a' });
    e.feed({ kind: 'patchFinished', commandId: 'a', exitCode: 0, outputTail: '', rebootRequired: false });
    e.receive({ id: 'b' });
    e.feed({ kind: 'patchFinished', commandId: 'b', exitCode: 0, outputTail: '', rebootRequired: false });
    expect(e.reports(e.receive({ id: 'a' }))[0]).toMatchObject({ state: COMMAND_STATE.REFUSED, refusalReason: 'replayed' });
  });

  it('a second command while one is in flight is refused as busy', () => {
    const e = new Exec();
    e.receive({ id: 'a' });
    expect(e.reports(e.receive({ id: 'b' }))[0]).toMatchObject({ state: COMMAND_STATE.REFUSED, refusalReason: 'busy' });
    expect(e.state.seen).toEqual(['a']);
  });

  it('the seen list is bounded', () => {
    const e = new Exec({ ...CONFIG, seenLimit: 2, allowPatch: false });
    for (const id of ['a', 'b', 'c']) e.receive({ id });
    expect(e.state.seen).toEqual(['b', 'c']);
  });

  it.each([
    ['without --allow-patch', { ...CONFIG, allowPatch: false }, {}, /not allowed: this agent runs without --allow-patch; would apply the kernel patch and reboot if a reboot is required/],
    ['a dry-run command', CONFIG, { dryRun: true }, /dry run; would apply the kernel patch/],
  ] as [string, ExecutorConfig, Partial<ExecCommand>, RegExp][])('%s: nothing runs; DONE dry_run with what would have run', (_n, config, extra, message) => {
    const e = new Exec(config);
    const acts = e.receive(extra);
    expect(e.kinds(acts)).toEqual(['persist', 'report']);
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.DONE, dryRun: true });
    expect(e.reports(acts)[0]?.message).toMatch(message);
    expect(e.count('runPatch')).toBe(0);
  });

  it('a needed reboot without --allow-reboot is reported, not done', () => {
    const e = new Exec({ ...CONFIG, allowReboot: false });
    e.receive();
    const acts = e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    expect(e.kinds(acts)).toEqual(['persist', 'report']);
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.DONE, rebootRequired: true, rebooted: false });
    expect(e.reports(acts)[0]?.message).toMatch(/would reboot now, but this agent runs without --allow-reboot/);
  });
});

describe('executor: agent restarts', () => {
  const toRebooting = (e: Exec): void => {
    e.receive();
    e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    expect(e.state.current?.step).toBe('rebooting');
  };

  it('restart with the SAME boot id while rebooting: never counted as rebooted; the reboot is re-issued once, never the patch', () => {
    const e = new Exec();
    toRebooting(e);
    const first = e.feed({ kind: 'agentStarted', bootId: 'b1', kernelVersion: '6.1.0' }, 5_000);
    expect(e.kinds(first)).toEqual(['persist', 'report', 'reboot']);
    expect(e.reports(first)[0]).toMatchObject({ state: COMMAND_STATE.REBOOTING, rebooted: false, bootIdBefore: 'b1' });
    expect(e.reports(first)[0]?.message).toMatch(/boot id b1 unchanged after the agent restarted: the reboot did not happen; re-issuing it once/);
    expect(first.at(-1)).toEqual({ kind: 'reboot', commandId: 'r1:n1', attempt: 2 });
    const second = e.feed({ kind: 'agentStarted', bootId: 'b1', kernelVersion: '6.1.0' }, 5_000);
    expect(e.reports(second)[0]).toMatchObject({ state: COMMAND_STATE.FAILED, rebooted: false });
    expect(e.reports(second)[0]?.message).toMatch(/did not reboot: boot id b1 unchanged after 2 reboot attempts/);
    expect(e.count('runPatch')).toBe(1);
    expect(e.all.some((a) => a.kind === 'report' && a.status.rebooted)).toBe(false);
  });

  it('after the re-issued reboot, a new boot id completes normally', () => {
    const e = new Exec();
    toRebooting(e);
    e.feed({ kind: 'agentStarted', bootId: 'b1', kernelVersion: '6.1.0' });
    e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' });
    expect(e.state.current?.step).toBe('verifying');
    expect(e.state.current?.bootIdBefore).toBe('b1');
  });

  it('a reboot that never happens while the agent lives fails after rebootTimeoutMs', () => {
    const e = new Exec({ ...CONFIG, rebootTimeoutMs: 60_000 });
    toRebooting(e);
    expect(e.kinds(e.feed({ kind: 'tick' }, 59_000))).toEqual([]);
    expect(e.reports(e.feed({ kind: 'tick' }, 1_000))[0]).toMatchObject({ state: COMMAND_STATE.FAILED });
  });

  it.each([
    ['the agent restarted', 'b1', /the agent restarted while the patch was running: the patch is not re-run/],
    ['the node rebooted', 'b9', /the node rebooted while the patch was running/],
  ])('restart while patching (%s) fails the command; the patch is not re-run', (_n, bootId, message) => {
    const e = new Exec();
    e.receive();
    const acts = e.feed({ kind: 'agentStarted', bootId, kernelVersion: '6.1.0' });
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.FAILED });
    expect(e.reports(acts)[0]?.message).toMatch(message);
    expect(e.count('runPatch')).toBe(1);
  });

  it('restart in received starts the patch (unless expired meanwhile)', () => {
    const e = new Exec();
    e.receive();
    const received = (e.all.find((a) => a.kind === 'persist' && a.state.current?.step === 'received') as Extract<ExecutorAction, { kind: 'persist' }>).state;
    // Crash right after persisting "received": the patch never started.
    const fresh = nextExecutorStep(received, { kind: 'agentStarted', nowMs: T0 + 1_000, bootId: 'b1', kernelVersion: '6.1.0' }, CONFIG);
    expect(fresh.actions.map((a) => a.kind)).toEqual(['persist', 'report', 'runPatch']);
    const late = nextExecutorStep(received, { kind: 'agentStarted', nowMs: T0 + 400_000, bootId: 'b1', kernelVersion: '6.1.0' }, CONFIG);
    expect(late.actions.filter((a) => a.kind === 'report').map((a) => (a as { status: ReportedStatus }).status.state)).toEqual([COMMAND_STATE.FAILED]);
  });

  it('restart while verifying checks again', () => {
    const e = new Exec();
    toRebooting(e);
    e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' });
    expect(e.kinds(e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' }))).toEqual(['persist', 'report', 'checkRebootRequired']);
  });

  it('a boot id unknown at reboot time: no reboot is issued', () => {
    const e = new Exec();
    e.state = { ...e.state, bootId: null };
    e.receive();
    const acts = e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    expect(e.kinds(acts)).not.toContain('reboot');
    expect(e.reports(acts)[0]).toMatchObject({ state: COMMAND_STATE.FAILED });
  });

  it.each([
    ['runPatch', 'patching', COMMAND_STATE.FAILED],
    ['reboot', 'rebooting', COMMAND_STATE.FAILED],
    ['checkRebootRequired', 'verifying', COMMAND_STATE.DONE],
  ] as const)('actionFailed %s in %s', (action, step, state) => {
    const e = new Exec();
    e.receive();
    if (step !== 'patching') e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    if (step === 'verifying') e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' });
    expect(e.state.current?.step).toBe(step);
    const acts = e.feed({ kind: 'actionFailed', commandId: 'r1:n1', action, message: 'EPERM' });
    expect(e.reports(acts)[0]?.state).toBe(state);
  });
});

describe('executor: crash before any action', () => {
  it('resuming from every persisted state never runs the patch twice or reboots twice', () => {
    const e = new Exec();
    e.receive();
    e.feed({ kind: 'patchFinished', commandId: 'r1:n1', exitCode: 0, outputTail: '', rebootRequired: true });
    // The machine reboots: the agent starts on a new boot.
    e.feed({ kind: 'agentStarted', bootId: 'b2', kernelVersion: '6.1.1' });
    e.feed({ kind: 'rebootRequiredChecked', commandId: 'r1:n1', rebootRequired: false });
    const persisted = e.all.flatMap((a) => (a.kind === 'persist' ? [a.state] : []));
    expect(persisted.length).toBeGreaterThan(4);
    for (const saved of persisted) {
      const state = JSON.parse(JSON.stringify(saved)) as ExecutorState;
      const step = state.current?.step ?? 'idle';
      // The agent restarts on the boot it was on when it saved (a crash, not a reboot).
      const boot = state.bootId ?? 'b1';
      const res = nextExecutorStep(state, { kind: 'agentStarted', nowMs: T0 + 1_000, bootId: boot, kernelVersion: '6.1.0' }, CONFIG);
      const kinds = res.actions.map((a) => a.kind);
      if (step === 'received') expect(kinds).toContain('runPatch');
      else expect(kinds).not.toContain('runPatch');
      // A reboot again only when the saved state says one was issued and the boot id has not changed.
      if (kinds.includes('reboot')) {
        expect(step).toBe('rebooting');
        expect(state.current?.rebootAttempts).toBe(1);
      }
      expect(res.actions.some((a) => a.kind === 'report' && a.status.rebooted && a.status.bootId === a.status.bootIdBefore)).toBe(false);
    }
  });

  it('inFlightStatuses reports the current command after the recent finished ones', () => {
    const e = new Exec();
    e.receive({ id: 'a' });
    e.feed({ kind: 'patchFinished', commandId: 'a', exitCode: 0, outputTail: '', rebootRequired: false });
    e.receive({ id: 'b' });
    expect(inFlightStatuses(e.state).map((s) => [s.commandId, s.state])).toEqual([
      ['a', COMMAND_STATE.DONE],
      ['b', COMMAND_STATE.PATCHING],
    ]);
  });
});
