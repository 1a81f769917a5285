import type { V1Deployment, V1PodDisruptionBudget, V1LabelSelector, V1ReplicaSet } from '@kubernetes/client-node';
import type { DriverDeployment, PodOwner } from '../types.js';

/** Converts an API Deployment. Pure. */
export function deploymentFromKube(obj: V1Deployment): DriverDeployment {
  return {
    namespace: obj.metadata?.namespace ?? 'default',
    name: obj.metadata?.name ?? '',
    // spec.replicas defaults to 1 in the API; a missing value only shows up in hand-built objects.
    replicas: obj.spec?.replicas ?? 1,
    readyReplicas: obj.status?.readyReplicas ?? 0,
    labels: { ...(obj.metadata?.labels ?? {}) },
  };
}

/** What the cache keeps of a ReplicaSet: only its controller, to resolve Pod -> ReplicaSet -> Deployment. */
export interface KubeReplicaSet {
  readonly namespace: string;
  readonly name: string;
  readonly owner?: PodOwner;
}

export function replicaSetFromKube(obj: V1ReplicaSet): KubeReplicaSet {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  return {
    namespace: obj.metadata?.namespace ?? 'default',
    name: obj.metadata?.name ?? '',
    ...(ref ? { owner: { kind: ref.kind, name: ref.name } } : {}),
  };
}

/** A policy/v1 PodDisruptionBudget as the cache keeps it; pods are matched when the view is built. */
export interface KubeBudget {
  readonly namespace: string;
  readonly name: string;
  readonly selector: V1LabelSelector | undefined;
  readonly disruptionsAllowed: number;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

export function budgetFromKube(obj: V1PodDisruptionBudget): KubeBudget {
  const spec = obj.spec ?? {};
  return {
    namespace: obj.metadata?.namespace ?? 'default',
    name: obj.metadata?.name ?? '',
    selector: spec.selector ?? undefined,
    disruptionsAllowed: obj.status?.disruptionsAllowed ?? 0,
    ...(spec.minAvailable !== undefined ? { minAvailable: spec.minAvailable } : {}),
    ...(spec.maxUnavailable !== undefined ? { maxUnavailable: spec.maxUnavailable } : {}),
  };
}
