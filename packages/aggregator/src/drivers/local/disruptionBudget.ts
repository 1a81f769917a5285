import type { IntOrPercent } from './manifests.js';
import { resolveIntOrPercent } from './replicaPlan.js';

/**
 * PodDisruptionBudget arithmetic of the Kubernetes disruption controller and the eviction API,
 * as pure functions. "Healthy" = Ready and not being deleted.
 *
 *  - minAvailable N (int): desiredHealthy = N; expected = number of selected pods.
 *  - minAvailable P%: expected = Σ spec.replicas of the controllers owning the selected pods;
 *    desiredHealthy = ceil(P% × expected).
 *  - maxUnavailable N or P%: expected as above; desiredHealthy = expected − N (or − ceil(P% × expected)).
 *  - disruptionsAllowed = max(0, currentHealthy − desiredHealthy).
 */
export interface BudgetSpec {
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
}

export interface BudgetPod {
  readonly uid: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ready: boolean;
  readonly deleted: boolean;
  /** Pending pods and finished pods may always be evicted. */
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  /** Key of the owning controller (e.g. `Deployment/default/web`), for the expected count. */
  readonly ownerKey?: string;
}

export interface BudgetStatus {
  readonly namespace: string;
  readonly name: string;
  readonly podUids: readonly string[];
  readonly expectedPods: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly disruptionsAllowed: number;
}

export function selectorMatches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function budgetSelects(budget: BudgetSpec, pod: BudgetPod): boolean {
  return pod.namespace === budget.namespace && selectorMatches(budget.selector, pod.labels);
}

/** Status of one budget over all pods; `replicasOf(ownerKey)` gives a controller's spec.replicas. */
export function budgetStatus(budget: BudgetSpec, pods: readonly BudgetPod[], replicasOf: (ownerKey: string) => number | undefined): BudgetStatus {
  const selected = pods.filter((p) => budgetSelects(budget, p));
  const currentHealthy = selected.filter((p) => p.ready && !p.deleted).length;
  let expectedPods: number;
  let desiredHealthy: number;
  if (budget.minAvailable !== undefined && typeof budget.minAvailable === 'number') {
    expectedPods = selected.length;
    desiredHealthy = budget.minAvailable;
  } else {
    const owners = new Set<string>();
    let unowned = 0;
    for (const p of selected) {
      if (p.ownerKey !== undefined) owners.add(p.ownerKey);
      else unowned++;
    }
    expectedPods = unowned;
    for (const o of owners) expectedPods += replicasOf(o) ?? 0;
    if (budget.minAvailable !== undefined) desiredHealthy = resolveIntOrPercent(budget.minAvailable, expectedPods, true);
    else desiredHealthy = Math.max(0, expectedPods - resolveIntOrPercent(budget.maxUnavailable ?? 0, expectedPods, true));
  }
  return {
    namespace: budget.namespace,
    name: budget.name,
    podUids: selected.map((p) => p.uid),
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

export type EvictionCheck =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'blocked'; readonly budgets: readonly string[]; readonly message: string }
  | { readonly kind: 'error'; readonly message: string };

/**
 * Would evicting `pod` respect the budgets? Mirrors the eviction API: several budgets selecting the
 * pod is an error; a pod that is Pending, finished or already terminating can always go; an
 * unhealthy pod may go while the budget is satisfied (unhealthyPodEvictionPolicy IfHealthyBudget);
 * a healthy pod needs disruptionsAllowed > 0.
 */
export function checkEviction(pod: BudgetPod, budgets: readonly BudgetSpec[], statuses: readonly BudgetStatus[]): EvictionCheck {
  const matching = budgets.filter((b) => budgetSelects(b, pod));
  if (matching.length > 1) {
    return { kind: 'error', message: `This pod has more than one PodDisruptionBudget, which the eviction subresource does not support (${matching.map((b) => b.name).join(', ')}).` };
  }
  const budget = matching[0];
  if (!budget) return { kind: 'allowed' };
  if (pod.deleted || pod.phase === 'Pending' || pod.phase === 'Succeeded' || pod.phase === 'Failed') return { kind: 'allowed' };
  const status = statuses.find((s) => s.namespace === budget.namespace && s.name === budget.name);
  if (!status) return { kind: 'allowed' };
  const healthy = pod.ready && !pod.deleted;
  if (!healthy && status.currentHealthy >= status.desiredHealthy) return { kind: 'allowed' };
  if (healthy && status.disruptionsAllowed > 0) return { kind: 'allowed' };
  return {
    kind: 'blocked',
    budgets: [budget.name],
    message: `Cannot evict pod as it would violate the pod's disruption budget. The disruption budget ${budget.name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`,
  };
}
