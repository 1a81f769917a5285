import type { DisruptionBudget, DriverNode, DriverPod } from '../drivers/types.js';
import { DEFAULT_NODE_PATCH_ESTIMATE_MS, estimateNodeDurationMs, type DurationEstimate } from './durationEstimate.js';
import { matchesSelector, parseSelector, type LabelSelector } from './labelSelector.js';
import { acceptsNewPods, freeCpuMilli } from './placement.js';
import { preflight, type PreflightOptions, type PreflightResult } from './preflight.js';
import { canStartNode, type PatchWindow } from './windows.js';

/**
 * `hms-sys patch plan`: what a rolling run would do, changing nothing.
 *
 * Order (documented choice):
 * 1. nodes that are already cordoned first: draining them takes no schedulable capacity away;
 * 2. then by the CPU their evictable pods request, smallest first: the first nodes are the cheap
 *    ones, so a bad kernel shows up on a node whose failure costs little (a canary), and early
 *    progress frees the most time for the heavy nodes;
 * 3. then fewer evictable pods first, then name (a stable answer).
 * Each node's preflight is run against the cluster as it is now, as if it were the next node; the
 * run re-runs it against the live cluster just before each node starts.
 */

export interface PlanRolloutInput {
  readonly nodes: readonly DriverNode[];
  readonly pods: readonly DriverPod[];
  readonly budgets: readonly DisruptionBudget[];
  /** `k=v[,k2=v2]` or a parsed selector; absent/empty = every node. */
  readonly selector?: string | LabelSelector;
  /** Merged windows (parseWindows); empty = no window restriction. */
  readonly windows?: readonly PatchWindow[];
  /** ms since the epoch; the schedule starts here. */
  readonly nowMs: number;
  /** Nodes patched at once (>= 1). */
  readonly concurrency: number;
  /** Past successful patch durations (ms, oldest first) per node name. */
  readonly nodeDurationsMs?: Readonly<Record<string, readonly number[]>>;
  /** Past successful patch durations (ms, oldest first) across the fleet. */
  readonly fleetDurationsMs?: readonly number[];
  /** Estimate without history (default DEFAULT_NODE_PATCH_ESTIMATE_MS). */
  readonly defaultEstimateMs?: number;
  readonly options?: PreflightOptions;
}

export interface PlannedNode {
  readonly node: string;
  /** 1-based position in the order. */
  readonly position: number;
  readonly alreadyCordoned: boolean;
  /** Σ CPU requests of the pods the drain would evict (millicores). */
  readonly evictableCpuMilli: number;
  readonly evictablePods: number;
  readonly preflight: PreflightResult;
  readonly estimate: DurationEstimate;
  /** Expected start/end (ms since the epoch) when the node fits a window; null otherwise. */
  readonly expected: { readonly startMs: number; readonly endMs: number } | null;
  /** Why the node has no expected slot (blocked, or no window long enough). */
  readonly note: string | null;
}

export interface BudgetHeadroom {
  /** `namespace/name`. */
  readonly budget: string;
  readonly disruptionsAllowed: number;
  /** Largest number of its pods on any one selected node (what one drain must be allowed). */
  readonly maxPodsOnOneNode: number;
  readonly ok: boolean;
}

export interface RolloutPlan {
  readonly nodes: readonly PlannedNode[];
  /** Node names in order (same as nodes.map(n => n.node)). */
  readonly order: readonly string[];
  /** Nodes the selector left out. */
  readonly unselected: number;
  readonly budgets: readonly BudgetHeadroom[];
  readonly totals: {
    readonly nodes: number;
    readonly blocked: number;
    /** Σ of the estimates (ms): the work, ignoring concurrency. */
    readonly estimateSumMs: number;
    /** Expected end of the last node that fits (ms since the epoch); null when none does. */
    readonly finishMs: number | null;
    /** finishMs - nowMs (ms); null when nothing fits. */
    readonly makespanMs: number | null;
    /** Nodes with an expected slot inside the windows. */
    readonly scheduled: number;
    /** True when every unblocked node fits in the windows. */
    readonly fitsWindows: boolean;
    /** Σ of window time from nowMs on (ms); null when there are no windows (unbounded). */
    readonly windowTimeLeftMs: number | null;
    /** CPU of schedulable, ready nodes: allocatable and free (millicores). */
    readonly schedulableAllocatableMilli: number;
    readonly schedulableFreeMilli: number;
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Builds the plan. Pure; throws HMS_USAGE only for a bad selector string. */
export function planRollout(input: PlanRolloutInput): RolloutPlan {
  const selector = typeof input.selector === 'string' ? parseSelector(input.selector) : input.selector ?? [];
  const windows = input.windows ?? [];
  const selected = input.nodes.filter((n) => matchesSelector(n.labels, selector));

  const rows = selected.map((n) => {
    const pf = preflight({ nodes: input.nodes, pods: input.pods, budgets: input.budgets, node: n.name, options: input.options });
    const evictableCpuMilli = pf.evictions.reduce((s, p) => s + (p.cpuRequestMilli ?? 0), 0);
    const estimate = estimateNodeDurationMs(
      { nodeDurationsMs: input.nodeDurationsMs?.[n.name], fleetDurationsMs: input.fleetDurationsMs },
      input.defaultEstimateMs ?? DEFAULT_NODE_PATCH_ESTIMATE_MS,
    );
    return { n, pf, evictableCpuMilli, estimate };
  });
  rows.sort(
    (a, b) =>
      Number(b.n.unschedulable) - Number(a.n.unschedulable) ||
      a.evictableCpuMilli - b.evictableCpuMilli ||
      a.pf.evictions.length - b.pf.evictions.length ||
      cmp(a.n.name, b.n.name),
  );

  // List scheduling over `concurrency` slots, in order, each start gated by canStartNode.
  const slots: number[] = Array.from({ length: Math.max(1, Math.floor(input.concurrency)) }, () => input.nowMs);
  const planned: PlannedNode[] = rows.map((r, i) => {
    const base = {
      node: r.n.name,
      position: i + 1,
      alreadyCordoned: r.n.unschedulable,
      evictableCpuMilli: r.evictableCpuMilli,
      evictablePods: r.pf.evictions.length,
      preflight: r.pf,
      estimate: r.estimate,
    };
    if (!r.pf.ok) return { ...base, expected: null, note: `blocked: ${r.pf.reasons.map((x) => x.message).join('; ')}` };
    const slot = slots.indexOf(Math.min(...slots));
    let t = slots[slot] as number;
    for (;;) {
      const d = canStartNode(windows, t, r.estimate.estimateMs);
      if (d.kind === 'start') {
        slots[slot] = t + r.estimate.estimateMs;
        return { ...base, expected: { startMs: t, endMs: t + r.estimate.estimateMs }, note: null };
      }
      if (d.kind === 'none') return { ...base, expected: null, note: d.reason };
      t = d.untilMs;
    }
  });

  const budgets: BudgetHeadroom[] = [];
  for (const b of input.budgets) {
    let maxOnOne = 0;
    for (const n of selected) {
      const count = input.pods.filter((p) => p.node === n.name && b.podUids.includes(p.uid)).length;
      maxOnOne = Math.max(maxOnOne, count);
    }
    if (maxOnOne === 0) continue;
    const check = rows.flatMap((r) => r.pf.budgets).find((c) => c.budget === `${b.namespace}/${b.name}` && c.neverAllows);
    budgets.push({
      budget: `${b.namespace}/${b.name}`,
      disruptionsAllowed: b.disruptionsAllowed,
      maxPodsOnOneNode: maxOnOne,
      // Same rule as preflight: one eviction now; the rest follow as replacements become ready.
      ok: !check && b.disruptionsAllowed >= 1,
    });
  }

  const ends = planned.flatMap((p) => (p.expected ? [p.expected.endMs] : []));
  const finishMs = ends.length > 0 ? Math.max(...ends) : null;
  const blocked = planned.filter((p) => !p.preflight.ok).length;
  const scheduled = planned.filter((p) => p.expected !== null).length;
  const schedulable = input.nodes.filter(acceptsNewPods);
  return {
    nodes: planned,
    order: planned.map((p) => p.node),
    unselected: input.nodes.length - selected.length,
    budgets,
    totals: {
      nodes: planned.length,
      blocked,
      estimateSumMs: planned.reduce((s, p) => s + p.estimate.estimateMs, 0),
      finishMs,
      makespanMs: finishMs === null ? null : finishMs - input.nowMs,
      scheduled,
      fitsWindows: scheduled === planned.length - blocked,
      windowTimeLeftMs:
        windows.length === 0 ? null : windows.reduce((s, w) => s + Math.max(0, w.endMs - Math.max(w.startMs, input.nowMs)), 0),
      schedulableAllocatableMilli: schedulable.reduce((s, n) => s + n.allocatableCpuMilli, 0),
      schedulableFreeMilli: schedulable.reduce((s, n) => s + Math.max(0, freeCpuMilli(n, input.pods)), 0),
    },
  };
}
