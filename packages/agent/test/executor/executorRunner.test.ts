import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock } from '@hms-sys/common';
import { commandKeyId, CommandState, PatchKind, signCommand, type ICommand, type ICommandStatus } from '@hms-sys/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ShellCommandRunner, type CommandResult, type CommandRunner, type RunOptions } from '../../src/executor/commandRunner.js';
import { loadCommandVerifier, NO_PUBLIC_KEY_REASON, type CommandVerifier } from '../../src/executor/commandVerifier.js';
import { DEFAULT_EXECUTOR_CONFIG, type ExecutorConfig } from '../../src/executor/executorMachine.js';
import { ExecutorRunner } from '../../src/executor/executorRunner.js';
import { ExecutorStore } from '../../src/executor/executorStore.js';
import { resolveHostCommands } from '../../src/executor/hostCommands.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'hms-exec-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const KEY_ID = commandKeyId(publicKey);

function verifierFor(pub: KeyObject): CommandVerifier {
  const dir = tmp();
  const file = join(dir, 'command-signing.pub');
  writeFileSync(file, pub.export({ type: 'spki', format: 'pem' }));
  return loadCommandVerifier(file);
}

function command(extra: Partial<ICommand> = {}, key: KeyObject = privateKey, keyId = KEY_ID): ICommand {
  const now = Date.now();
  return signCommand({
    id: 'run-1:n1', runId: 'run-1', nodeName: 'n1', issuedAtMs: now, expiresAtMs: now + 60_000,
    patchKind: PatchKind.PATCH_KIND_KERNEL, allowReboot: true, forceReboot: false, dryRun: false, ...extra,
  }, key, keyId);
}

/** Records every command run, and what agent.db held at that moment (the persist-before-act check). */
class SpyRunner implements CommandRunner {
  readonly calls: { command: string; env: Readonly<Record<string, string>>; stored: string | undefined }[] = [];
  private readonly shell = new ShellCommandRunner();
  constructor(private readonly stateDir: string) {}
  async run(cmd: string, opts: RunOptions): Promise<CommandResult> {
    const store = ExecutorStore.open(this.stateDir);
    const stored = store.load();
    store.close();
    this.calls.push({ command: cmd, env: opts.env ?? {}, stored: stored ? JSON.stringify(stored.current) : undefined });
    return this.shell.run(cmd, opts);
  }
}

interface Harness {
  readonly runner: ExecutorRunner;
  readonly sent: ICommandStatus[];
  readonly spy: SpyRunner;
  readonly store: ExecutorStore;
  connected: boolean;
  stop(): void;
}

function harness(opts: {
  stateDir: string;
  hostRoot?: string;
  bootId?: string;
  config?: Partial<ExecutorConfig>;
  patchCommand?: string;
  rebootCommand?: string;
  rebootRequiredCommand?: string;
  verifier?: CommandVerifier;
}): Harness {
  const spy = new SpyRunner(opts.stateDir);
  const store = ExecutorStore.open(opts.stateDir);
  const sent: ICommandStatus[] = [];
  const h: Harness = {
    runner: undefined as unknown as ExecutorRunner,
    sent,
    spy,
    store,
    connected: true,
    stop() {
      this.runner.stop();
      store.close();
    },
  };
  const commands = resolveHostCommands({
    hostRoot: opts.hostRoot ?? opts.stateDir,
    patchCommand: opts.patchCommand ?? `sh -c 'echo patched "$HMS_PATCH_KIND"; exit 0'`,
    rebootCommand: opts.rebootCommand ?? 'true',
    ...(opts.rebootRequiredCommand ? { rebootRequiredCommand: opts.rebootRequiredCommand } : {}),
  });
  (h as { runner: ExecutorRunner }).runner = new ExecutorRunner({
    config: { ...DEFAULT_EXECUTOR_CONFIG, nodeName: 'n1', allowPatch: true, allowReboot: true, ...opts.config, commandText: { patch: commands.describe().patch, reboot: commands.rebootCommand } },
    store,
    runner: spy,
    commands,
    verifier: opts.verifier ?? verifierFor(publicKey),
    clock: systemClock,
    logger: silentLogger(),
    send: (s) => {
      if (!h.connected) return false;
      sent.push(s);
      return true;
    },
    patchTimeoutMs: 10_000,
    rebootCommandTimeoutMs: 10_000,
  });
  h.runner.start({ bootId: opts.bootId ?? 'boot-1', kernelVersion: '6.1.0', simulated: false });
  return h;
}

async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const last = (h: Harness): ICommandStatus | undefined => h.sent.at(-1);
const stateOf = (h: Harness, state: CommandState): boolean => h.sent.some((s) => s.state === state);

describe('ExecutorRunner', () => {
  it('patches, persists "rebooting" with the boot id BEFORE running the reboot command, and reports rebooted only on a new boot id', async () => {
    const stateDir = tmp();
    const hostRoot = tmp();
    const marker = join(tmp(), 'reboot-requested');
    const h = harness({
      stateDir, hostRoot,
      patchCommand: `sh -c 'echo "patched $HMS_PATCH_KIND $HMS_COMMAND_ID"; mkdir -p ${hostRoot}/var/run && touch ${hostRoot}/var/run/reboot-required'`,
      rebootCommand: `touch ${marker}`,
    });
    h.runner.onCommand(command());
    await until(() => existsSync(marker), 'the reboot command');
    const [patchCall, rebootCall] = h.spy.calls;
    expect(patchCall?.env).toMatchObject({ HMS_PATCH_KIND: 'kernel', HMS_COMMAND_ID: 'run-1:n1', HMS_RUN_ID: 'run-1' });
    expect(JSON.parse(patchCall?.stored ?? 'null')).toMatchObject({ step: 'patching' });
    expect(JSON.parse(rebootCall?.stored ?? 'null')).toMatchObject({ step: 'rebooting', bootIdBefore: 'boot-1', rebootAttempts: 1 });
    expect(last(h)).toMatchObject({ commandId: 'run-1:n1', state: CommandState.COMMAND_STATE_REBOOTING, bootIdBefore: 'boot-1', rebootRequired: true });
    expect(h.sent.find((s) => s.state === CommandState.COMMAND_STATE_REBOOTING)?.outputTail).toContain('patched kernel run-1:n1');
    h.stop();

    // The machine "reboots": the sentinel is gone (tmpfs) and the agent starts on a new boot id.
    rmSync(join(hostRoot, 'var/run/reboot-required'));
    const after = harness({ stateDir, hostRoot, bootId: 'boot-2' });
    await until(() => stateOf(after, CommandState.COMMAND_STATE_DONE), 'done after the reboot');
    expect(last(after)).toMatchObject({ state: CommandState.COMMAND_STATE_DONE, rebooted: true, bootIdBefore: 'boot-1', bootId: 'boot-2', rebootRequired: false });
    expect(after.runner.inFlight().at(-1)).toMatchObject({ commandId: 'run-1:n1', state: CommandState.COMMAND_STATE_DONE, rebooted: true });
    after.stop();
  });

  it('an agent restart on the SAME boot id is never reported as a reboot: the reboot is re-issued once', async () => {
    const stateDir = tmp();
    const marker = join(tmp(), 'reboots');
    const h = harness({ stateDir, patchCommand: 'true', rebootRequiredCommand: 'true', rebootCommand: `sh -c 'echo x >> ${marker}'` });
    h.runner.onCommand(command());
    await until(() => existsSync(marker), 'first reboot');
    h.stop();
    const again = harness({ stateDir, bootId: 'boot-1', rebootRequiredCommand: 'true', rebootCommand: `sh -c 'echo x >> ${marker}'` });
    await until(() => readFileSync(marker, 'utf8').split('\n').filter(Boolean).length === 2, 'the reboot issued a second time');
    expect(again.sent.every((s) => s.rebooted !== true)).toBe(true);
    expect(last(again)).toMatchObject({ state: CommandState.COMMAND_STATE_REBOOTING, rebooted: false });
    again.stop();
    // A second restart on the same boot id: the node did not reboot — FAILED, no third reboot.
    const third = harness({ stateDir, bootId: 'boot-1', rebootRequiredCommand: 'true', rebootCommand: `sh -c 'echo x >> ${marker}'` });
    await until(() => stateOf(third, CommandState.COMMAND_STATE_FAILED), 'failed');
    expect(last(third)?.message).toMatch(/did not reboot/);
    expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    third.stop();
  });

  it('is idempotent by command id: the same command again re-reports and never runs twice', async () => {
    const stateDir = tmp();
    const h = harness({ stateDir, rebootRequiredCommand: 'false' });
    const cmd = command();
    h.runner.onCommand(cmd);
    await until(() => stateOf(h, CommandState.COMMAND_STATE_DONE), 'done');
    h.runner.onCommand(cmd);
    h.runner.onCommand(cmd);
    await until(() => h.sent.filter((s) => s.state === CommandState.COMMAND_STATE_DONE).length === 3, 're-reports');
    expect(h.spy.calls.filter((c) => c.command.includes('patched'))).toHaveLength(1);
    expect(last(h)).toMatchObject({ state: CommandState.COMMAND_STATE_DONE, rebooted: false, exitCode: 0 });
    h.stop();
  });

  it('refuses bad signatures, a missing key, expired, misaddressed and replayed commands — and says why', async () => {
    const stateDir = tmp();
    const h = harness({ stateDir, rebootRequiredCommand: 'false' });
    const other = generateKeyPairSync('ed25519');
    const tampered = { ...command({ id: 'run-2:n1' }), forceReboot: true };
    h.runner.onCommand(tampered);
    h.runner.onCommand(command({ id: 'run-3:n1' }, other.privateKey, commandKeyId(other.publicKey)));
    h.runner.onCommand(command({ id: 'run-4:n1', issuedAtMs: Date.now() - 120_000, expiresAtMs: Date.now() - 60_000 }));
    h.runner.onCommand(command({ id: 'run-5:n2', nodeName: 'n2' }));
    const refusals = h.sent.filter((s) => s.state === CommandState.COMMAND_STATE_REFUSED);
    expect(refusals.map((s) => [s.commandId, s.refusalReason])).toEqual([
      ['run-2:n1', 'bad_signature'],
      ['run-3:n1', 'bad_signature'],
      ['run-4:n1', 'expired'],
      ['run-5:n2', 'misaddressed'],
    ]);
    expect(refusals[1]?.message).toMatch(/trusts key/);
    expect(h.spy.calls).toHaveLength(0);
    h.stop();

    // Replay: an id whose outcome was forgotten (history trimmed) but is still in the seen list.
    const small = harness({ stateDir: tmp(), rebootRequiredCommand: 'false', config: { historyLimit: 1 } });
    small.runner.onCommand(command({ id: 'a:n1' }));
    await until(() => stateOf(small, CommandState.COMMAND_STATE_DONE), 'a done');
    small.runner.onCommand(command({ id: 'b:n1' }));
    await until(() => small.sent.filter((s) => s.state === CommandState.COMMAND_STATE_DONE).length === 2, 'b done');
    small.runner.onCommand(command({ id: 'a:n1' }));
    expect(last(small)).toMatchObject({ commandId: 'a:n1', state: CommandState.COMMAND_STATE_REFUSED, refusalReason: 'replayed' });
    small.stop();

    const closed = harness({ stateDir: tmp(), verifier: loadCommandVerifier(undefined) });
    closed.runner.onCommand(command());
    expect(last(closed)).toMatchObject({ state: CommandState.COMMAND_STATE_REFUSED, refusalReason: 'bad_signature', message: NO_PUBLIC_KEY_REASON });
    closed.stop();
  });

  it('without --allow-patch runs nothing and reports what would have run (dry_run)', async () => {
    const stateDir = tmp();
    const h = harness({ stateDir, config: { allowPatch: false, allowReboot: false }, patchCommand: 'apt-get-would-run', rebootCommand: 'reboot-would-run' });
    h.runner.onCommand(command());
    expect(last(h)).toMatchObject({ state: CommandState.COMMAND_STATE_DONE, dryRun: true, rebooted: false });
    expect(last(h)?.message).toContain('`apt-get-would-run`');
    expect(last(h)?.message).toContain('`reboot-would-run`');
    expect(h.spy.calls).toHaveLength(0);
    h.stop();
  });

  it('reports a failed patch with its exit code and the last 4 KB of output; a broken reboot-required check fails closed', async () => {
    const h = harness({ stateDir: tmp(), patchCommand: `sh -c 'i=0; while [ $i -lt 500 ]; do echo "line $i of the package manager"; i=$((i+1)); done; echo E: broken >&2; exit 100'` });
    h.runner.onCommand(command());
    await until(() => stateOf(h, CommandState.COMMAND_STATE_FAILED), 'failed');
    const failed = last(h) as ICommandStatus;
    expect(failed.exitCode).toBe(100);
    expect(Buffer.byteLength(failed.outputTail ?? '')).toBeLessThanOrEqual(4096);
    expect(failed.outputTail).toMatch(/E: broken\n$/);
    expect(failed.outputTail).not.toContain('line 0 of');
    h.stop();

    const check = harness({ stateDir: tmp(), rebootRequiredCommand: 'exit 127' });
    check.runner.onCommand(command());
    await until(() => stateOf(check, CommandState.COMMAND_STATE_FAILED), 'failed on the check');
    expect(last(check)?.message).toMatch(/reboot-required check .* exited 127/);
    expect(check.spy.calls.some((c) => c.command === 'true')).toBe(false); // no reboot
    check.stop();
  });

  it('queues statuses while disconnected and sends them after the reconnect; in_flight carries the current one', async () => {
    const h = harness({ stateDir: tmp(), rebootRequiredCommand: 'false' });
    h.connected = false;
    h.runner.onCommand(command());
    await until(() => h.runner.inFlight().some((s) => s.state === CommandState.COMMAND_STATE_DONE), 'done while disconnected');
    expect(h.sent).toHaveLength(0);
    h.connected = true;
    h.runner.flush();
    expect(h.sent.map((s) => s.state)).toEqual([
      CommandState.COMMAND_STATE_RECEIVED,
      CommandState.COMMAND_STATE_PATCHING,
      CommandState.COMMAND_STATE_DONE,
    ]);
    h.stop();
  });
});
