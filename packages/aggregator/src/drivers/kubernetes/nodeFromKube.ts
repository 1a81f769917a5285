import type { V1Node } from '@kubernetes/client-node';
import type { DriverNode } from '../types.js';
import { cpuMilli } from '../cpuQuantity.js';

/** Converts an API node. Pure. */
export function nodeFromKube(obj: V1Node): DriverNode {
  const info = obj.status?.nodeInfo;
  const ready = obj.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: obj.metadata?.name ?? '',
    allocatableCpuMilli: cpuMilli(obj.status?.allocatable?.cpu) ?? 0,
    unschedulable: obj.spec?.unschedulable === true,
    ready: ready?.status === 'True',
    ...(info?.bootID ? { bootId: info.bootID } : {}),
    ...(info?.kernelVersion ? { kernelVersion: info.kernelVersion } : {}),
    ...(info?.osImage ? { osImage: info.osImage } : {}),
    labels: { ...(obj.metadata?.labels ?? {}) },
    taints: (obj.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`),
  };
}
