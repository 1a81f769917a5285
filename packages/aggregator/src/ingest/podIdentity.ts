import type { DriverPod } from '../drivers/types.js';
import type { PodState } from './fleetState.js';

export interface PodIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
}

/**
 * Names a pod the agent found by cgroup: the driver's object when it knows the uid (Kubernetes,
 * local driver), else what the agent said (workload parents: namespace = parent cgroup), else
 * the uid itself.
 */
export function podIdentity(pod: PodState, driverPod: DriverPod | undefined): PodIdentity {
  if (driverPod) return { namespace: driverPod.namespace, name: driverPod.name, node: pod.node };
  return { namespace: pod.namespace || 'unknown', name: pod.name || pod.uid, node: pod.node };
}
