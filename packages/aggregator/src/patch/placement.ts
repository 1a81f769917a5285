import { podCpuRequestMilli, type DriverNode, type DriverPod } from '../drivers/types.js';

/**
 * The seed's scheduler (chapter 18 §6.1) as a capacity simulation: each pod goes to the node
 * with the most free CPU that still fits it. CPU in millicores throughout.
 */

/** A node's CPU headroom: allocatable minus the requests of the pods on it. */
export interface NodeCapacity {
  readonly name: string;
  readonly freeMilli: number;
}

/** One pod that needs a place, and the CPU it requests (0 when it requests none, as the scheduler counts it). */
export interface PlacementDemand {
  /** Stable id (the pod uid). */
  readonly key: string;
  readonly cpuMilli: number;
  /** For messages: `namespace/name`. */
  readonly label: string;
}

export interface PlannedPlacement {
  readonly key: string;
  readonly label: string;
  readonly node: string;
  readonly cpuMilli: number;
}

export interface PlacementResult {
  readonly placements: readonly PlannedPlacement[];
  /** Demands no node could take, with the most free CPU any node had when it was their turn (millicores). */
  readonly unplaced: readonly (PlacementDemand & { readonly bestFreeMilli: number })[];
  /** Free CPU per candidate node after the simulated placements. */
  readonly freeAfter: Readonly<Record<string, number>>;
}

/** Taint effects that keep pods we know nothing about off a node (we have no tolerations to check). */
const REPELLING = /:(NoSchedule|NoExecute)$/;
/** The cordon taint mirrors spec.unschedulable, which is checked on its own. */
const CORDON_TAINT = 'node.kubernetes.io/unschedulable';

/** True when a pod without tolerations may be scheduled on the node (taints are `key=value:Effect`). */
export function acceptsNewPods(node: DriverNode): boolean {
  if (node.unschedulable || !node.ready) return false;
  return !(node.taints ?? []).some((t) => REPELLING.test(t) && !t.startsWith(CORDON_TAINT));
}

/** A pod holds CPU on its node until it has finished (terminating pods still hold it). */
export function holdsCpu(pod: DriverPod): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/** allocatable − Σ requests of the pods bound to the node that still hold CPU, in millicores (negative when overcommitted). */
export function freeCpuMilli(node: DriverNode, pods: readonly DriverPod[]): number {
  let used = 0;
  for (const p of pods) if (p.node === node.name && holdsCpu(p)) used += podCpuRequestMilli(p) ?? 0;
  return node.allocatableCpuMilli - used;
}

/**
 * The seed's pick_node: among nodes sorted by free CPU, most first (ties by name, for a
 * deterministic answer), the first whose free CPU is at least cpuNeededMilli.
 */
export function pickNode(nodes: readonly NodeCapacity[], cpuNeededMilli: number): NodeCapacity | undefined {
  const sorted = [...nodes].sort((a, b) => b.freeMilli - a.freeMilli || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sorted.find((n) => n.freeMilli >= cpuNeededMilli);
}

/**
 * Places every demand with pickNode, biggest request first (the usual first-fit-decreasing
 * choice: large pods are the hard ones, and placing them while the most room is left avoids
 * stranding them behind small ones); ties by label. Each placement lowers the free CPU of its
 * node for the pods after it. Pure: the inputs are not mutated.
 */
export function simulatePlacement(demands: readonly PlacementDemand[], nodes: readonly NodeCapacity[]): PlacementResult {
  const free = new Map(nodes.map((n) => [n.name, n.freeMilli]));
  const order = [...demands].sort((a, b) => b.cpuMilli - a.cpuMilli || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const placements: PlannedPlacement[] = [];
  const unplaced: (PlacementDemand & { bestFreeMilli: number })[] = [];
  for (const d of order) {
    const target = pickNode([...free].map(([name, freeMilli]) => ({ name, freeMilli })), d.cpuMilli);
    if (!target) {
      unplaced.push({ ...d, bestFreeMilli: Math.max(0, ...free.values()) });
      continue;
    }
    free.set(target.name, target.freeMilli - d.cpuMilli);
    placements.push({ key: d.key, label: d.label, node: target.name, cpuMilli: d.cpuMilli });
  }
  return { placements, unplaced, freeAfter: Object.fromEntries(free) };
}
