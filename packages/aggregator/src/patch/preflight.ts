import { podCpuRequestMilli, type DisruptionBudget, type DriverNode, type DriverPod } from '../drivers/types.js';
import { classifyPodForDrain, podName, type DrainOptions, type DrainReason } from './drainFilter.js';
import { acceptsNewPods, freeCpuMilli, simulatePlacement, type PlacementDemand, type PlannedPlacement } from './placement.js';

/**
 * Preflight: may this node be cordoned and drained right now? Answered before anything is
 * touched (research note §4 gaps 1-2: no surveyed tool checks capacity or budgets first).
 * Every blocking problem is reported, not only the first, each naming the pod, budget or node.
 */

export type PreflightReasonCode =
  /** The node is not in the cluster view. */
  | 'node-not-found'
  /** A pod without a controller would be lost (kubectl drain without --force). */
  | 'unmanaged-pod'
  /** A pod's emptyDir data would be lost (kubectl drain without --delete-emptydir-data). */
  | 'emptydir-pod'
  /** Pods need a place but no other schedulable, ready, untainted node exists. */
  | 'no-other-node'
  /** The simulation could not place a pod (the message names the pod and the best free CPU). */
  | 'insufficient-capacity'
  /** A budget covering pods on this node allows no disruption right now. */
  | 'pdb-blocks'
  /** A budget can never allow a voluntary disruption (maxUnavailable 0, minAvailable = all pods). */
  | 'pdb-never-allows'
  /** A pod is selected by more than one budget: the eviction API answers 500 for it. */
  | 'pdb-multiple';

export interface PreflightReason {
  readonly code: PreflightReasonCode;
  readonly message: string;
  /** `namespace/name` of the pod concerned, if any. */
  readonly pod?: string;
  /** `namespace/name` of the budget concerned, if any. */
  readonly budget?: string;
  readonly node?: string;
}

/** A pod as the drain will address it: identity (uid + node) is re-checked before every eviction. */
export interface PodRef {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  /** Sum of container CPU requests (millicores); null when a container has none. */
  readonly cpuRequestMilli: number | null;
  /** Controller, `Kind/name`, for the health gate (its workload must be ready again). */
  readonly owner: string | null;
}

export interface BudgetCheck {
  /** `namespace/name`. */
  readonly budget: string;
  readonly disruptionsAllowed: number;
  /** Pods of this node the budget covers (evictions it must allow). */
  readonly evicting: number;
  /** maxUnavailable 0 / minAvailable covering every pod: never allows an eviction. */
  readonly neverAllows: boolean;
  readonly ok: boolean;
}

export interface PreflightOptions extends DrainOptions {
  /**
   * Count pods waiting for a node (Pending, unbound) as demand that competes for the same free
   * CPU. Default true: right after another node's drain their replacements are exactly these.
   */
  readonly countPendingPods?: boolean;
}

export interface PreflightInput {
  readonly nodes: readonly DriverNode[];
  readonly pods: readonly DriverPod[];
  readonly budgets: readonly DisruptionBudget[];
  /** The node to patch. */
  readonly node: string;
  /**
   * Nodes already taken by this run (cordoned, draining, rebooting...): never a target, and the
   * pods still on them are demand that must be placed first (committed capacity).
   */
  readonly unavailableNodes?: readonly string[];
  readonly options?: PreflightOptions;
}

interface PreflightBody {
  readonly node: string;
  /** Facts about the node at preflight time; the node machine records them before cordoning. */
  readonly nodeInfo: {
    readonly unschedulable: boolean;
    readonly ready: boolean;
    readonly bootId: string | null;
    readonly kernelVersion: string | null;
  } | null;
  /** Pods the drain will evict, in eviction order (biggest CPU request first). */
  readonly evictions: readonly PodRef[];
  /** Where the simulation put each evicted pod (and the committed pods of other unavailable nodes). */
  readonly placements: readonly PlannedPlacement[];
  /** Pods the drain leaves alone (DaemonSet, mirror) or only waits for (terminating). */
  readonly skipped: readonly { readonly pod: string; readonly reason: DrainReason }[];
  readonly warnings: readonly string[];
  readonly capacity: {
    /** CPU the evicted pods request (millicores). */
    readonly neededMilli: number;
    /** CPU requested by pods of other unavailable nodes and unbound pending pods (millicores). */
    readonly committedMilli: number;
    /** Σ free CPU of the candidate nodes before the simulation (millicores). */
    readonly freeMilli: number;
    /** Candidate nodes (schedulable, ready, untainted, not unavailable). */
    readonly candidates: readonly string[];
  };
  readonly budgets: readonly BudgetCheck[];
}

export type PreflightResult =
  | (PreflightBody & { readonly ok: true; readonly reasons: readonly [] })
  | (PreflightBody & { readonly ok: false; readonly reasons: readonly PreflightReason[] });

function toRef(pod: DriverPod, node: string): PodRef {
  return {
    uid: pod.uid,
    namespace: pod.namespace,
    name: pod.name,
    node,
    cpuRequestMilli: podCpuRequestMilli(pod) ?? null,
    owner: pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : null,
  };
}

/** Required available pods of a budget as a count, given how many pods it covers. */
function neverAllows(b: DisruptionBudget): boolean {
  const expected = b.podUids.length;
  const scaled = (v: number | string): number => {
    if (typeof v === 'number') return v;
    const m = /^(\d+(?:\.\d+)?)%$/.exec(v.trim());
    // Kubernetes rounds percentages up for both fields.
    return m ? Math.ceil((Number(m[1]) / 100) * expected) : Number(v);
  };
  if (b.maxUnavailable !== undefined && scaled(b.maxUnavailable) === 0) return true;
  if (b.minAvailable !== undefined && expected > 0 && scaled(b.minAvailable) >= expected) return true;
  return false;
}

/**
 * Runs the preflight for one node. Pure. The evictable pods of the node are placed, together with
 * the committed demand, on the candidate nodes with the seed's rule (most free CPU first), biggest
 * first; budgets must allow evicting all of their pods on this node at once.
 */
export function preflight(input: PreflightInput): PreflightResult {
  const options = input.options ?? {};
  const unavailable = new Set(input.unavailableNodes ?? []);
  const target = input.nodes.find((n) => n.name === input.node);
  const reasons: PreflightReason[] = [];
  const warnings: string[] = [];
  if (!target) {
    return {
      ok: false,
      node: input.node,
      nodeInfo: null,
      reasons: [{ code: 'node-not-found', message: `node ${input.node} is not in the cluster`, node: input.node }],
      evictions: [],
      placements: [],
      skipped: [],
      warnings,
      capacity: { neededMilli: 0, committedMilli: 0, freeMilli: 0, candidates: [] },
      budgets: [],
    };
  }
  if (!target.ready) warnings.push(`node ${target.name} is NotReady: its pods may already be unavailable`);

  // 1. Drain filters over the node's pods.
  const evictions: PodRef[] = [];
  const skipped: { pod: string; reason: DrainReason }[] = [];
  const demands: PlacementDemand[] = [];
  const budgeted: DriverPod[] = [];
  for (const pod of input.pods) {
    if (pod.node !== target.name) continue;
    const c = classifyPodForDrain(pod, options);
    if (c.action === 'block') {
      reasons.push({ code: c.reason as PreflightReasonCode, message: c.message, pod: podName(pod), node: target.name });
      continue;
    }
    if (c.action === 'skip' || c.action === 'wait') {
      skipped.push({ pod: podName(pod), reason: c.reason });
      continue;
    }
    if (c.reason === 'unmanaged-forced' || c.reason === 'emptydir-allowed') warnings.push(c.message);
    evictions.push(toRef(pod, target.name));
    if (c.budgeted) budgeted.push(pod);
    if (c.needsPlacement) {
      const cpu = podCpuRequestMilli(pod);
      if (cpu === undefined) warnings.push(`pod ${podName(pod)} requests no CPU: the simulation places it as 0m`);
      demands.push({ key: pod.uid, cpuMilli: cpu ?? 0, label: podName(pod) });
    }
  }
  evictions.sort((a, b) => (b.cpuRequestMilli ?? 0) - (a.cpuRequestMilli ?? 0) || podName(a).localeCompare(podName(b)));

  // 2. Committed demand: pods still on other unavailable nodes of this run, and unbound pending pods.
  const committed: PlacementDemand[] = [];
  for (const pod of input.pods) {
    const onUnavailable = pod.node !== undefined && pod.node !== target.name && unavailable.has(pod.node);
    const pendingUnbound = pod.node === undefined && pod.phase === 'Pending' && !pod.deleted && (options.countPendingPods ?? true);
    if (!onUnavailable && !pendingUnbound) continue;
    if (onUnavailable) {
      const c = classifyPodForDrain(pod, { force: true, deleteEmptyDirData: true });
      if (c.action !== 'evict' || !c.needsPlacement) continue;
    }
    committed.push({ key: pod.uid, cpuMilli: podCpuRequestMilli(pod) ?? 0, label: `${podName(pod)} (${pod.node ? `still on ${pod.node}` : 'pending'})` });
  }

  // 3. Capacity simulation on the candidate nodes.
  const candidates = input.nodes.filter((n) => n.name !== target.name && !unavailable.has(n.name) && acceptsNewPods(n));
  const capacities = candidates.map((n) => ({ name: n.name, freeMilli: freeCpuMilli(n, input.pods) }));
  const all = [...committed, ...demands];
  const sim = simulatePlacement(all, capacities);
  if (all.length > 0 && candidates.length === 0) {
    const others = input.nodes.filter((n) => n.name !== target.name);
    const why = others.length === 0 ? 'it is the only node' : `every other node is cordoned, NotReady, tainted or already being patched (${others.map((n) => n.name).join(', ')})`;
    reasons.push({ code: 'no-other-node', message: `${demands.length} pod(s) of ${target.name} need another node, but ${why}`, node: target.name });
  } else {
    for (const d of sim.unplaced) {
      const own = demands.includes(d);
      reasons.push({
        code: 'insufficient-capacity',
        message:
          `${own ? 'pod ' : 'committed pod '}${d.label} needs ${d.cpuMilli}m CPU; the most free on any other schedulable node ` +
          `after placing the larger pods is ${d.bestFreeMilli}m (candidates: ${candidates.map((n) => n.name).join(', ')})`,
        pod: d.label.split(' ')[0] as string,
        node: target.name,
      });
    }
  }

  // 4. Disruption budgets.
  const budgetsOfPod = new Map<string, DisruptionBudget[]>();
  for (const b of input.budgets) for (const uid of b.podUids) budgetsOfPod.set(uid, [...(budgetsOfPod.get(uid) ?? []), b]);
  const checks: BudgetCheck[] = [];
  for (const b of input.budgets) {
    const covered = budgeted.filter((p) => b.podUids.includes(p.uid));
    if (covered.length === 0) continue;
    const never = neverAllows(b);
    const name = `${b.namespace}/${b.name}`;
    // One eviction must be possible now. Further pods of the same budget are evicted as their
    // replacements become ready (the drain retries 429s like kubectl, bounded by --drain-timeout):
    // demanding room for all of them at once would block the most common HA layout.
    const ok = !never && b.disruptionsAllowed >= 1;
    checks.push({ budget: name, disruptionsAllowed: b.disruptionsAllowed, evicting: covered.length, neverAllows: never, ok });
    const pods = covered.map(podName).join(', ');
    if (never) {
      const rule = b.maxUnavailable !== undefined ? `maxUnavailable ${b.maxUnavailable}` : `minAvailable ${b.minAvailable} of ${b.podUids.length} pods`;
      reasons.push({ code: 'pdb-never-allows', message: `disruption budget ${name} (${rule}) never allows an eviction; it covers ${pods}`, budget: name, node: target.name });
    } else if (!ok) {
      reasons.push({
        code: 'pdb-blocks',
        message: `disruption budget ${name} allows no disruption now (${covered.length} of its pods are on ${target.name}: ${pods})`,
        budget: name,
        node: target.name,
      });
    }
  }
  for (const p of budgeted) {
    const bs = budgetsOfPod.get(p.uid) ?? [];
    if (bs.length > 1) {
      reasons.push({
        code: 'pdb-multiple',
        message: `pod ${podName(p)} is selected by ${bs.length} disruption budgets (${bs.map((b) => `${b.namespace}/${b.name}`).join(', ')}): eviction is refused`,
        pod: podName(p),
        node: target.name,
      });
    }
  }

  const body: PreflightBody = {
    node: target.name,
    nodeInfo: { unschedulable: target.unschedulable, ready: target.ready, bootId: target.bootId ?? null, kernelVersion: target.kernelVersion ?? null },
    evictions,
    placements: sim.placements,
    skipped,
    warnings,
    capacity: {
      neededMilli: demands.reduce((s, d) => s + d.cpuMilli, 0),
      committedMilli: committed.reduce((s, d) => s + d.cpuMilli, 0),
      freeMilli: capacities.reduce((s, c) => s + Math.max(0, c.freeMilli), 0),
      candidates: candidates.map((n) => n.name),
    },
    budgets: checks,
  };
  return reasons.length === 0 ? { ...body, ok: true, reasons: [] } : { ...body, ok: false, reasons };
}
