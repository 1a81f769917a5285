/**
 * Pod placement (seed §6.1 `pick_node`), pure: the schedulable node (not cordoned, ready) with
 * the MOST free CPU that still fits the request, where free = allocatable − Σ requests of the pods
 * bound to it (terminating pods count until they are gone, as in kube-scheduler). Ties go to the
 * node whose name sorts first, so placement is deterministic. CPU in millicores.
 */

export interface SchedulingNode {
  readonly name: string;
  readonly allocatableCpuMilli: number;
  readonly unschedulable: boolean;
  readonly ready: boolean;
}

export interface BoundPod {
  readonly node: string;
  /** Sum of the pod's container requests (0 when none). */
  readonly cpuRequestMilli: number;
}

export type Placement =
  | { readonly kind: 'placed'; readonly node: string; readonly freeCpuMilli: number }
  | {
      readonly kind: 'unschedulable';
      /** `Insufficient cpu` when some usable node lacked room, else `No schedulable nodes`. */
      readonly reason: 'Insufficient cpu' | 'No schedulable nodes';
      /** kube-scheduler style: `0/3 nodes are available: 2 Insufficient cpu, 1 node(s) were unschedulable.` */
      readonly message: string;
    };

/** Free CPU (allocatable − requests) per node name, in millicores; may be negative. */
export function freeCpuByNode(nodes: readonly SchedulingNode[], pods: readonly BoundPod[]): Map<string, number> {
  const free = new Map<string, number>(nodes.map((n) => [n.name, n.allocatableCpuMilli]));
  for (const p of pods) {
    const f = free.get(p.node);
    if (f !== undefined) free.set(p.node, f - p.cpuRequestMilli);
  }
  return free;
}

/** Picks the node for a pod requesting `requestMilli` millicores. */
export function pickNode(nodes: readonly SchedulingNode[], pods: readonly BoundPod[], requestMilli: number): Placement {
  const free = freeCpuByNode(nodes, pods);
  let unschedulable = 0;
  let notReady = 0;
  let insufficient = 0;
  const fits: { node: string; free: number }[] = [];
  for (const n of nodes) {
    if (n.unschedulable) unschedulable++;
    else if (!n.ready) notReady++;
    else {
      const f = free.get(n.name) ?? 0;
      if (f >= requestMilli) fits.push({ node: n.name, free: f });
      else insufficient++;
    }
  }
  fits.sort((a, b) => b.free - a.free || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const best = fits[0];
  if (best) return { kind: 'placed', node: best.node, freeCpuMilli: best.free };
  const parts: string[] = [];
  if (insufficient) parts.push(`${insufficient} Insufficient cpu`);
  if (unschedulable) parts.push(`${unschedulable} node(s) were unschedulable`);
  if (notReady) parts.push(`${notReady} node(s) were not ready`);
  const message = `0/${nodes.length} nodes are available${parts.length ? `: ${parts.join(', ')}` : ''}.`;
  return { kind: 'unschedulable', reason: insufficient > 0 ? 'Insufficient cpu' : 'No schedulable nodes', message };
}
