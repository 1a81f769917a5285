import type { DriverPod } from '../drivers/types.js';

/**
 * kubectl drain's pod filters (kubectl `pkg/drain/filters.go`), with `--ignore-daemonsets` always
 * on: DaemonSet pods would be recreated on the cordoned node anyway.
 */
export interface DrainOptions {
  /** kubectl --force: evict pods that no controller owns (they are NOT recreated). Default false. */
  readonly force?: boolean;
  /** kubectl --delete-emptydir-data: evict pods with emptyDir volumes (their data is lost). Default false. */
  readonly deleteEmptyDirData?: boolean;
}

export type DrainReason =
  | 'mirror'
  | 'daemonset'
  | 'terminating'
  | 'finished'
  | 'managed'
  | 'unmanaged-forced'
  | 'emptydir-allowed'
  | 'unmanaged-pod'
  | 'emptydir-pod';

/**
 * What drain does with one pod:
 * - `skip`: left alone (mirror / DaemonSet pods);
 * - `wait`: already terminating; drain waits for it to disappear but does not evict it;
 * - `evict`: evicted; `needsPlacement` says whether it will want CPU elsewhere (finished pods don't)
 *   and `budgeted` whether disruption budgets apply (terminal pods are evicted regardless of budgets);
 * - `block`: drain must not proceed (reason is the preflight reason code).
 */
export interface DrainClassification {
  readonly action: 'skip' | 'wait' | 'evict' | 'block';
  readonly reason: DrainReason;
  readonly needsPlacement: boolean;
  readonly budgeted: boolean;
  /** For warnings and block messages. */
  readonly message: string;
}

/** `namespace/name`, the way every message names a pod. */
export function podName(pod: { readonly namespace: string; readonly name: string }): string {
  return `${pod.namespace}/${pod.name}`;
}

/** Classifies one pod bound to the node being drained. Pure. */
export function classifyPodForDrain(pod: DriverPod, options: DrainOptions = {}): DrainClassification {
  const name = podName(pod);
  const ok = (reason: DrainReason, message: string, needsPlacement = true, budgeted = true): DrainClassification => ({
    action: 'evict',
    reason,
    needsPlacement,
    budgeted,
    message,
  });
  if (pod.mirror || pod.owner?.kind === 'Node') {
    return { action: 'skip', reason: 'mirror', needsPlacement: false, budgeted: false, message: `${name} is a static (mirror) pod: left alone` };
  }
  if (pod.owner?.kind === 'DaemonSet') {
    return { action: 'skip', reason: 'daemonset', needsPlacement: false, budgeted: false, message: `${name} belongs to DaemonSet ${pod.owner.name}: left alone` };
  }
  if (pod.deleted) {
    return { action: 'wait', reason: 'terminating', needsPlacement: false, budgeted: false, message: `${name} is already terminating` };
  }
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') {
    // Finished pods hold no CPU and no budget counts them; kubectl deletes them even when unmanaged.
    return ok('finished', `${name} has finished (${pod.phase})`, false, false);
  }
  if (pod.hasEmptyDir && !options.deleteEmptyDirData) {
    return {
      action: 'block',
      reason: 'emptydir-pod',
      needsPlacement: false,
      budgeted: false,
      message: `pod ${name} uses emptyDir storage that eviction would delete (allow with --delete-emptydir-data)`,
    };
  }
  if (!pod.owner) {
    if (!options.force) {
      return {
        action: 'block',
        reason: 'unmanaged-pod',
        needsPlacement: false,
        budgeted: false,
        message: `pod ${name} has no controller: evicted, it would not come back (allow with --force)`,
      };
    }
    return ok('unmanaged-forced', `pod ${name} has no controller and is evicted because of --force: it will not come back`);
  }
  if (pod.hasEmptyDir) return ok('emptydir-allowed', `pod ${name} loses its emptyDir data (--delete-emptydir-data)`);
  return ok('managed', `${name} (${pod.owner.kind} ${pod.owner.name})`);
}
