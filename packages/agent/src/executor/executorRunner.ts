import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import { errorMessage } from '@hms-sys/common';
import { COMMAND_STATE_NAMES_FOR_LOG, toExecCommand, toProtoStatus } from './executorWire.js';
import type { CommandRunner } from './commandRunner.js';
import type { CommandVerifier } from './commandVerifier.js';
import {
  COMMAND_STATE,
  inFlightStatuses,
  initialExecutorState,
  nextExecutorStep,
  type ExecutorAction,
  type ExecutorConfig,
  type ExecutorEvent,
  type ExecutorState,
  type ReportedStatus,
} from './executorMachine.js';
import type { HostCommands } from './hostCommands.js';
import { checkRebootRequired } from './rebootRequired.js';
import type { ICommand, ICommandStatus } from '@hms-sys/protocol';

/** Where the executor keeps its state (ExecutorStore, or an in-memory fake). */
export interface ExecutorStatePort {
  load(): ExecutorState | undefined;
  /** Durable when it returns; throws when it cannot write. */
  save(state: ExecutorState, nowMs: number): void;
}

/** Statuses kept while the agent is disconnected (oldest dropped first). */
export const MAX_QUEUED_STATUSES = 200;
/** How often the executor checks its timeouts, ms. */
export const EXECUTOR_TICK_MS = 1000;

export interface ExecutorRunnerOptions {
  readonly config: ExecutorConfig;
  readonly store: ExecutorStatePort;
  readonly runner: CommandRunner;
  readonly commands: HostCommands;
  readonly verifier: CommandVerifier;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sends a status now; false when not connected (the status is then queued). */
  readonly send: (status: ICommandStatus) => boolean;
  /** Patch command timeout, ms. */
  readonly patchTimeoutMs: number;
  /** Reboot command timeout (the command returning, not the machine going down), ms. */
  readonly rebootCommandTimeoutMs: number;
  /** For the reboot-required files (tests inject). */
  readonly exists?: (path: string) => boolean;
}

/**
 * The executor's I/O (GUIDE §5, §12): feeds events to the pure `nextExecutorStep` and performs
 * its actions in order. Every `persist` is written synchronously to agent.db before the next
 * action runs, so the patch and the reboot are always behind a durable record of them: a crash
 * at any point restarts into a state that knows whether the patch ran and which boot id came
 * before the reboot. Answers to async actions (patch, reboot, reboot check) come back as events.
 */
export class ExecutorRunner {
  private state: ExecutorState = initialExecutorState();
  private readonly queue: ICommandStatus[] = [];
  private timer: TimerHandle | undefined;
  private started = false;
  private stopped = false;
  /** A write failed: nothing disruptive runs any more (fail closed). */
  private broken: string | undefined;

  constructor(private readonly opts: ExecutorRunnerOptions) {}

  /** Loads the state and feeds `agentStarted` (resumes an interrupted command). Throws when agent.db is unreadable. */
  start(node: { bootId: string; kernelVersion: string; simulated: boolean }): void {
    this.state = this.opts.store.load() ?? initialExecutorState();
    this.started = true;
    const cur = this.state.current;
    if (cur) this.opts.logger.info({ commandId: cur.command.id, step: cur.step, bootIdBefore: cur.bootIdBefore, bootId: node.bootId }, 'resuming a command after the agent started');
    this.feed({ kind: 'agentStarted', nowMs: this.opts.clock.now(), bootId: node.bootId, kernelVersion: node.kernelVersion, simulated: node.simulated });
    this.timer = this.opts.clock.setInterval(() => this.feed({ kind: 'tick', nowMs: this.opts.clock.now() }), EXECUTOR_TICK_MS);
  }

  /** A Command from the aggregator: signature check, then the machine decides (accept, re-report or refuse). */
  onCommand(cmd: ICommand): void {
    if (!this.started || this.stopped) return;
    const check = this.opts.verifier.verify(cmd);
    const command = toExecCommand(cmd);
    if (!check.ok) this.opts.logger.warn({ commandId: command.id, keyId: cmd.keyId ?? '', reason: check.reason }, 'refusing a command: bad signature');
    this.feed({
      kind: 'commandReceived',
      nowMs: this.opts.clock.now(),
      command,
      signatureValid: check.ok,
      ...(check.ok ? {} : { signatureProblem: check.reason }),
    });
  }

  /** Hello.in_flight: the current command and the most recent finished ones. */
  inFlight(): ICommandStatus[] {
    return inFlightStatuses(this.state).map(toProtoStatus);
  }

  /** After a (re)connect: sends what was queued while disconnected, in order. */
  flush(): void {
    while (this.queue.length > 0) {
      const s = this.queue[0] as ICommandStatus;
      if (!this.opts.send(s)) return;
      this.queue.shift();
    }
  }

  /** The state as held now (tests, diagnostics). */
  snapshot(): ExecutorState {
    return structuredClone(this.state);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  private feed(event: ExecutorEvent): void {
    if (this.stopped) return;
    const res = nextExecutorStep(this.state, event, this.opts.config);
    this.state = res.state;
    for (const a of res.actions) {
      if (!this.perform(a)) break;
    }
  }

  /** Performs one action; false stops the rest of this step's actions (a persist failed). */
  private perform(a: ExecutorAction): boolean {
    const { logger } = this.opts;
    switch (a.kind) {
      case 'persist':
        try {
          this.opts.store.save(a.state, this.opts.clock.now());
          return true;
        } catch (err) {
          this.broken = `cannot write agent.db: ${errorMessage(err)}`;
          logger.fatal({ err }, 'cannot persist the executor state: no disruptive action will run');
          return false;
        }
      case 'report':
        this.report(a.status);
        return true;
      case 'runPatch':
        if (this.broken) return false;
        this.guard(a.commandId, 'runPatch', this.runPatch(a.commandId, a.patchKind));
        return true;
      case 'checkRebootRequired':
        this.guard(a.commandId, 'checkRebootRequired', this.answerRebootCheck(a.commandId));
        return true;
      case 'reboot':
        if (this.broken) return false;
        this.guard(a.commandId, 'reboot', this.reboot(a.commandId, a.attempt));
        return true;
    }
  }

  /** An async action that throws (it should not) becomes actionFailed, never an unhandled rejection. */
  private guard(commandId: string, action: 'runPatch' | 'reboot' | 'checkRebootRequired', p: Promise<void>): void {
    p.catch((err: unknown) => {
      this.opts.logger.error({ err, commandId, action }, 'executor action failed unexpectedly');
      this.feed({ kind: 'actionFailed', nowMs: this.opts.clock.now(), commandId, action, message: errorMessage(err) });
    });
  }

  private report(status: ReportedStatus): void {
    const level = status.state === COMMAND_STATE.REFUSED || status.state === COMMAND_STATE.FAILED ? 'warn' : 'info';
    this.opts.logger[level]({
      commandId: status.commandId,
      state: COMMAND_STATE_NAMES_FOR_LOG[status.state] ?? String(status.state),
      ...(status.refusalReason ? { refusalReason: status.refusalReason } : {}),
      ...(status.exitCode ? { exitCode: status.exitCode } : {}),
      dryRun: status.dryRun,
    }, `command ${status.commandId}: ${status.message}`);
    const proto = toProtoStatus(status);
    if (this.opts.send(proto)) return;
    this.queue.push(proto);
    if (this.queue.length > MAX_QUEUED_STATUSES) this.queue.splice(0, this.queue.length - MAX_QUEUED_STATUSES);
  }

  private async runPatch(commandId: string, kind: Parameters<HostCommands['patchCommand']>[0]): Promise<void> {
    const { commands, runner, logger, clock } = this.opts;
    const command = commands.patchCommand(kind);
    if (!command) {
      this.feed({
        kind: 'actionFailed', nowMs: clock.now(), commandId, action: 'runPatch',
        message: 'no package manager found under --host-root (looked for apt-get, dnf, zypper); set --patch-command',
      });
      return;
    }
    logger.warn({ commandId, kind, command }, 'running the patch command');
    const run = this.state.current?.command;
    const r = await runner.run(command, {
      timeoutMs: this.opts.patchTimeoutMs,
      env: { HMS_PATCH_KIND: kind, HMS_COMMAND_ID: commandId, HMS_RUN_ID: run?.runId ?? '' },
    });
    if (this.stopped) return;
    logger.info({ commandId, exitCode: r.exitCode, durationMs: r.durationMs, timedOut: r.timedOut }, 'patch command finished');
    let rebootRequired = false;
    if (r.exitCode === 0) {
      const check = await checkRebootRequired(commands.rebootRequired, runner, this.opts.exists);
      if (this.stopped) return;
      if (!check.ok) {
        // Fail closed: the patch ran, but whether to reboot is unknown.
        this.feed({ kind: 'actionFailed', nowMs: clock.now(), commandId, action: 'runPatch', message: `the patch succeeded but ${check.message}` });
        return;
      }
      rebootRequired = check.required;
      logger.info({ commandId, rebootRequired, detail: check.detail }, 'reboot-required check');
    }
    this.feed({ kind: 'patchFinished', nowMs: clock.now(), commandId, exitCode: r.exitCode, outputTail: r.outputTail, rebootRequired });
  }

  private async answerRebootCheck(commandId: string): Promise<void> {
    const check = await checkRebootRequired(this.opts.commands.rebootRequired, this.opts.runner, this.opts.exists);
    if (this.stopped) return;
    const nowMs = this.opts.clock.now();
    if (check.ok) this.feed({ kind: 'rebootRequiredChecked', nowMs, commandId, rebootRequired: check.required });
    else this.feed({ kind: 'actionFailed', nowMs, commandId, action: 'checkRebootRequired', message: check.message });
  }

  private async reboot(commandId: string, attempt: number): Promise<void> {
    const { commands, runner, logger, clock } = this.opts;
    logger.warn({ commandId, attempt, command: commands.rebootCommand, bootIdBefore: this.state.bootId }, 'rebooting the node');
    const r = await runner.run(commands.rebootCommand, { timeoutMs: this.opts.rebootCommandTimeoutMs });
    if (this.stopped) return;
    if (r.exitCode === 0) {
      this.feed({ kind: 'rebootIssued', nowMs: clock.now(), commandId });
      return;
    }
    const tail = r.outputTail.trim().split('\n').slice(-3).join(' | ');
    this.feed({ kind: 'actionFailed', nowMs: clock.now(), commandId, action: 'reboot', message: `\`${commands.rebootCommand}\` exited ${r.exitCode}${tail ? `: ${tail}` : ''}` });
  }
}
