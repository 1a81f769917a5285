import './longs.js';
import './fastReader.js';
import protobuf from 'protobufjs/minimal.js';
import { hms } from '../gen/hms_sys.js';

/** The wire protocol version this build speaks (`Hello.protocol_version`). */
export const PROTOCOL_VERSION = 1;

/**
 * Default ceiling for one agent frame, in bytes. A node with 1 000 pods x 3 containers encodes to
 * roughly 400 KB, so 4 MiB leaves ample room for a sane batch while bounding what one hostile
 * connection can make the aggregator buffer (ws defaults to 100 MiB).
 */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024;

export const v1 = hms.sys.v1;
export type AgentMessage = hms.sys.v1.AgentMessage;
export type AggregatorMessage = hms.sys.v1.AggregatorMessage;
export type IAgentMessage = hms.sys.v1.AgentMessage.$Properties;
export type IAggregatorMessage = hms.sys.v1.AggregatorMessage.$Properties;
export type IHello = hms.sys.v1.Hello.$Properties;
export type INodeInfo = hms.sys.v1.NodeInfo.$Properties;
export type IWelcome = hms.sys.v1.Welcome.$Properties;
export type IAck = hms.sys.v1.Ack.$Properties;
export type IMetricsBatch = hms.sys.v1.MetricsBatch.$Properties;
export type INodeUsage = hms.sys.v1.NodeUsage.$Properties;
export type IPodSample = hms.sys.v1.PodSample.$Properties;
export type IContainerSample = hms.sys.v1.ContainerSample.$Properties;
export type ICollectionStats = hms.sys.v1.CollectionStats.$Properties;
export type ICommand = hms.sys.v1.Command.$Properties;
export type ICommandStatus = hms.sys.v1.CommandStatus.$Properties;
export const PatchKind = hms.sys.v1.PatchKind;
export const CommandState = hms.sys.v1.CommandState;
export type PatchKind = hms.sys.v1.PatchKind;
export type CommandState = hms.sys.v1.CommandState;

/** Thrown when bytes do not decode as the expected message. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export function encodeAgentMessage(msg: IAgentMessage): Uint8Array {
  return v1.AgentMessage.encode(msg).finish();
}

export function encodeAggregatorMessage(msg: IAggregatorMessage): Uint8Array {
  return v1.AggregatorMessage.encode(msg).finish();
}

function decodeWith<T>(decode: (r: protobuf.Reader) => T, bytes: Uint8Array): T {
  try {
    return decode(protobuf.Reader.create(bytes));
  } catch (err) {
    // protobufjs throws RangeError/Error on truncated or malformed input.
    throw new DecodeError(err instanceof Error ? err.message : String(err));
  }
}

/** Decodes one agent frame; throws DecodeError on malformed input, never anything else. */
export function decodeAgentMessage(bytes: Uint8Array): AgentMessage {
  return decodeWith((r) => v1.AgentMessage.decode(r), bytes);
}

/** Decodes one aggregator frame; throws DecodeError on malformed input. */
export function decodeAggregatorMessage(bytes: Uint8Array): AggregatorMessage {
  return decodeWith((r) => v1.AggregatorMessage.decode(r), bytes);
}

/** Encodes a command with an empty signature: the exact bytes that get signed and verified. */
export function commandSigningBytes(cmd: ICommand): Uint8Array {
  return v1.Command.encode({ ...cmd, signature: new Uint8Array(0) }).finish();
}

/** Every enum value's name, for logs and JSON output (e.g. COMMAND_STATE_DONE -> "done"). */
export function commandStateName(state: CommandState | null | undefined): string {
  const name = CommandState[state ?? 0] ?? 'COMMAND_STATE_UNSPECIFIED';
  return name.replace('COMMAND_STATE_', '').toLowerCase();
}

export function patchKindName(kind: PatchKind | null | undefined): string {
  const name = PatchKind[kind ?? 0] ?? 'PATCH_KIND_UNSPECIFIED';
  return name.replace('PATCH_KIND_', '').toLowerCase();
}

export function patchKindFromName(name: string): PatchKind | undefined {
  const key = `PATCH_KIND_${name.toUpperCase()}` as keyof typeof PatchKind;
  const value = PatchKind[key];
  return typeof value === 'number' && value !== 0 ? (value as PatchKind) : undefined;
}
