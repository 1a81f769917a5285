import type { ICommandStatus } from '@hms-sys/protocol';
import type { DriverPod, EvictionOutcome } from '../drivers/types.js';
import type { DrainOptions } from './drainFilter.js';
import type { PatchEvent } from './patchEvents.js';
import type { PreflightReason, PreflightResult } from './preflight.js';

/**
 * Types of the per-node patch step machine (nodeMachine.ts): its persisted state, the
 * observations the runner feeds it, and the actions it asks the runner to perform.
 *
 * Contract with the runner:
 * 1. Every NodeState / RunState is plain JSON. Persist the returned state BEFORE performing any
 *    of the returned actions (isDisruptive() tells which ones matter; persisting always is simplest).
 * 2. Perform a node's actions in order and answer each one with exactly one observation:
 *    preflight → preflightResult; cordon → cordoned; listPods → podsOnNode; evict → evictionResult;
 *    sendCommand / reattachCommand → (commandStatus from the agent, later); uncordon → uncordoned;
 *    checkWorkloads → workloadsReady; any of them failing → actionFailed. `emit` needs no answer.
 * 3. Feed `tick` at least every second (timeouts and retries are checked on tick against
 *    timestamps stored in the state), `nodeSeen` on every agent hello / disconnect / node update,
 *    and every CommandStatus the agent sends (including Hello.in_flight).
 * 4. After an aggregator restart, load the state and feed `restart` once: the machine re-attaches
 *    (same command id) and never re-issues a command or a reboot.
 * All times are ms since the epoch, passed in observations; the machine never reads a clock.
 */

/**
 * Steps of one node. In-flight steps (holding one of the run's N slots) are ACTIVE_STEPS;
 * final steps are FINAL_STEPS; `pending` waits for the run machine to start it.
 */
export type NodeStep =
  | 'pending'
  | 'preflight'
  | 'cordoning'
  | 'draining'
  | 'patching'
  | 'rebooting'
  | 'verifying'
  | 'uncordoning'
  | 'health-gate'
  | 'releasing'
  | 'done'
  | 'failed'
  | 'blocked'
  | 'skipped'
  | 'cancelled';

export const ACTIVE_STEPS: readonly NodeStep[] = [
  'preflight',
  'cordoning',
  'draining',
  'patching',
  'rebooting',
  'verifying',
  'uncordoning',
  'health-gate',
  'releasing',
];
export const FINAL_STEPS: readonly NodeStep[] = ['done', 'failed', 'blocked', 'skipped', 'cancelled'];
/** Steps after the command was persisted: cancel / halt / window end never interrupt these. */
export const COMMANDED_STEPS: readonly NodeStep[] = ['patching', 'rebooting', 'verifying', 'uncordoning', 'health-gate'];

export function isActiveStep(step: NodeStep): boolean {
  return ACTIVE_STEPS.includes(step);
}
export function isFinalStep(step: NodeStep): boolean {
  return FINAL_STEPS.includes(step);
}

export type NodeFailureCode =
  | 'drain-timeout'
  | 'eviction-error'
  | 'drain-unevictable-pod'
  | 'cordon-failed'
  | 'no-boot-id'
  | 'command-timeout'
  | 'command-failed'
  | 'command-refused'
  | 'agent-not-allowed'
  | 'reboot-not-performed'
  | 'reboot-timeout'
  | 'verify-timeout'
  | 'kernel-mismatch'
  | 'reboot-still-required'
  | 'uncordon-failed'
  | 'health-gate-timeout';

export interface NodeFailure {
  readonly code: NodeFailureCode;
  readonly message: string;
  /** The node stays cordoned by us (the step event says why). */
  readonly leftCordoned: boolean;
}

export type PatchKindName = 'kernel' | 'os' | 'packages';

/** The command for the node's agent (maps 1:1 to proto Command; the runner signs it). */
export interface PatchCommand {
  /** `${run}:${node}`: one command per node and run, so a re-send is recognisably the same. */
  readonly id: string;
  readonly runId: string;
  readonly nodeName: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  readonly patchKind: PatchKindName;
  readonly allowReboot: boolean;
  readonly forceReboot: boolean;
  readonly dryRun: boolean;
}

/** Agent command states by name (proto CommandState without the prefix). */
export type AgentCommandState = 'unspecified' | 'received' | 'patching' | 'rebooting' | 'verifying' | 'done' | 'failed' | 'refused';

/** A CommandStatus as received (protobufjs ICommandStatus fits: every field optional/nullable). */
export type CommandStatusLike = Pick<
  ICommandStatus,
  | 'commandId'
  | 'state'
  | 'message'
  | 'exitCode'
  | 'outputTail'
  | 'bootIdBefore'
  | 'bootId'
  | 'kernelVersion'
  | 'rebootRequired'
  | 'rebooted'
  | 'simulated'
  | 'dryRun'
  | 'refusalReason'
>;

/** The last CommandStatus of our command, normalised to plain JSON. */
export interface AgentStatus {
  state: AgentCommandState;
  message: string;
  exitCode: number;
  bootIdBefore: string | null;
  bootId: string | null;
  kernelVersion: string | null;
  rebootRequired: boolean;
  rebooted: boolean;
  simulated: boolean;
  dryRun: boolean;
  refusalReason: string | null;
  atMs: number;
}

export interface EvictionRecord {
  uid: string;
  namespace: string;
  name: string;
  /** `Kind/name` of the controller, for the health gate. */
  owner: string | null;
  status: 'to-evict' | 'requested' | 'retry-wait' | 'evicted' | 'gone';
  /**
   * The API server accepted our eviction. Kept when a later listing no longer shows the pod
   * (status becomes `gone`, which the drain's completion counts on), so the record still says the
   * run evicted it rather than that it vanished by itself.
   */
  evicted?: true;
  attempts: number;
  /** When the last eviction was requested (ms). */
  requestedAtMs: number | null;
  /** retry-wait: when the next attempt is due (ms). */
  nextAttemptAtMs: number | null;
  lastMessage: string | null;
}

export interface DrainState {
  startedAtMs: number;
  /** Drain fails at this time (ms); pushed back by the time spent paused. */
  deadlineMs: number;
  pods: EvictionRecord[];
  /** Time of the last podsOnNode (ms). */
  lastListAtMs: number | null;
  /** Every pod is gone, but the command was held (paused). */
  drained: boolean;
}

/** An outstanding request to the runner and its retry bookkeeping. */
export interface PendingAction {
  kind: 'preflight' | 'cordon' | 'listPods' | 'sendCommand' | 'uncordon' | 'checkWorkloads';
  attempts: number;
  /** When it was last issued (ms); null while waiting to retry. */
  issuedAtMs: number | null;
  /** When to issue it again after a failure (ms). */
  retryAtMs: number | null;
}

/** Persisted state of one node in one run. Treat as immutable: nextNodeStep returns a new object. */
export interface NodeState {
  v: 1;
  run: string;
  node: string;
  step: NodeStep;
  stepSinceMs: number;
  /** End (ms) of the window the node was started in: no command is sent at or after it. null = no windows. */
  windowEndMs: number | null;
  /** Nodes of the run that were in flight when this node started (preflight treats them as unavailable). */
  unavailableNodes: string[];
  paused: boolean;
  pausedAtMs: number | null;
  cancelRequested: boolean;
  /** Preflight refusals so far (the node is `blocked` for good at config.maxPreflightBlocks). */
  blocks: number;
  /** pending: not startable before this time (ms) after a refusal. */
  notBeforeMs: number | null;
  lastBlock: PreflightReason[] | null;
  /** From the preflight that admitted the node. */
  nodeInfo: { unschedulable: boolean; bootId: string | null; kernelVersion: string | null } | null;
  cordon: {
    /** The node was unschedulable before we touched it: we never uncordon it. */
    preexisting: boolean;
    /** We cordoned it and have not uncordoned it yet. */
    ours: boolean;
    /** The cordon was re-issued after a restart: its `alreadyCordoned` may be our own earlier cordon. */
    resumed: boolean;
  };
  drain: DrainState | null;
  /** Pods evicted or gone during the drain: their controllers must be ready again (health gate). */
  evicted: { uid: string; namespace: string; name: string; owner: string | null }[];
  /** Boot id when the command was persisted (the reboot fence); null before. */
  bootIdBefore: string | null;
  kernelBefore: string | null;
  lastSeen: { connected: boolean; bootId: string | null; kernelVersion: string | null; ready: boolean | null; atMs: number } | null;
  command: PatchCommand | null;
  /** The agent reported a reboot (REBOOTING / rebooted=true) for our command. */
  rebootExpected: boolean;
  /** Set once a boot id different from bootIdBefore (and from the agent's own boot_id_before) is seen. */
  reboot: { bootIdBefore: string; bootId: string; kernelVersion: string | null; atMs: number; simulated: boolean } | null;
  agent: AgentStatus | null;
  /** command.finished / command.refused was emitted. */
  commandFinished: boolean;
  /** Timeout of the current step (ms): command, reboot, verify or health gate. */
  deadlineMs: number | null;
  /** health-gate: next workload check (ms). */
  nextCheckAtMs: number | null;
  pending: PendingAction | null;
  /** While releasing: where the node goes once uncordoned. */
  abort: { outcome: 'failed' | 'cancelled' | 'pending'; reason: string } | null;
  failure: NodeFailure | null;
  notes: string[];
  finishedAtMs: number | null;
}

/** Timeouts (ms) and behaviour of one node's patch; stored in the run state. */
export interface NodePatchConfig {
  readonly patchKind: PatchKindName;
  /** Orchestrator dry run: no cordon, no eviction; the agent gets a dry-run command. */
  readonly dryRun: boolean;
  readonly allowReboot: boolean;
  readonly forceReboot: boolean;
  readonly drain: DrainOptions;
  readonly gracePeriodSeconds?: number;
  /** Whole drain (evictions + waiting for pods to go). kubectl's default is infinite; ours is not. */
  readonly drainTimeoutMs: number;
  /** First retry delay after a 429 (kubectl: fixed 5 s). */
  readonly evictionRetryMs: number;
  /** Retry delay doubles per attempt up to this (equal to evictionRetryMs = kubectl's fixed 5 s). */
  readonly evictionRetryMaxMs: number;
  /** Re-list the node's pods this often while draining. */
  readonly podPollMs: number;
  /** Command agent lifetime: Command.expires_at = issued + this. */
  readonly commandTtlMs: number;
  /** From sending the command until the agent reports rebooting or a final state. */
  readonly commandTimeoutMs: number;
  /** From the agent's "rebooting" until a new boot id is seen. */
  readonly rebootTimeoutMs: number;
  /** From the new boot id (or a no-reboot done) until verification passes. */
  readonly verifyTimeoutMs: number;
  readonly healthGateTimeoutMs: number;
  readonly healthPollMs: number;
  /** No answer to an action within this → it is treated as failed and retried. */
  readonly actionTimeoutMs: number;
  readonly actionRetryMs: number;
  /** cordon / uncordon attempts before giving up. */
  readonly maxActionAttempts: number;
  /** After an aggregator restart, step deadlines are at least this far away (the agent needs time to say hello). */
  readonly resumeGraceMs: number;
  /** Preflight refusals before the node is `blocked` for this run. */
  readonly maxPreflightBlocks: number;
  /** Wait after a refusal before the node may be tried again. */
  readonly blockedRetryMs: number;
  /** After a failure once the command was sent: keep our cordon (default) or uncordon. */
  readonly onCommandFailure: 'leave-cordoned' | 'uncordon';
  /** When set, the kernel after the patch must equal it. */
  readonly expectedKernelVersion?: string;
}

export const DEFAULT_NODE_PATCH_CONFIG: NodePatchConfig = Object.freeze({
  patchKind: 'kernel',
  dryRun: false,
  allowReboot: true,
  forceReboot: false,
  drain: Object.freeze({ force: false, deleteEmptyDirData: false }),
  drainTimeoutMs: 10 * 60_000,
  evictionRetryMs: 5_000,
  evictionRetryMaxMs: 5_000,
  podPollMs: 2_000,
  commandTtlMs: 5 * 60_000,
  commandTimeoutMs: 30 * 60_000,
  rebootTimeoutMs: 15 * 60_000,
  verifyTimeoutMs: 5 * 60_000,
  healthGateTimeoutMs: 10 * 60_000,
  healthPollMs: 5_000,
  actionTimeoutMs: 30_000,
  actionRetryMs: 5_000,
  maxActionAttempts: 5,
  resumeGraceMs: 2 * 60_000,
  maxPreflightBlocks: 3,
  blockedRetryMs: 60_000,
  onCommandFailure: 'leave-cordoned',
}) as NodePatchConfig;

/** What the runner feeds the node machine. Every observation carries the current time (ms). */
export type NodeObservation =
  /** Timeouts, retries, polls. */
  | { readonly kind: 'tick'; readonly nowMs: number }
  /** From the run machine: begin with preflight. */
  | { readonly kind: 'start'; readonly nowMs: number; readonly windowEndMs: number | null; readonly unavailableNodes: readonly string[] }
  | { readonly kind: 'preflightResult'; readonly nowMs: number; readonly result: PreflightResult }
  /** Answer to `cordon` (NodeOperator.cordon). */
  | { readonly kind: 'cordoned'; readonly nowMs: number; readonly alreadyCordoned: boolean }
  /** Answer to `listPods`: every pod currently bound to the node (from the driver's view). */
  | { readonly kind: 'podsOnNode'; readonly nowMs: number; readonly pods: readonly DriverPod[] }
  /** Answer to `evict` for one pod (NodeOperator.evict). */
  | { readonly kind: 'evictionResult'; readonly nowMs: number; readonly uid: string; readonly outcome: EvictionOutcome }
  /** A CommandStatus from the node's agent (stream or Hello.in_flight). */
  | { readonly kind: 'commandStatus'; readonly nowMs: number; readonly status: CommandStatusLike }
  /** The node/agent as seen now: agent hello or disconnect, or a driver node update. */
  | {
      readonly kind: 'nodeSeen';
      readonly nowMs: number;
      readonly connected: boolean;
      readonly bootId?: string | null;
      readonly kernelVersion?: string | null;
      readonly ready?: boolean | null;
      readonly simulated?: boolean;
    }
  /** Answer to `uncordon`. */
  | { readonly kind: 'uncordoned'; readonly nowMs: number }
  /** Answer to `checkWorkloads`: are the evicted pods' controllers fully ready again? */
  | { readonly kind: 'workloadsReady'; readonly nowMs: number; readonly ready: boolean; readonly detail?: string }
  /** An action could not be performed (exception, agent not connected...). `uid` for evict. */
  | { readonly kind: 'actionFailed'; readonly nowMs: number; readonly action: PatchAction['kind']; readonly message: string; readonly uid?: string }
  | { readonly kind: 'pause'; readonly nowMs: number }
  | { readonly kind: 'resume'; readonly nowMs: number }
  /** Operator cancel (outcome `cancelled`), run halt (`cancelled`) or window end (`pending`: try again in the next window). */
  | { readonly kind: 'abort'; readonly nowMs: number; readonly outcome: 'cancelled' | 'pending'; readonly reason: string }
  /** The state was just loaded after an aggregator restart: re-attach, never re-issue. */
  | { readonly kind: 'restart'; readonly nowMs: number };

/** Plain-data instructions for the runner. */
export type PatchAction =
  /** Run preflight() against the live cluster view and answer preflightResult. */
  | { readonly kind: 'preflight'; readonly run: string; readonly node: string; readonly unavailableNodes: readonly string[]; readonly options: DrainOptions }
  | { readonly kind: 'cordon'; readonly run: string; readonly node: string }
  | { readonly kind: 'listPods'; readonly run: string; readonly node: string }
  /** Evict exactly this pod: the runner re-checks uid AND node before calling the API (answer `gone` when they differ). */
  | {
      readonly kind: 'evict';
      readonly run: string;
      readonly node: string;
      readonly pod: { readonly uid: string; readonly namespace: string; readonly name: string; readonly node: string };
      readonly gracePeriodSeconds?: number;
    }
  /** First and only send of this node's command (the state holding it is persisted first). */
  | { readonly kind: 'sendCommand'; readonly run: string; readonly node: string; readonly command: PatchCommand }
  /** Send the SAME command again (same id): the agent re-reports its status and never runs it twice. */
  | { readonly kind: 'reattachCommand'; readonly run: string; readonly node: string; readonly command: PatchCommand }
  | { readonly kind: 'uncordon'; readonly run: string; readonly node: string }
  /** Are these controllers (`namespace/Kind/name`) all ready again? Answer workloadsReady. */
  | { readonly kind: 'checkWorkloads'; readonly run: string; readonly node: string; readonly workloads: readonly string[] }
  /** Append to the event log (no answer). */
  | { readonly kind: 'emit'; readonly event: PatchEvent };

const DISRUPTIVE: ReadonlySet<PatchAction['kind']> = new Set(['cordon', 'evict', 'sendCommand', 'reattachCommand', 'uncordon']);

/** Actions that change the cluster or a node: the state must be persisted before performing them. */
export function isDisruptive(action: PatchAction): boolean {
  return DISRUPTIVE.has(action.kind);
}

export interface NodeStepResult {
  readonly state: NodeState;
  readonly actions: readonly PatchAction[];
}

/** A fresh node state (step `pending`). */
export function initialNodeState(run: string, node: string, nowMs: number): NodeState {
  return {
    v: 1,
    run,
    node,
    step: 'pending',
    stepSinceMs: nowMs,
    windowEndMs: null,
    unavailableNodes: [],
    paused: false,
    pausedAtMs: null,
    cancelRequested: false,
    blocks: 0,
    notBeforeMs: null,
    lastBlock: null,
    nodeInfo: null,
    cordon: { preexisting: false, ours: false, resumed: false },
    drain: null,
    evicted: [],
    bootIdBefore: null,
    kernelBefore: null,
    lastSeen: null,
    command: null,
    rebootExpected: false,
    reboot: null,
    agent: null,
    commandFinished: false,
    deadlineMs: null,
    nextCheckAtMs: null,
    pending: null,
    abort: null,
    failure: null,
    notes: [],
    finishedAtMs: null,
  };
}
