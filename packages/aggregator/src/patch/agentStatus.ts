import type { AgentCommandState, AgentStatus, CommandStatusLike } from './nodeState.js';

/**
 * proto CommandState numbers (hms_sys.proto) by name. Field numbers are frozen by the wire
 * contract, so the pure core keeps its own copy instead of importing the protobuf runtime;
 * a test checks it against @hms-sys/protocol.
 */
export const COMMAND_STATE_NAMES: Readonly<Record<number, AgentCommandState>> = Object.freeze({
  0: 'unspecified',
  1: 'received',
  2: 'patching',
  3: 'rebooting',
  4: 'verifying',
  5: 'done',
  6: 'failed',
  7: 'refused',
});

const str = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);

/** Normalises a received CommandStatus (protobuf defaults, nulls) into plain JSON. */
export function toAgentStatus(status: CommandStatusLike, nowMs: number): AgentStatus {
  return {
    state: COMMAND_STATE_NAMES[status.state ?? 0] ?? 'unspecified',
    message: status.message ?? '',
    exitCode: status.exitCode ?? 0,
    bootIdBefore: str(status.bootIdBefore),
    bootId: str(status.bootId),
    kernelVersion: str(status.kernelVersion),
    rebootRequired: status.rebootRequired ?? false,
    rebooted: status.rebooted ?? false,
    simulated: status.simulated ?? false,
    dryRun: status.dryRun ?? false,
    refusalReason: str(status.refusalReason),
    atMs: nowMs,
  };
}
