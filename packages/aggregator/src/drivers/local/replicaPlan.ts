import type { IntOrPercent } from './manifests.js';

/**
 * What the Deployment/ReplicaSet controllers would do next, as a pure function: how many pods to
 * create and which to delete, given the desired replica count and the live pods.
 *
 * - Terminating pods are not counted (ReplicaSet semantics): a pod being deleted is replaced at once.
 * - Scaling down deletes in ReplicaSet order: unscheduled, then not running, then not ready, then
 *   more restarts, then newest.
 * - A changed pod template rolls out like RollingUpdate: at most replicas + maxSurge pods, and old
 *   pods are deleted only while at least replicas − maxUnavailable pods stay ready.
 */
export interface PlanPod {
  readonly uid: string;
  readonly templateHash: string;
  readonly scheduled: boolean;
  readonly running: boolean;
  readonly ready: boolean;
  readonly restartCount: number;
  /** Creation time, ms. */
  readonly createdMs: number;
  readonly deleted: boolean;
}

export interface ReplicaPlan {
  readonly create: number;
  /** Pods to delete, in deletion order. */
  readonly remove: readonly string[];
}

/** Resolves an int-or-percent against a total; percentages round up (surge) or down (unavailable). */
export function resolveIntOrPercent(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const pct = Number.parseInt(value, 10);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Kubernetes ResolveFenceposts: surge rounds up, unavailable down, and both 0 means unavailable 1. */
export function rolloutBounds(replicas: number, maxSurge: IntOrPercent, maxUnavailable: IntOrPercent): { surge: number; unavailable: number } {
  const surge = resolveIntOrPercent(maxSurge, replicas, true);
  let unavailable = resolveIntOrPercent(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** Compares two pods for deletion: negative = delete `a` first (ReplicaSet ActivePods order, simplified). */
export function deletionOrder(a: PlanPod, b: PlanPod): number {
  if (a.scheduled !== b.scheduled) return a.scheduled ? 1 : -1;
  if (a.running !== b.running) return a.running ? 1 : -1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
  if (a.createdMs !== b.createdMs) return b.createdMs - a.createdMs; // newest first
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}

export function planReplicas(
  replicas: number,
  currentHash: string,
  pods: readonly PlanPod[],
  strategy: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent } = { maxSurge: '25%', maxUnavailable: '25%' },
): ReplicaPlan {
  const active = pods.filter((p) => !p.deleted);
  const current = active.filter((p) => p.templateHash === currentHash).sort(deletionOrder);
  const old = active.filter((p) => p.templateHash !== currentHash).sort(deletionOrder);

  if (old.length === 0) {
    if (current.length < replicas) return { create: replicas - current.length, remove: [] };
    return { create: 0, remove: current.slice(0, current.length - replicas).map((p) => p.uid) };
  }

  // Rolling update in progress.
  const { surge, unavailable } = rolloutBounds(replicas, strategy.maxSurge, strategy.maxUnavailable);
  const remove: string[] = [];
  // Extra pods of the new template (scaled down mid-rollout) go first.
  const keepCurrent = current.slice(Math.max(0, current.length - replicas));
  for (const p of current.slice(0, Math.max(0, current.length - replicas))) remove.push(p.uid);
  let readyLeft = active.filter((p) => p.ready && !remove.includes(p.uid)).length;
  const minReady = Math.max(0, replicas - unavailable);
  for (const p of old) {
    if (!p.ready) remove.push(p.uid); // not serving: never protects availability
    else if (readyLeft - 1 >= minReady) {
      remove.push(p.uid);
      readyLeft--;
    }
  }
  const remaining = active.length - remove.length;
  const create = Math.max(0, Math.min(replicas - keepCurrent.length, replicas + surge - remaining));
  return { create, remove };
}
