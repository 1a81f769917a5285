import type { KObj } from './fakeStore.js';

/** Builders of API objects for tests, with realistic defaults. Times are ISO strings. */

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const HOUR_AGO = (): string => iso(Date.now() - 3_600_000);

export function node(name: string, opts: { unschedulable?: boolean; cpu?: string; bootId?: string; ready?: boolean; labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] } = {}): KObj {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { ...(opts.unschedulable ? { unschedulable: true } : {}), ...(opts.taints ? { taints: opts.taints } : {}) },
    status: {
      allocatable: { cpu: opts.cpu ?? '4', memory: '16Gi' },
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: HOUR_AGO() }],
      nodeInfo: { bootID: opts.bootId ?? `boot-${name}`, kernelVersion: '6.1.0-18-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'containerd://1.7.13', kubeletVersion: 'v1.31.0', machineID: 'm', systemUUID: 's', architecture: 'amd64', operatingSystem: 'linux', kubeProxyVersion: '' },
    },
  };
}

export function deployment(namespace: string, name: string, replicas: number, opts: { readyReplicas?: number; labels?: Record<string, string> } = {}): KObj {
  return {
    metadata: { name, namespace, labels: { app: name, ...opts.labels } },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: `${name}:1` }] } } },
    status: { replicas, readyReplicas: opts.readyReplicas ?? replicas },
  };
}

export function replicaSet(namespace: string, name: string, deploymentName: string | undefined): KObj {
  return {
    metadata: {
      name, namespace, labels: { app: deploymentName ?? name },
      ...(deploymentName ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deploymentName, uid: `uid-${deploymentName}`, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: { replicas: 1, selector: { matchLabels: { app: deploymentName ?? name } } },
    status: { replicas: 1 },
  };
}

export interface PodOptions {
  uid?: string;
  node?: string;
  owner?: { kind: string; name: string };
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  cpu?: string;
  ready?: boolean;
  phase?: string;
  emptyDir?: boolean;
  startedMsAgo?: number;
  sidecarCpu?: string;
  deleting?: boolean;
}

export function pod(namespace: string, name: string, opts: PodOptions = {}): KObj {
  const started = iso(Date.now() - (opts.startedMsAgo ?? 3_600_000));
  return {
    metadata: {
      name, namespace,
      ...(opts.uid ? { uid: opts.uid } : {}),
      labels: opts.labels ?? {},
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      ...(opts.owner ? { ownerReferences: [{ apiVersion: opts.owner.kind === 'Node' ? 'v1' : 'apps/v1', kind: opts.owner.kind, name: opts.owner.name, uid: `uid-${opts.owner.name}`, controller: true }] } : {}),
      ...(opts.deleting ? { deletionTimestamp: iso(Date.now()) } : {}),
    },
    spec: {
      ...(opts.node ? { nodeName: opts.node } : {}),
      containers: [{ name: 'main', image: 'app:1', resources: { requests: { cpu: opts.cpu ?? '500m', memory: '128Mi' }, limits: { cpu: '2' } } }],
      ...(opts.sidecarCpu ? { initContainers: [
        { name: 'sidecar', image: 'proxy:1', restartPolicy: 'Always', resources: { requests: { cpu: opts.sidecarCpu } } },
        { name: 'init', image: 'init:1', resources: { requests: { cpu: '1' } } },
      ] } : {}),
      ...(opts.emptyDir ? { volumes: [{ name: 'scratch', emptyDir: {} }] } : {}),
    },
    status: {
      phase: opts.phase ?? 'Running',
      startTime: started,
      qosClass: 'Burstable',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: started }],
      containerStatuses: [{ name: 'main', ready: opts.ready !== false, restartCount: 0, image: 'app:1', imageID: 'sha256:x', containerID: `containerd://${name}-c0ffee`, state: { running: { startedAt: started } } }],
      ...(opts.sidecarCpu ? { initContainerStatuses: [{ name: 'sidecar', ready: true, restartCount: 0, image: 'proxy:1', imageID: 'sha256:y', containerID: `containerd://${name}-51dec4r`, started: true }] } : {}),
    },
  };
}

export function pdb(namespace: string, name: string, matchLabels: Record<string, string>, disruptionsAllowed: number, opts: { minAvailable?: number | string; maxUnavailable?: number | string } = {}): KObj {
  return {
    metadata: { name, namespace },
    spec: { selector: { matchLabels }, ...(opts.maxUnavailable !== undefined ? { maxUnavailable: opts.maxUnavailable } : { minAvailable: opts.minAvailable ?? 1 }) },
    status: { disruptionsAllowed, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, observedGeneration: 1 },
  };
}

export function scalingPolicy(namespace: string, name: string, spec: Record<string, unknown>): KObj {
  return { apiVersion: 'hms-sys.io/v1', kind: 'ScalingPolicy', metadata: { name, namespace }, spec };
}
