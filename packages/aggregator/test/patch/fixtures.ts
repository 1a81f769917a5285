import type { DisruptionBudget, DriverNode, DriverPod } from '../../src/drivers/types.js';

/** Small builders for cluster views in patch tests. CPU in millicores. */

export function node(name: string, allocatableCpuMilli: number, extra: Partial<DriverNode> = {}): DriverNode {
  return { name, allocatableCpuMilli, unschedulable: false, ready: true, labels: {}, bootId: `boot-${name}`, kernelVersion: '6.1.0', ...extra };
}

let uid = 0;
export function pod(name: string, nodeName: string | undefined, cpu: number | undefined, extra: Partial<DriverPod> = {}): DriverPod {
  return {
    uid: extra.uid ?? `uid-${name}-${++uid}`,
    namespace: 'default',
    name,
    node: nodeName,
    phase: 'Running',
    deleted: false,
    ready: true,
    containers: [{ name: 'c', ...(cpu === undefined ? {} : { cpuRequestMilli: cpu }) }],
    owner: { kind: 'Deployment', name: name.replace(/-\d+$/, '') },
    ...extra,
  };
}

export function budget(name: string, pods: readonly DriverPod[], disruptionsAllowed: number, extra: Partial<DisruptionBudget> = {}): DisruptionBudget {
  return { namespace: 'default', name, podUids: pods.map((p) => p.uid), disruptionsAllowed, ...extra };
}
