/**
 * The FleetState as it was before the ingest hot path was rewritten for fleet scale (per-sample
 * objects, a Set per batch): kept verbatim as the executable specification the optimised
 * FleetState is checked against (fleetState.equivalence.test.ts). Not used by the product.
 */
import type { IMetricsBatch, INodeInfo } from '@hms-sys/protocol';
import { cpuRate, isRate, type CounterSample, type Rate } from '../../src/ingest/rates.js';
import { nodeCpuRate, type NodeCpuSample } from '../../src/ingest/nodeCpuRate.js';

/** What the aggregator knows about one node from its agent. */
export interface NodeState {
  readonly name: string;
  connected: boolean;
  info: INodeInfo;
  agentVersion: string;
  streamId: string;
  intervalMs: number;
  /** Wall-clock ms (aggregator clock) of the last frame from this node. */
  lastSeenMs: number;
  cpu: NodeCpuSample | undefined;
  /** Latest node CPU usage, cores. */
  cpuUsageCores: number | undefined;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  /** UIDs of the pods in the node's latest batch. */
  pods: Set<string>;
  /** Cumulative counts reported by the agent. */
  readErrors: number;
  droppedBatches: number;
}

export interface ContainerState {
  readonly id: string;
  name: string;
  sample: CounterSample;
  rate: Rate | undefined;
  throttledUsec: number;
  nrThrottled: number;
  nrPeriods: number;
}

/** What the aggregator knows about one pod (or workload) from the cgroups its agent reads. */
export interface PodState {
  readonly uid: string;
  node: string;
  namespace: string;
  name: string;
  qosClass: string;
  cgroupPath: string;
  partial: boolean;
  containers: Map<string, ContainerState>;
  /** Sample of the pod cgroup's own counter (includes the sandbox), if reported. */
  podSample: CounterSample | undefined;
  podRate: Rate | undefined;
  /** Aggregator wall-clock ms when the latest sample arrived (the metric timestamp). */
  sampleTimeMs: number;
}

/** Pod CPU: the pod cgroup's own rate when reported, else the sum of its containers' rates. */
export function referencePodCpu(p: PodState): Rate | undefined {
  if (p.podRate) return p.podRate;
  let cores = 0;
  let windowMs = 0;
  if (p.containers.size === 0) return undefined;
  for (const c of p.containers.values()) {
    if (!c.rate) return undefined;
    cores += c.rate.cores;
    windowMs = Math.max(windowMs, c.rate.windowMs);
  }
  return { cores, windowMs };
}

export interface BatchEffect {
  /** Container samples taken in. */
  readonly samples: number;
  readonly addedPods: readonly string[];
  readonly removedPods: readonly PodState[];
  readonly nodeCpuCores: number | undefined;
}

/**
 * The live picture of the fleet built from agent batches: latest counters and rates per
 * container, pod and node. In memory only — it is rebuilt from the next batches after a restart.
 */
export class ReferenceFleetState {
  private readonly nodeMap = new Map<string, NodeState>();
  private readonly podMap = new Map<string, PodState>();

  nodes(): IterableIterator<NodeState> {
    return this.nodeMap.values();
  }
  node(name: string): NodeState | undefined {
    return this.nodeMap.get(name);
  }
  pods(): IterableIterator<PodState> {
    return this.podMap.values();
  }
  pod(uid: string): PodState | undefined {
    return this.podMap.get(uid);
  }
  get podCount(): number {
    return this.podMap.size;
  }

  /** A node's agent said hello. Returns the previous boot id (undefined for a new node). */
  connect(name: string, hello: { info: INodeInfo; agentVersion: string; streamId: string; intervalMs: number }, nowMs: number): { isNew: boolean; previousBootId: string | undefined } {
    const existing = this.nodeMap.get(name);
    const previousBootId = existing?.info.bootId ?? undefined;
    if (existing) {
      existing.connected = true;
      existing.info = hello.info;
      existing.agentVersion = hello.agentVersion;
      existing.streamId = hello.streamId;
      existing.intervalMs = hello.intervalMs;
      existing.lastSeenMs = nowMs;
      if (previousBootId !== hello.info.bootId) existing.cpu = undefined;
      return { isNew: false, previousBootId };
    }
    this.nodeMap.set(name, {
      name,
      connected: true,
      info: hello.info,
      agentVersion: hello.agentVersion,
      streamId: hello.streamId,
      intervalMs: hello.intervalMs,
      lastSeenMs: nowMs,
      cpu: undefined,
      cpuUsageCores: undefined,
      memoryTotalBytes: Number(hello.info.memoryBytes ?? 0),
      memoryAvailableBytes: 0,
      pods: new Set(),
      readErrors: 0,
      droppedBatches: 0,
    });
    return { isNew: true, previousBootId: undefined };
  }

  /** Registers a node known from the store (not connected yet), so it lists as disconnected. */
  remember(name: string, info: INodeInfo, lastSeenMs: number): void {
    if (this.nodeMap.has(name)) return;
    this.connect(name, { info, agentVersion: '', streamId: '', intervalMs: 0 }, lastSeenMs);
    const n = this.nodeMap.get(name) as NodeState;
    n.connected = false;
  }

  /** Marks a node disconnected and forgets its pods' live samples. Returns the removed pods. */
  disconnect(name: string): PodState[] {
    const node = this.nodeMap.get(name);
    if (!node) return [];
    node.connected = false;
    node.cpuUsageCores = undefined;
    const removed: PodState[] = [];
    for (const uid of node.pods) {
      const pod = this.podMap.get(uid);
      if (pod && pod.node === name) {
        this.podMap.delete(uid);
        removed.push(pod);
      }
    }
    node.pods.clear();
    return removed;
  }

  /** Forgets a node entirely. */
  forget(name: string): PodState[] {
    const removed = this.disconnect(name);
    this.nodeMap.delete(name);
    return removed;
  }

  /** Takes in one batch of a connected node. */
  applyBatch(nodeName: string, batch: IMetricsBatch, receivedMs: number): BatchEffect {
    const node = this.nodeMap.get(nodeName);
    if (!node) throw new Error(`batch for unknown node ${nodeName}`);
    node.lastSeenMs = receivedMs;
    const bootId = batch.bootId || node.info.bootId || '';
    const mono = Number(batch.monotonicUsec ?? 0);
    const maxCores = Math.max(1, Number(batch.nodeUsage?.cpuCores ?? node.info.cpuCores ?? 0)) || Infinity;

    let nodeCpuCores: number | undefined;
    if (batch.nodeUsage) {
      const u = batch.nodeUsage;
      const cur: NodeCpuSample = { busyUsec: Number(u.cpuBusyUsec ?? 0), totalUsec: Number(u.cpuTotalUsec ?? 0), cores: Number(u.cpuCores ?? 0) };
      nodeCpuCores = nodeCpuRate(node.cpu, cur);
      node.cpu = cur;
      if (nodeCpuCores !== undefined) node.cpuUsageCores = nodeCpuCores;
      node.memoryTotalBytes = Number(u.memoryTotalBytes ?? node.memoryTotalBytes);
      node.memoryAvailableBytes = Number(u.memoryAvailableBytes ?? 0);
    }
    if (batch.stats) {
      node.readErrors += Number(batch.stats.readErrors ?? 0);
      node.droppedBatches = Number(batch.stats.droppedBatches ?? node.droppedBatches);
    }

    const seen = new Set<string>();
    const added: string[] = [];
    let samples = 0;
    for (const p of batch.pods ?? []) {
      const uid = p.uid ?? '';
      if (!uid || seen.has(uid)) continue;
      seen.add(uid);
      let pod = this.podMap.get(uid);
      if (!pod || pod.node !== nodeName) {
        if (pod) this.nodeMap.get(pod.node)?.pods.delete(uid); // moved: restart its history
        pod = {
          uid, node: nodeName, namespace: '', name: '', qosClass: '', cgroupPath: '', partial: false,
          containers: new Map(), podSample: undefined, podRate: undefined, sampleTimeMs: receivedMs,
        };
        this.podMap.set(uid, pod);
        added.push(uid);
      }
      pod.namespace = p.namespace ?? '';
      pod.name = p.name ?? '';
      pod.qosClass = p.qosClass ?? '';
      pod.cgroupPath = p.cgroupPath ?? '';
      pod.partial = p.partial ?? false;
      pod.sampleTimeMs = receivedMs;
      const podUsage = Number(p.cpuUsageUsec ?? 0);
      if (podUsage > 0) {
        const s: CounterSample = { usageUsec: podUsage, monoUsec: mono, bootId };
        const r = cpuRate(pod.podSample, s, maxCores);
        pod.podRate = isRate(r) ? r : r === 'time-not-advancing' ? pod.podRate : undefined;
        pod.podSample = s;
      } else {
        pod.podSample = undefined;
        pod.podRate = undefined;
      }
      const seenContainers = new Set<string>();
      for (const c of p.containers ?? []) {
        const id = c.id ?? '';
        if (!id || seenContainers.has(id)) continue;
        seenContainers.add(id);
        samples++;
        const s: CounterSample = { usageUsec: Number(c.cpuUsageUsec ?? 0), monoUsec: mono, bootId };
        const prev = pod.containers.get(id);
        const r = cpuRate(prev?.sample, s, maxCores);
        const rate = isRate(r) ? r : r === 'time-not-advancing' ? prev?.rate : undefined;
        pod.containers.set(id, {
          id,
          name: c.name || prev?.name || '',
          sample: s,
          rate,
          throttledUsec: Number(c.cpuThrottledUsec ?? 0),
          nrThrottled: Number(c.nrThrottled ?? 0),
          nrPeriods: Number(c.nrPeriods ?? 0),
        });
      }
      for (const id of pod.containers.keys()) if (!seenContainers.has(id)) pod.containers.delete(id);
    }
    const removed: PodState[] = [];
    for (const uid of node.pods) {
      if (seen.has(uid)) continue;
      const pod = this.podMap.get(uid);
      if (pod && pod.node === nodeName) {
        this.podMap.delete(uid);
        removed.push(pod);
      }
    }
    node.pods = seen;
    return { samples, addedPods: added, removedPods: removed, nodeCpuCores };
  }
}
