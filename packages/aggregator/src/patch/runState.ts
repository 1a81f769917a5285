import { hmsError } from '@hms-sys/common';
import { DEFAULT_NODE_PATCH_ESTIMATE_MS } from './durationEstimate.js';
import { DEFAULT_NODE_PATCH_CONFIG, initialNodeState, type NodeObservation, type NodePatchConfig, type NodeState, type PatchAction } from './nodeState.js';
import type { PatchWindow } from './windows.js';

/**
 * Types of the run-level machine (runMachine.ts). A run is one `hms-sys patch schedule`: an
 * ordered list of nodes, patched at most `concurrency` at a time inside the windows.
 *
 * Run statuses:
 * - `scheduled`: created, no node started yet (its first window has not opened);
 * - `running`: nodes are in flight or may start now;
 * - `waiting-window`: started before, nothing in flight, the remaining nodes wait for a window;
 * - `paused`: an operator paused it (no node starts; see nodeMachine for in-flight nodes);
 * - `done`: every node reached a final step (`result` says success or partial);
 * - `halted`: the failure budget was used up; no node starts any more;
 * - `cancelled`: an operator cancelled it.
 * `halted` / `cancelled` are final for starting nodes, but nodes already commanded still run to
 * their end; `settled` turns true once every node is final.
 */
export type RunStatus = 'scheduled' | 'running' | 'paused' | 'waiting-window' | 'done' | 'halted' | 'cancelled';

export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['done', 'halted', 'cancelled'];

export interface RunConfig {
  /** Nodes in flight at once (preflight .. health gate), >= 1. */
  readonly concurrency: number;
  /** The run halts when this many nodes have failed, >= 1. */
  readonly failureBudget: number;
  /** Sorted, merged windows (parseWindows); empty = no restriction. */
  readonly windows: readonly PatchWindow[];
  /** Per-node duration estimates (ms), from estimateNodeDurationMs. */
  readonly estimatesMs: Readonly<Record<string, number>>;
  /** Estimate for a node missing from estimatesMs (ms). */
  readonly defaultEstimateMs: number;
  readonly node: NodePatchConfig;
}

/** Persisted state of a run (plain JSON). Treat as immutable. */
export interface RunState {
  v: 1;
  run: string;
  status: RunStatus;
  statusSinceMs: number;
  createdAtMs: number;
  /** When the first node started (ms); null before. */
  startedAtMs: number | null;
  config: RunConfig;
  /** Node names in rollout order. */
  order: string[];
  nodes: Record<string, NodeState>;
  /** Nodes counted against the failure budget. */
  failed: string[];
  /** Why the run is in its status (halted, cancelled, waiting...). */
  reason: string | null;
  /** waiting-window / scheduled: when the next node may start (ms). */
  nextStartMs: number | null;
  /** paused: the status to go back to. */
  pausedFrom: RunStatus | null;
  /** Every node is final (after done / halted / cancelled). */
  settled: boolean;
  finishedAtMs: number | null;
  result: 'success' | 'partial' | null;
}

/** What the runner feeds the run machine. */
export type RunObservation =
  | { readonly kind: 'tick'; readonly nowMs: number }
  /** Anything about one node (answers to its actions, agent statuses, node updates). */
  | { readonly kind: 'node'; readonly node: string; readonly observation: NodeObservation }
  | { readonly kind: 'pause'; readonly nowMs: number; readonly reason?: string }
  | { readonly kind: 'resume'; readonly nowMs: number }
  | { readonly kind: 'cancel'; readonly nowMs: number; readonly reason?: string }
  /** The state was loaded after an aggregator restart. Feed once, before anything else. */
  | { readonly kind: 'restart'; readonly nowMs: number };

export interface RunStepResult {
  readonly state: RunState;
  readonly actions: readonly PatchAction[];
  /** Set when a pause / resume / cancel does not apply to the run's status (API: 409). */
  readonly rejected?: string;
}

export interface CreateRunInput {
  readonly run: string;
  readonly nowMs: number;
  /** Node names in rollout order (planRollout().order). */
  readonly nodes: readonly string[];
  readonly concurrency?: number;
  readonly failureBudget?: number;
  readonly windows?: readonly PatchWindow[];
  readonly estimatesMs?: Readonly<Record<string, number>>;
  readonly defaultEstimateMs?: number;
  readonly node?: Partial<NodePatchConfig>;
}

/** Validates the input and builds the initial (scheduled) run state. Throws HMS_USAGE. */
export function initialRunState(input: CreateRunInput): RunState {
  const concurrency = input.concurrency ?? 1;
  const failureBudget = input.failureBudget ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw hmsError('HMS_USAGE', `--concurrency must be a whole number >= 1, got ${concurrency}`);
  if (!Number.isInteger(failureBudget) || failureBudget < 1) throw hmsError('HMS_USAGE', `--failure-budget must be a whole number >= 1, got ${failureBudget}`);
  if (input.run === '') throw hmsError('HMS_USAGE', 'a run needs an id');
  const seen = new Set<string>();
  for (const n of input.nodes) {
    if (seen.has(n)) throw hmsError('HMS_USAGE', `node ${n} is listed twice in the run`);
    seen.add(n);
  }
  const node: NodePatchConfig = { ...DEFAULT_NODE_PATCH_CONFIG, ...(input.node ?? {}) };
  return {
    v: 1,
    run: input.run,
    status: 'scheduled',
    statusSinceMs: input.nowMs,
    createdAtMs: input.nowMs,
    startedAtMs: null,
    config: {
      concurrency,
      failureBudget,
      windows: [...(input.windows ?? [])],
      estimatesMs: { ...(input.estimatesMs ?? {}) },
      defaultEstimateMs: input.defaultEstimateMs ?? DEFAULT_NODE_PATCH_ESTIMATE_MS,
      node,
    },
    order: [...input.nodes],
    nodes: Object.fromEntries(input.nodes.map((n) => [n, initialNodeState(input.run, n, input.nowMs)])),
    failed: [],
    reason: null,
    nextStartMs: null,
    pausedFrom: null,
    settled: false,
    finishedAtMs: null,
    result: null,
  };
}
