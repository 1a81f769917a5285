/**
 * The agent's patch/reboot executor as a pure step machine:
 * `nextExecutorStep(state, event, config) → {state, actions}`. No clock, no I/O: the runner
 * performs the actions in order — `persist` first (it carries the exact state to write), then
 * the disruptive action after it — and feeds back what happened as events.
 *
 *   commandReceived ─refuse?→ (report REFUSED; nothing recorded)
 *        │ accepted
 *        ▼
 *   received ─persist→ patching ─runPatch─ patchFinished ─exit≠0→ failed
 *                                              │ reboot needed & allowed
 *                                              ▼
 *                          rebooting (bootIdBefore persisted BEFORE `reboot`)
 *                                              │ agentStarted with a NEW boot id
 *                                              ▼
 *                          verifying ─checkRebootRequired→ done (rebooted, new kernel)
 *   no reboot needed → done (rebooted=false)
 *
 * Refusals, in this order: bad signature; another node's command (misaddressed); the SAME id
 * as the in-flight or a remembered command is not a refusal: its current/final status is
 * re-reported and nothing re-runs (idempotent by id); an id only remembered as seen (its
 * outcome forgotten) → replayed; past expires_at → expired; another command in flight → busy.
 * Not allowed (no --allow-patch, or a dry-run command): nothing runs; DONE with dry_run=true
 * and a message saying what would have run. A needed reboot without --allow-reboot: DONE,
 * reboot_required=true, rebooted=false, with a message.
 *
 * After an agent restart (agentStarted):
 * - received → the patch starts now (unless the command expired meanwhile);
 * - patching → FAILED: the patch was interrupted; it is never re-run blindly;
 * - rebooting + new boot id → verifying → done (rebooted=true, kernel reported);
 * - rebooting + SAME boot id → the reboot did not happen (the agent died between persisting
 *   and rebooting, or the reboot was refused). Policy: re-issue the reboot ONCE (never the
 *   patch); a second same-boot restart, or rebootTimeoutMs without a restart, → FAILED.
 * An agent restart without a reboot is therefore never reported as rebooted.
 */

/** proto CommandState values (hms_sys.proto; numbers frozen by the wire contract). */
export const COMMAND_STATE = Object.freeze({
  UNSPECIFIED: 0,
  RECEIVED: 1,
  PATCHING: 2,
  REBOOTING: 3,
  VERIFYING: 4,
  DONE: 5,
  FAILED: 6,
  REFUSED: 7,
} as const);

export type ExecStep = 'received' | 'patching' | 'rebooting' | 'verifying' | 'done' | 'failed';

export type RefusalReason = 'expired' | 'replayed' | 'misaddressed' | 'bad_signature' | 'busy';

export type ExecPatchKind = 'kernel' | 'os' | 'packages' | 'unspecified';

/** A verified-or-not Command as decoded from the wire (proto Command without the signature). */
export interface ExecCommand {
  readonly id: string;
  readonly runId: string;
  readonly nodeName: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  readonly patchKind: ExecPatchKind;
  readonly allowReboot: boolean;
  readonly forceReboot: boolean;
  readonly dryRun: boolean;
}

/** One accepted command and where it is. */
export interface ExecRecord {
  command: ExecCommand;
  step: ExecStep;
  updatedAtMs: number;
  message: string;
  exitCode: number;
  outputTail: string;
  rebootRequired: boolean;
  /** Boot id persisted before the reboot was issued; null when no reboot was issued. */
  bootIdBefore: string | null;
  rebootIssuedAtMs: number | null;
  rebootAttempts: number;
  rebooted: boolean;
  simulated: boolean;
  dryRun: boolean;
}

/** Persisted executor state (plain JSON). Treat as immutable. */
export interface ExecutorState {
  v: 1;
  /** Boot the agent runs on now (from the last agentStarted). */
  bootId: string | null;
  kernelVersion: string | null;
  simulated: boolean;
  /** The command in flight (not final), if any. */
  current: ExecRecord | null;
  /** Finished commands, oldest first, at most config.historyLimit: their final status is re-reported on re-receipt. */
  history: ExecRecord[];
  /** Ids of every accepted command, oldest first, at most config.seenLimit (replay guard). */
  seen: string[];
}

export interface ExecutorConfig {
  readonly nodeName: string;
  /** --allow-patch: without it nothing runs (dry-run report). */
  readonly allowPatch: boolean;
  /** --allow-reboot: without it a needed reboot is reported, not done. */
  readonly allowReboot: boolean;
  /** Reboot issued but the agent still alive after this (ms) → failed. */
  readonly rebootTimeoutMs: number;
  /** Finished commands kept with their status. */
  readonly historyLimit: number;
  /** Accepted ids remembered. Must cover every id that can still be unexpired. */
  readonly seenLimit: number;
  /**
   * Optional: the commands the runner would run, so dry-run and not-allowed reports can say
   * exactly what would have happened (`patch` per kind, `reboot`).
   */
  readonly commandText?: { readonly patch: Readonly<Partial<Record<ExecPatchKind, string>>>; readonly reboot: string };
}

export const DEFAULT_EXECUTOR_CONFIG: Omit<ExecutorConfig, 'nodeName'> = Object.freeze({
  allowPatch: false,
  allowReboot: false,
  rebootTimeoutMs: 10 * 60_000,
  historyLimit: 50,
  seenLimit: 1000,
});

/** Fields of proto CommandStatus (protobufjs camelCase names; `state` is a COMMAND_STATE value). */
export interface ReportedStatus {
  readonly commandId: string;
  readonly state: number;
  readonly message: string;
  readonly exitCode: number;
  readonly outputTail: string;
  readonly bootIdBefore: string;
  readonly bootId: string;
  readonly kernelVersion: string;
  readonly rebootRequired: boolean;
  readonly rebooted: boolean;
  readonly simulated: boolean;
  readonly dryRun: boolean;
  readonly updatedAtMs: number;
  readonly runId: string;
  readonly refusalReason: string;
}

export type ExecutorEvent =
  /** A Command arrived; `signatureValid` is the runner's Ed25519 check. */
  | {
      readonly kind: 'commandReceived';
      readonly nowMs: number;
      readonly command: ExecCommand;
      readonly signatureValid: boolean;
      /** Why the signature check failed (refusal message); default "signature does not verify". */
      readonly signatureProblem?: string;
    }
  /** The agent process started (every start, with the state loaded from disk). */
  | { readonly kind: 'agentStarted'; readonly nowMs: number; readonly bootId: string; readonly kernelVersion: string; readonly simulated?: boolean }
  /** Answer to runPatch; the runner checks the reboot sentinel right after the patch. */
  | {
      readonly kind: 'patchFinished';
      readonly nowMs: number;
      readonly commandId: string;
      readonly exitCode: number;
      readonly outputTail: string;
      readonly rebootRequired: boolean;
    }
  /** The reboot command returned (the machine should go down soon). */
  | { readonly kind: 'rebootIssued'; readonly nowMs: number; readonly commandId: string }
  /** Answer to checkRebootRequired. */
  | { readonly kind: 'rebootRequiredChecked'; readonly nowMs: number; readonly commandId: string; readonly rebootRequired: boolean }
  | { readonly kind: 'actionFailed'; readonly nowMs: number; readonly commandId: string; readonly action: 'runPatch' | 'reboot' | 'checkRebootRequired'; readonly message: string }
  /** Periodic (reboot timeout). */
  | { readonly kind: 'tick'; readonly nowMs: number };

export type ExecutorAction =
  /** Write this exact state durably before performing any later action of the list. */
  | { readonly kind: 'persist'; readonly state: ExecutorState }
  /** Send a CommandStatus to the aggregator (queue it if disconnected). */
  | { readonly kind: 'report'; readonly status: ReportedStatus }
  /** Run the patch of this kind; answer patchFinished (or actionFailed). */
  | { readonly kind: 'runPatch'; readonly commandId: string; readonly patchKind: ExecPatchKind }
  /** Check the reboot sentinel; answer rebootRequiredChecked. */
  | { readonly kind: 'checkRebootRequired'; readonly commandId: string }
  /** Reboot the machine (or, simulated, restart the agent with a new boot id). */
  | { readonly kind: 'reboot'; readonly commandId: string; readonly attempt: number };

export interface ExecutorStepResult {
  readonly state: ExecutorState;
  readonly actions: readonly ExecutorAction[];
}

export function initialExecutorState(): ExecutorState {
  return { v: 1, bootId: null, kernelVersion: null, simulated: false, current: null, history: [], seen: [] };
}

const STATE_OF: Readonly<Record<ExecStep, number>> = {
  received: COMMAND_STATE.RECEIVED,
  patching: COMMAND_STATE.PATCHING,
  rebooting: COMMAND_STATE.REBOOTING,
  verifying: COMMAND_STATE.VERIFYING,
  done: COMMAND_STATE.DONE,
  failed: COMMAND_STATE.FAILED,
};

/** The CommandStatus of a record as of now. */
export function statusOf(state: ExecutorState, rec: ExecRecord): ReportedStatus {
  return {
    commandId: rec.command.id,
    state: STATE_OF[rec.step],
    message: rec.message,
    exitCode: rec.exitCode,
    outputTail: rec.outputTail,
    bootIdBefore: rec.bootIdBefore ?? '',
    bootId: state.bootId ?? '',
    kernelVersion: state.kernelVersion ?? '',
    rebootRequired: rec.rebootRequired,
    rebooted: rec.rebooted,
    simulated: rec.simulated,
    dryRun: rec.dryRun,
    updatedAtMs: rec.updatedAtMs,
    runId: rec.command.runId,
    refusalReason: '',
  };
}

/** Statuses for Hello.in_flight: the current command, then the most recent finished ones (newest last). */
export function inFlightStatuses(state: ExecutorState, recentFinished = 10): ReportedStatus[] {
  const recs = [...state.history.slice(-recentFinished), ...(state.current ? [state.current] : [])];
  return recs.map((r) => statusOf(state, r));
}

function refusal(state: ExecutorState, cmd: ExecCommand, reason: RefusalReason, message: string, nowMs: number): ReportedStatus {
  return {
    commandId: cmd.id,
    state: COMMAND_STATE.REFUSED,
    message,
    exitCode: 0,
    outputTail: '',
    bootIdBefore: '',
    bootId: state.bootId ?? '',
    kernelVersion: state.kernelVersion ?? '',
    rebootRequired: false,
    rebooted: false,
    simulated: false,
    dryRun: false,
    updatedAtMs: nowMs,
    runId: cmd.runId,
    refusalReason: reason,
  };
}

interface Ctx {
  readonly s: ExecutorState;
  readonly out: ExecutorAction[];
  readonly cfg: ExecutorConfig;
  readonly now: number;
}

function persist(c: Ctx): void {
  c.out.push({ kind: 'persist', state: structuredClone(c.s) });
}

function report(c: Ctx, rec: ExecRecord): void {
  c.out.push({ kind: 'report', status: statusOf(c.s, rec) });
}

/** Moves the current record to `step`, persists, reports. Final steps move it to history. */
function move(c: Ctx, rec: ExecRecord, step: ExecStep, message: string): void {
  rec.step = step;
  rec.message = message;
  rec.updatedAtMs = c.now;
  if (step === 'done' || step === 'failed') {
    c.s.current = null;
    c.s.history.push(rec);
    if (c.s.history.length > c.cfg.historyLimit) c.s.history.splice(0, c.s.history.length - c.cfg.historyLimit);
  } else {
    c.s.current = rec;
  }
  persist(c);
  report(c, rec);
}

function startPatch(c: Ctx, rec: ExecRecord): void {
  move(c, rec, 'patching', `applying the ${rec.command.patchKind} patch`);
  c.out.push({ kind: 'runPatch', commandId: rec.command.id, patchKind: rec.command.patchKind });
}

function issueReboot(c: Ctx, rec: ExecRecord, message: string): void {
  rec.bootIdBefore = rec.bootIdBefore ?? c.s.bootId;
  rec.rebootIssuedAtMs = c.now;
  rec.rebootAttempts++;
  // The boot id before is persisted BEFORE the reboot action: that is the fence.
  move(c, rec, 'rebooting', message);
  c.out.push({ kind: 'reboot', commandId: rec.command.id, attempt: rec.rebootAttempts });
}

function describe(cmd: ExecCommand, text?: ExecutorConfig['commandText']): string {
  const patch = text?.patch[cmd.patchKind];
  const rebootCmd = text ? ` (\`${text.reboot}\`)` : '';
  const reboot = cmd.forceReboot ? ` and reboot${rebootCmd}` : cmd.allowReboot ? ` and reboot${rebootCmd} if a reboot is required` : '';
  return `apply the ${cmd.patchKind} patch${patch ? ` (\`${patch}\`)` : ''}${reboot}`;
}

/** The executor's transition function. Pure; never mutates its input. */
export function nextExecutorStep(state: ExecutorState, event: ExecutorEvent, config: ExecutorConfig): ExecutorStepResult {
  const c: Ctx = { s: structuredClone(state), out: [], cfg: config, now: event.nowMs };
  const { s } = c;
  const cur = s.current;
  const mine = (id: string): ExecRecord | null => (cur && cur.command.id === id ? cur : null);

  switch (event.kind) {
    case 'commandReceived': {
      const cmd = event.command;
      if (!event.signatureValid) {
        c.out.push({ kind: 'report', status: refusal(s, cmd, 'bad_signature', event.signatureProblem ?? 'signature does not verify', c.now) });
        break;
      }
      if (cmd.nodeName !== config.nodeName) {
        c.out.push({ kind: 'report', status: refusal(s, cmd, 'misaddressed', `command is for node ${cmd.nodeName}, this is ${config.nodeName}`, c.now) });
        break;
      }
      const known = mine(cmd.id) ?? s.history.find((r) => r.command.id === cmd.id);
      if (known) {
        // Idempotent by id: the same command again only re-reports where it is.
        report(c, known);
        break;
      }
      if (s.seen.includes(cmd.id)) {
        c.out.push({ kind: 'report', status: refusal(s, cmd, 'replayed', 'command id already used', c.now) });
        break;
      }
      if (c.now > cmd.expiresAtMs || cmd.expiresAtMs <= cmd.issuedAtMs) {
        c.out.push({ kind: 'report', status: refusal(s, cmd, 'expired', `command expired at ${new Date(cmd.expiresAtMs).toISOString()}`, c.now) });
        break;
      }
      if (cur) {
        c.out.push({ kind: 'report', status: refusal(s, cmd, 'busy', `command ${cur.command.id} is still ${cur.step}`, c.now) });
        break;
      }
      s.seen.push(cmd.id);
      if (s.seen.length > config.seenLimit) s.seen.splice(0, s.seen.length - config.seenLimit);
      const rec: ExecRecord = {
        command: { ...cmd },
        step: 'received',
        updatedAtMs: c.now,
        message: 'received',
        exitCode: 0,
        outputTail: '',
        rebootRequired: false,
        bootIdBefore: null,
        rebootIssuedAtMs: null,
        rebootAttempts: 0,
        rebooted: false,
        simulated: false,
        dryRun: false,
      };
      if (cmd.dryRun || !config.allowPatch) {
        rec.dryRun = true;
        const why = cmd.dryRun ? 'dry run' : 'not allowed: this agent runs without --allow-patch';
        move(c, rec, 'done', `${why}; would ${describe(cmd, config.commandText)}`);
        break;
      }
      move(c, rec, 'received', 'received');
      startPatch(c, rec);
      break;
    }

    case 'patchFinished': {
      const rec = mine(event.commandId);
      if (!rec || rec.step !== 'patching') break;
      rec.exitCode = event.exitCode;
      rec.outputTail = event.outputTail;
      rec.rebootRequired = event.rebootRequired;
      if (event.exitCode !== 0) {
        move(c, rec, 'failed', `patch failed with exit code ${event.exitCode}`);
        break;
      }
      const cmd = rec.command;
      const needReboot = cmd.forceReboot || (event.rebootRequired && cmd.allowReboot);
      if (!needReboot) {
        move(c, rec, 'done', event.rebootRequired ? 'patched; a reboot is required but the command does not allow one' : 'patched; no reboot required');
      } else if (!config.allowReboot) {
        move(c, rec, 'done', `patched; would reboot now${config.commandText ? ` (\`${config.commandText.reboot}\`)` : ''}, but this agent runs without --allow-reboot`);
      } else if (!s.bootId) {
        move(c, rec, 'failed', 'patched, but the boot id is unknown: a reboot could not be verified, so none is issued');
      } else {
        issueReboot(c, rec, cmd.forceReboot && !event.rebootRequired ? 'rebooting (forced)' : 'rebooting: the patch requires it');
      }
      break;
    }

    case 'rebootIssued':
      // Nothing to change: the state already says rebooting (persisted before the reboot).
      break;

    case 'rebootRequiredChecked': {
      const rec = mine(event.commandId);
      if (!rec || rec.step !== 'verifying') break;
      rec.rebootRequired = event.rebootRequired;
      move(c, rec, 'done', `rebooted into ${s.kernelVersion ?? 'an unknown kernel'}${event.rebootRequired ? '; a reboot is STILL required' : ''}`);
      break;
    }

    case 'actionFailed': {
      const rec = mine(event.commandId);
      if (!rec) break;
      if (event.action === 'runPatch' && rec.step === 'patching') move(c, rec, 'failed', `could not run the patch: ${event.message}`);
      else if (event.action === 'reboot' && rec.step === 'rebooting') move(c, rec, 'failed', `reboot command failed: ${event.message}`);
      else if (event.action === 'checkRebootRequired' && rec.step === 'verifying') {
        move(c, rec, 'done', `rebooted into ${s.kernelVersion ?? 'an unknown kernel'}; the reboot-required check failed: ${event.message}`);
      }
      break;
    }

    case 'agentStarted': {
      s.bootId = event.bootId;
      s.kernelVersion = event.kernelVersion;
      s.simulated = event.simulated ?? false;
      if (!cur) {
        persist(c);
        break;
      }
      switch (cur.step) {
        case 'received':
          if (c.now > cur.command.expiresAtMs) move(c, cur, 'failed', 'the command expired before the patch could start');
          else startPatch(c, cur);
          break;
        case 'patching':
          move(
            c,
            cur,
            'failed',
            `${state.bootId !== null && state.bootId !== event.bootId ? 'the node rebooted' : 'the agent restarted'} while the patch was running: ` +
              'the patch is not re-run (its effect is unknown)',
          );
          break;
        case 'rebooting':
          if (cur.bootIdBefore !== null && event.bootId !== cur.bootIdBefore) {
            cur.rebooted = true;
            cur.simulated = s.simulated;
            move(c, cur, 'verifying', `rebooted: boot id ${event.bootId} (was ${cur.bootIdBefore})`);
            c.out.push({ kind: 'checkRebootRequired', commandId: cur.command.id });
          } else if (cur.rebootAttempts < 2) {
            issueReboot(c, cur, `boot id ${event.bootId} unchanged after the agent restarted: the reboot did not happen; re-issuing it once`);
          } else {
            move(c, cur, 'failed', `the node did not reboot: boot id ${event.bootId} unchanged after ${cur.rebootAttempts} reboot attempts`);
          }
          break;
        case 'verifying':
          persist(c);
          report(c, cur);
          c.out.push({ kind: 'checkRebootRequired', commandId: cur.command.id });
          break;
        default:
          break;
      }
      break;
    }

    case 'tick': {
      if (cur && cur.step === 'rebooting' && cur.rebootIssuedAtMs !== null && c.now - cur.rebootIssuedAtMs >= config.rebootTimeoutMs) {
        move(c, cur, 'failed', `the reboot was issued ${Math.round((c.now - cur.rebootIssuedAtMs) / 1000)} s ago but the machine is still up on boot id ${s.bootId}`);
      }
      break;
    }
  }
  return { state: s, actions: c.out };
}
