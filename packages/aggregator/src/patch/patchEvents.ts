import type { NodeFailure, NodeStep } from './nodeState.js';
import type { PreflightReason } from './preflight.js';
import type { RunStatus } from './runState.js';

/**
 * Feed events the patch machines emit (SPEC §8), as `{kind:'emit', event}` actions. The runner
 * appends them to the EventLog, which adds `seq` and `time`. Field names are part of the feed
 * contract: consumers (HMS-OPS, the invariant checker) read them.
 */

/**
 * What happened to the node's cordon at this step:
 * - `applied`: we cordoned it (we will uncordon it, or say why not with `left`);
 * - `preexisting`: it was already cordoned before the run touched it (we will never uncordon it);
 * - `released`: we uncordoned it;
 * - `kept`: the run is finished with the node and leaves its pre-existing cordon in place;
 * - `left`: the run is finished with the node and leaves OUR cordon in place; `reason` says why.
 */
export type CordonMark = 'applied' | 'preexisting' | 'released' | 'kept' | 'left';

/** One step of one node. `from === to` marks a notable event within a step (e.g. same boot id after reconnect). */
export interface PatchStepEvent {
  readonly type: 'patch.step';
  readonly run: string;
  readonly node: string;
  readonly from: NodeStep;
  readonly to: NodeStep;
  readonly reason: string;
  readonly cordon?: CordonMark;
  readonly failure?: NodeFailure;
  readonly dryRun?: boolean;
}

/** A run state change. The first one (from null) carries the run's limits. */
export interface PatchRunEvent {
  readonly type: 'patch.run';
  readonly run: string;
  readonly from: RunStatus | null;
  readonly to: RunStatus;
  readonly reason: string;
  readonly concurrency?: number;
  readonly failureBudget?: number;
  readonly nodes?: readonly string[];
  /** Set once, when every node has reached a final step after the run ended. */
  readonly settled?: boolean;
  readonly result?: 'success' | 'partial';
  readonly counts?: Readonly<Record<string, number>>;
}

/** The drain cannot proceed: at preflight (`reasons`) or an eviction answered 429 (`pod`, `budgets`). */
export interface DrainBlockedEvent {
  readonly type: 'drain.blocked';
  readonly run: string;
  readonly node: string;
  readonly stage: 'preflight' | 'eviction';
  readonly message: string;
  readonly reasons?: readonly PreflightReason[];
  readonly pod?: string;
  readonly uid?: string;
  readonly budgets?: readonly string[];
  readonly attempt?: number;
}

export interface CommandSentEvent {
  readonly type: 'command.sent';
  readonly run: string;
  readonly node: string;
  readonly commandId: string;
  /** true: the same command sent again to re-attach (the agent re-reports, never re-runs). */
  readonly reattach: boolean;
  readonly dryRun: boolean;
  readonly bootIdBefore: string | null;
}

export interface CommandFinishedEvent {
  readonly type: 'command.finished';
  readonly run: string;
  readonly node: string;
  readonly commandId: string;
  readonly state: 'done' | 'failed';
  readonly exitCode: number;
  readonly rebooted: boolean;
  readonly rebootRequired: boolean;
  readonly kernelVersion: string | null;
  readonly dryRun: boolean;
  readonly message: string;
}

export interface CommandRefusedEvent {
  readonly type: 'command.refused';
  readonly run: string;
  readonly node: string;
  readonly commandId: string;
  readonly reason: string;
  readonly message: string;
}

/** Emitted once per node and run, only when a boot id different from the one before the command is seen. */
export interface NodeRebootedEvent {
  readonly type: 'node.rebooted';
  readonly run: string;
  readonly node: string;
  readonly bootIdBefore: string;
  readonly bootId: string;
  readonly kernelVersion: string | null;
  readonly simulated: boolean;
}

export type PatchEvent =
  | PatchStepEvent
  | PatchRunEvent
  | DrainBlockedEvent
  | CommandSentEvent
  | CommandFinishedEvent
  | CommandRefusedEvent
  | NodeRebootedEvent;
