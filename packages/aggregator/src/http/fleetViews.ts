import type { ClusterView, DriverNode, DriverPod } from '../drivers/types.js';
import { podCpuRequestMilli } from '../drivers/types.js';
import { podCpu, type FleetState, type NodeState, type PodState } from '../ingest/fleetState.js';
import { podIdentity } from '../ingest/podIdentity.js';

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

/** A node as the API shows it (SPEC §3): agent facts joined with the driver's view. */
export function nodeView(n: NodeState | undefined, d: DriverNode | undefined, name: string): Record<string, unknown> {
  return {
    name,
    connected: n?.connected ?? false,
    bootId: n?.info.bootId ?? d?.bootId ?? '',
    kernelVersion: n?.info.kernelVersion ?? d?.kernelVersion ?? '',
    osImage: n?.info.osImage ?? d?.osImage ?? '',
    cpuCores: Number(n?.info.cpuCores ?? 0) || (d ? d.allocatableCpuMilli / 1000 : 0),
    cpuUsageCores: n?.cpuUsageCores === undefined ? null : round(n.cpuUsageCores),
    memoryBytes: n?.memoryTotalBytes ?? 0,
    memoryAvailableBytes: n?.memoryAvailableBytes ?? 0,
    lastSeen: n && n.lastSeenMs > 0 ? new Date(n.lastSeenMs).toISOString() : null,
    agentVersion: n?.agentVersion ?? '',
    simulatedBoot: n?.info.simulatedBoot ?? false,
    cgroupVersion: n?.info.cgroupVersion ?? '',
    pods: n?.pods.size ?? 0,
    unschedulable: d?.unschedulable ?? false,
    ready: d?.ready ?? n?.connected ?? false,
    allocatableCpuCores: d ? d.allocatableCpuMilli / 1000 : null,
    readErrors: n?.readErrors ?? 0,
  };
}

export function listNodes(fleet: FleetState, view: ClusterView): Record<string, unknown>[] {
  const driverNodes = new Map(view.nodes().map((d) => [d.name, d]));
  const names = new Set<string>([...driverNodes.keys(), ...[...fleet.nodes()].map((n) => n.name)]);
  return [...names].sort().map((name) => nodeView(fleet.node(name), driverNodes.get(name), name));
}

/** A pod as the API shows it (SPEC §3): measurements joined with the driver's object. */
export function podView(p: PodState | undefined, d: DriverPod | undefined): Record<string, unknown> {
  const id = p ? podIdentity(p, d) : { namespace: d?.namespace ?? '', name: d?.name ?? '', node: d?.node ?? '' };
  const rate = p ? podCpu(p) : undefined;
  const requestMilli = d ? podCpuRequestMilli(d) : undefined;
  return {
    uid: p?.uid ?? d?.uid ?? '',
    namespace: id.namespace,
    name: id.name,
    node: id.node || d?.node || '',
    cpuUsageCores: rate ? round(rate.cores) : null,
    cpuRequestCores: requestMilli === undefined ? null : requestMilli / 1000,
    cpuUtilization: rate && requestMilli ? round(rate.cores / (requestMilli / 1000)) : null,
    windowSeconds: rate ? round(rate.windowMs / 1000, 3) : null,
    sampleTime: p ? new Date(p.sampleTimeMs).toISOString() : null,
    qosClass: d?.qosClass ?? (p?.qosClass || null),
    cgroupPath: p?.cgroupPath ?? null,
    measured: p !== undefined,
    partial: p?.partial ?? false,
    phase: d?.phase ?? (p ? 'Running' : 'Unknown'),
    ready: d?.ready ?? null,
    restarts: d?.restartCount ?? 0,
    lastTerminationReason: d?.lastTerminationReason ?? null,
    owner: d?.owner ?? null,
    startTime: d?.startTimeMs ? new Date(d.startTimeMs).toISOString() : null,
    containers: p
      ? [...p.containers.values()].map((c) => {
          const dc = d?.containers.find((x) => x.id === c.id || x.name === c.name || x.name === c.id);
          return {
            id: c.id,
            name: dc?.name ?? c.name ?? c.id,
            cpuUsageCores: c.rate ? round(c.rate.cores) : null,
            cpuRequestCores: dc?.cpuRequestMilli === undefined ? null : dc.cpuRequestMilli / 1000,
            cpuLimitCores: dc?.cpuLimitMilli === undefined ? null : dc.cpuLimitMilli / 1000,
            cpuThrottledSeconds: round(c.throttledUsec / 1e6, 6),
            nrThrottled: c.nrThrottled,
            nrPeriods: c.nrPeriods,
          };
        })
      : (d?.containers ?? []).map((c) => ({
          id: c.id ?? '', name: c.name, cpuUsageCores: null,
          cpuRequestCores: c.cpuRequestMilli === undefined ? null : c.cpuRequestMilli / 1000,
          cpuLimitCores: c.cpuLimitMilli === undefined ? null : c.cpuLimitMilli / 1000,
          cpuThrottledSeconds: null, nrThrottled: null, nrPeriods: null,
        })),
  };
}

export function listPods(fleet: FleetState, view: ClusterView): Record<string, unknown>[] {
  const driverPods = new Map(view.pods().map((d) => [d.uid, d]));
  const out: Record<string, unknown>[] = [];
  for (const p of fleet.pods()) out.push(podView(p, driverPods.get(p.uid)));
  for (const d of driverPods.values()) if (!fleet.pod(d.uid)) out.push(podView(undefined, d));
  return out.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
