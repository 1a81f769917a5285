import { patchKindName, type CommandState, type ICommand, type ICommandStatus } from '@hms-sys/protocol';
import { COMMAND_STATE, type ExecCommand, type ExecPatchKind, type ReportedStatus } from './executorMachine.js';

/** Between the executor's plain types and the protobuf messages. */

/** A decoded proto Command as the executor machine sees it (missing fields take proto defaults). */
export function toExecCommand(cmd: ICommand): ExecCommand {
  return {
    id: cmd.id ?? '',
    runId: cmd.runId ?? '',
    nodeName: cmd.nodeName ?? '',
    issuedAtMs: Number(cmd.issuedAtMs ?? 0),
    expiresAtMs: Number(cmd.expiresAtMs ?? 0),
    patchKind: patchKindName(cmd.patchKind) as ExecPatchKind,
    allowReboot: cmd.allowReboot ?? false,
    forceReboot: cmd.forceReboot ?? false,
    dryRun: cmd.dryRun ?? false,
  };
}

/** A ReportedStatus as the proto CommandStatus (same field names). */
export function toProtoStatus(s: ReportedStatus): ICommandStatus {
  return { ...s, state: s.state as CommandState };
}

/** Lower-case state names for logs. */
export const COMMAND_STATE_NAMES_FOR_LOG: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(COMMAND_STATE).map(([k, v]) => [v, k.toLowerCase()])),
);
