import type { IContainerSample, IMetricsBatch, INodeInfo, IPodSample } from '@hms-sys/protocol';
import { cpuRateCores, type CounterSample, type Rate } from './rates.js';
import { nodeCpuRate, type NodeCpuSample } from './nodeCpuRate.js';

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
  /** The same pods, in the order of the latest batch (the next batch is matched against it by position). */
  podList: PodState[];
  /** Cumulative counts reported by the agent. */
  readErrors: number;
  droppedBatches: number;
}

/** One container of a pod as of its latest sample: a snapshot built on request (see PodState.containers). */
export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly sample: CounterSample;
  readonly rate: Rate | undefined;
  readonly throttledUsec: number;
  readonly nrThrottled: number;
  readonly nrPeriods: number;
}

/**
 * Per-container numbers, STRIDE per container in `PodState.nums`: latest sample (usage, monotonic
 * time), rate (cores, NaN = none; window ms), throttling counters.
 */
const STRIDE = 7;
const USAGE = 0;
const MONO = 1;
const CORES = 2;
const WINDOW = 3;
const THROTTLED = 4;
const NR_THROTTLED = 5;
const NR_PERIODS = 6;

/**
 * What the aggregator knows about one pod (or workload) from the cgroups its agent reads.
 *
 * Laid out for fleets of hundreds of thousands of pods sampled every second: a batch updates
 * the pod in place (no per-sample objects, so nothing long-lived becomes garbage every second),
 * and its containers are parallel arrays — ids, names, and STRIDE plain doubles each — kept in
 * the order a Map keyed by container id would have (first appearance; gone ones removed).
 */
export class PodState {
  namespace = '';
  name = '';
  qosClass = '';
  cgroupPath = '';
  partial = false;
  /** Aggregator wall-clock ms when the latest sample arrived (the metric timestamp). */
  sampleTimeMs: number;
  /** Boot the latest samples (pod and containers) belong to. */
  bootId = '';
  /** The pod cgroup's own counter (includes the sandbox), when the latest batch reported one. */
  hasPodSample = false;
  podUsageUsec = 0;
  podMonoUsec = 0;
  /** Rate of the pod cgroup's own counter, cores; NaN = none. */
  podCores = NaN;
  podWindowMs = 0;
  /** Container ids, names and numbers (STRIDE per container). */
  ids: string[] = [];
  names: string[] = [];
  nums: number[] = [];
  /** Batch counter of the FleetState when this pod was last updated (duplicate detection). */
  stamp = 0;
  /** Set when the pod left the fleet or was replaced (moved to another node). */
  removed = false;

  constructor(
    readonly uid: string,
    public node: string,
    sampleTimeMs: number,
  ) {
    this.sampleTimeMs = sampleTimeMs;
  }

  /** Sample of the pod cgroup's own counter, if reported. */
  get podSample(): CounterSample | undefined {
    return this.hasPodSample ? { usageUsec: this.podUsageUsec, monoUsec: this.podMonoUsec, bootId: this.bootId } : undefined;
  }

  /** Rate of the pod cgroup's own counter, if there is one. */
  get podRate(): Rate | undefined {
    return Number.isNaN(this.podCores) ? undefined : { cores: this.podCores, windowMs: this.podWindowMs };
  }

  /** The containers, keyed by id (a snapshot: built on every call). */
  get containers(): ReadonlyMap<string, ContainerState> {
    const out = new Map<string, ContainerState>();
    for (let j = 0; j < this.ids.length; j++) {
      const b = j * STRIDE;
      const n = this.nums;
      const cores = n[b + CORES] as number;
      out.set(this.ids[j] as string, {
        id: this.ids[j] as string,
        name: this.names[j] as string,
        sample: { usageUsec: n[b + USAGE] as number, monoUsec: n[b + MONO] as number, bootId: this.bootId },
        rate: Number.isNaN(cores) ? undefined : { cores, windowMs: n[b + WINDOW] as number },
        throttledUsec: n[b + THROTTLED] as number,
        nrThrottled: n[b + NR_THROTTLED] as number,
        nrPeriods: n[b + NR_PERIODS] as number,
      });
    }
    return out;
  }

  get containerCount(): number {
    return this.ids.length;
  }
}

/** Pod CPU: the pod cgroup's own rate when reported, else the sum of its containers' rates. */
export function podCpu(p: PodState): Rate | undefined {
  if (!Number.isNaN(p.podCores)) return { cores: p.podCores, windowMs: p.podWindowMs };
  const count = p.ids.length;
  if (count === 0) return undefined;
  let cores = 0;
  let windowMs = 0;
  for (let j = 0; j < count; j++) {
    const c = p.nums[j * STRIDE + CORES] as number;
    if (Number.isNaN(c)) return undefined;
    cores += c;
    windowMs = Math.max(windowMs, p.nums[j * STRIDE + WINDOW] as number);
  }
  return { cores, windowMs };
}

/** podCpu(p)?.cores without building a Rate — NaN when there is none (for loops over every pod at scrape time). */
export function podCores(p: PodState): number {
  if (!Number.isNaN(p.podCores)) return p.podCores;
  const count = p.ids.length;
  if (count === 0) return NaN;
  let cores = 0;
  for (let j = 0; j < count; j++) cores += p.nums[j * STRIDE + CORES] as number; // NaN if any has none
  return cores;
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
export class FleetState {
  private readonly nodeMap = new Map<string, NodeState>();
  private readonly podMap = new Map<string, PodState>();
  private stamp = 0;

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
      podList: [],
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
    for (const pod of node.podList) {
      if (pod.removed || pod.node !== name) continue;
      this.podMap.delete(pod.uid);
      pod.removed = true;
      removed.push(pod);
    }
    node.pods.clear();
    node.podList = [];
    return removed;
  }

  /** Forgets a node entirely. */
  forget(name: string): PodState[] {
    const removed = this.disconnect(name);
    this.nodeMap.delete(name);
    return removed;
  }

  /**
   * Takes in one batch of a connected node. A pod missing from the batch leaves the fleet; a pod
   * last seen on another node starts a new history here; duplicates (pod uid, or container id
   * within a pod) count once, the first occurrence.
   */
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

    const stamp = ++this.stamp;
    const previous = node.podList;
    const list: PodState[] = [];
    const added: string[] = [];
    let samples = 0;
    for (const p of batch.pods ?? []) {
      const uid = p.uid ?? '';
      if (!uid) continue;
      // The agent reports pods in the same order every cycle: try the same position first.
      const guess = previous[list.length];
      let pod = guess !== undefined && !guess.removed && guess.uid === uid ? guess : this.podMap.get(uid);
      if (pod !== undefined && pod.stamp === stamp) continue; // a duplicate of a pod already taken in
      if (pod === undefined || pod.node !== nodeName) {
        if (pod !== undefined) {
          // Moved here: restart its history (the map keeps the uid's position, as before).
          this.nodeMap.get(pod.node)?.pods.delete(uid);
          pod.removed = true;
        }
        pod = new PodState(uid, nodeName, receivedMs);
        this.podMap.set(uid, pod);
        node.pods.add(uid);
        added.push(uid);
      }
      pod.stamp = stamp;
      list.push(pod);
      samples += this.applyPod(pod, p, mono, bootId, maxCores, receivedMs);
    }
    const removed: PodState[] = [];
    for (const pod of previous) {
      if (pod.removed || pod.stamp === stamp || pod.node !== nodeName) continue;
      this.podMap.delete(pod.uid);
      node.pods.delete(pod.uid);
      pod.removed = true;
      removed.push(pod);
    }
    node.podList = list;
    return { samples, addedPods: added, removedPods: removed, nodeCpuCores };
  }

  /** Updates one pod from its sample; returns the container samples taken in. */
  private applyPod(pod: PodState, p: IPodSample, mono: number, bootId: string, maxCores: number, receivedMs: number): number {
    // Strings are replaced only when they change: the pod's copies are long-lived, the decoded ones are not.
    const namespace = p.namespace ?? '';
    if (pod.namespace !== namespace) pod.namespace = namespace;
    const name = p.name ?? '';
    if (pod.name !== name) pod.name = name;
    const qos = p.qosClass ?? '';
    if (pod.qosClass !== qos) pod.qosClass = qos;
    const cgroupPath = p.cgroupPath ?? '';
    if (pod.cgroupPath !== cgroupPath) pod.cgroupPath = cgroupPath;
    pod.partial = p.partial ?? false;
    pod.sampleTimeMs = receivedMs;
    const prevBoot = pod.bootId;

    const podUsage = Number(p.cpuUsageUsec ?? 0);
    if (podUsage > 0) {
      if (pod.hasPodSample) {
        const r = cpuRateCores(pod.podUsageUsec, pod.podMonoUsec, prevBoot, podUsage, mono, bootId, maxCores);
        if (typeof r === 'number') {
          pod.podCores = r;
          pod.podWindowMs = (mono - pod.podMonoUsec) / 1000;
        } else if (r !== 'time-not-advancing') {
          pod.podCores = NaN;
        }
      } else {
        pod.podCores = NaN;
      }
      pod.hasPodSample = true;
      pod.podUsageUsec = podUsage;
      pod.podMonoUsec = mono;
    } else {
      pod.hasPodSample = false;
      pod.podCores = NaN;
    }

    const cs = p.containers ?? [];
    const n = this.sameContainers(pod, cs) ? this.updateContainers(pod, cs, mono, prevBoot, bootId, maxCores) : this.rebuildContainers(pod, cs, mono, prevBoot, bootId, maxCores);
    if (pod.bootId !== bootId) pod.bootId = bootId;
    return n;
  }

  /** True when the batch lists exactly the stored containers, in the stored order (the usual case). */
  private sameContainers(pod: PodState, cs: readonly IContainerSample[]): boolean {
    if (cs.length !== pod.ids.length) return false;
    for (let j = 0; j < cs.length; j++) if ((cs[j] as IContainerSample).id !== pod.ids[j]) return false;
    return true;
  }

  private updateContainers(pod: PodState, cs: readonly IContainerSample[], mono: number, prevBoot: string, bootId: string, maxCores: number): number {
    const nums = pod.nums;
    for (let j = 0; j < cs.length; j++) {
      const c = cs[j] as IContainerSample;
      if (c.name && pod.names[j] !== c.name) pod.names[j] = c.name;
      writeContainer(nums, j * STRIDE, c, mono, prevBoot, bootId, maxCores, true);
    }
    return cs.length;
  }

  /**
   * Containers came, went or changed order: rebuild the arrays in Map order — containers already
   * known keep their relative order, new ones follow in batch order, gone ones are dropped.
   */
  private rebuildContainers(pod: PodState, cs: readonly IContainerSample[], mono: number, prevBoot: string, bootId: string, maxCores: number): number {
    const incoming = new Map<string, IContainerSample>();
    for (const c of cs) {
      const id = c.id ?? '';
      if (id && !incoming.has(id)) incoming.set(id, c);
    }
    const ids: string[] = [];
    const names: string[] = [];
    const nums: number[] = [];
    for (let j = 0; j < pod.ids.length; j++) {
      const id = pod.ids[j] as string;
      const c = incoming.get(id);
      if (c === undefined) continue;
      incoming.delete(id);
      const b = nums.length;
      for (let k = 0; k < STRIDE; k++) nums.push(pod.nums[j * STRIDE + k] as number);
      ids.push(id);
      names.push(c.name || (pod.names[j] as string));
      writeContainer(nums, b, c, mono, prevBoot, bootId, maxCores, true);
    }
    for (const [id, c] of incoming) {
      const b = nums.length;
      for (let k = 0; k < STRIDE; k++) nums.push(0);
      ids.push(id);
      names.push(c.name || '');
      writeContainer(nums, b, c, mono, prevBoot, bootId, maxCores, false);
    }
    pod.ids = ids;
    pod.names = names;
    pod.nums = nums;
    return ids.length;
  }
}

/** Takes one container sample into nums[b..b+STRIDE): the rate against the stored sample (if `hasPrevious`), then the sample. */
function writeContainer(nums: number[], b: number, c: IContainerSample, mono: number, prevBoot: string, bootId: string, maxCores: number, hasPrevious: boolean): void {
  const usage = Number(c.cpuUsageUsec ?? 0);
  if (hasPrevious) {
    const prevMono = nums[b + MONO] as number;
    const r = cpuRateCores(nums[b + USAGE] as number, prevMono, prevBoot, usage, mono, bootId, maxCores);
    if (typeof r === 'number') {
      nums[b + CORES] = r;
      nums[b + WINDOW] = (mono - prevMono) / 1000;
    } else if (r !== 'time-not-advancing') {
      nums[b + CORES] = NaN;
    }
  } else {
    nums[b + CORES] = NaN;
    nums[b + WINDOW] = 0;
  }
  nums[b + USAGE] = usage;
  nums[b + MONO] = mono;
  nums[b + THROTTLED] = Number(c.cpuThrottledUsec ?? 0);
  nums[b + NR_THROTTLED] = Number(c.nrThrottled ?? 0);
  nums[b + NR_PERIODS] = Number(c.nrPeriods ?? 0);
}
