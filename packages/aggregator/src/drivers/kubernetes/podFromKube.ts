import type { V1Container, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import type { DriverContainer, DriverPod, PodOwner, PodPhase } from '../types.js';
import { cpuMilli } from '../cpuQuantity.js';
import { toMs } from './kubeTime.js';

/** Annotation the kubelet puts on the API mirror of a static pod. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
/** Annotation carrying the kubelet's uid of a static pod (also its cgroup name). */
export const CONFIG_HASH_ANNOTATION = 'kubernetes.io/config.hash';

/** A pod from the API: the driver's view (owner = the direct controller) and its API identity. */
export interface KubePod {
  /** `owner` is the pod's own controller reference; the cluster cache resolves ReplicaSet -> Deployment. */
  readonly pod: DriverPod;
  /** metadata.uid as the API server knows it. Differs from `pod.uid` for static pods. */
  readonly apiUid: string;
}

const PHASES: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

/**
 * Converts an API pod. `pod.uid` is what the agent sees in the cgroup path: the API uid, except
 * for static pods, whose cgroup is named after the kubelet's config hash (their mirror pod in the
 * API has a different uid). Pure.
 */
export function podFromKube(obj: V1Pod): KubePod {
  const meta = obj.metadata ?? {};
  const annotations = meta.annotations ?? {};
  const apiUid = meta.uid ?? '';
  const spec = obj.spec;
  const status = obj.status ?? {};
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  const statuses = new Map<string, V1ContainerStatus>();
  for (const s of [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])]) statuses.set(s.name, s);
  // The HPA counts regular containers and restartable ("sidecar") init containers.
  const counted: V1Container[] = [
    ...(spec?.containers ?? []),
    ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
  ];
  const containers = counted.map((c) => containerFrom(c, statuses.get(c.name)));
  const controller = meta.ownerReferences?.find((r) => r.controller === true);
  const owner: PodOwner | undefined = controller ? { kind: controller.kind, name: controller.name } : undefined;
  const phase = PHASES.includes(status.phase as PodPhase) ? (status.phase as PodPhase) : 'Pending';
  const restarts = (status.containerStatuses ?? []).reduce((n, s) => n + (s.restartCount ?? 0), 0);
  const qos = status.qosClass;
  const podRequest = cpuMilli(spec?.resources?.requests?.cpu);
  const pod: DriverPod = {
    uid: annotations[CONFIG_HASH_ANNOTATION] || apiUid,
    namespace: meta.namespace ?? 'default',
    name: meta.name ?? '',
    ...(spec?.nodeName ? { node: spec.nodeName } : {}),
    phase,
    deleted: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
    ...(ready ? { ready: ready.status === 'True' } : {}),
    ...(ready && toMs(ready.lastTransitionTime) !== undefined ? { readyTransitionMs: toMs(ready.lastTransitionTime) } : {}),
    ...(toMs(status.startTime) !== undefined ? { startTimeMs: toMs(status.startTime) } : {}),
    containers,
    ...(podRequest === undefined ? {} : { cpuRequestMilli: podRequest }),
    ...(owner ? { owner } : {}),
    mirror: annotations[MIRROR_ANNOTATION] !== undefined,
    ...(qos === 'Guaranteed' || qos === 'Burstable' || qos === 'BestEffort' ? { qosClass: qos } : {}),
    restartCount: restarts,
    ...lastTermination(status.containerStatuses ?? []),
    hasEmptyDir: (spec?.volumes ?? []).some((v) => v.emptyDir !== undefined && v.emptyDir !== null),
    labels: { ...(meta.labels ?? {}) },
  };
  return { pod, apiUid };
}

/** `containerd://abc…` -> `abc…`: the id as it appears in the cgroup path. */
export function bareContainerId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const i = id.indexOf('://');
  return i >= 0 ? id.slice(i + 3) : id;
}

function containerFrom(c: V1Container, s: V1ContainerStatus | undefined): DriverContainer {
  const id = bareContainerId(s?.containerID);
  const request = cpuMilli(c.resources?.requests?.cpu);
  const limit = cpuMilli(c.resources?.limits?.cpu);
  return {
    name: c.name,
    ...(id ? { id } : {}),
    ...(request !== undefined ? { cpuRequestMilli: request } : {}),
    ...(limit !== undefined ? { cpuLimitMilli: limit } : {}),
    ...(c.image ? { image: c.image } : {}),
  };
}

/** The most recent termination among the containers' last states, e.g. "OOMKilled (exit 137)". */
function lastTermination(statuses: readonly V1ContainerStatus[]): { lastTerminationReason?: string } {
  let best: { at: number; text: string } | undefined;
  for (const s of statuses) {
    const t = s.lastState?.terminated;
    if (!t) continue;
    const at = toMs(t.finishedAt) ?? 0;
    const text = `${t.reason ?? 'Terminated'} (exit ${t.exitCode})`;
    if (!best || at >= best.at) best = { at, text };
  }
  return best ? { lastTerminationReason: best.text } : {};
}
