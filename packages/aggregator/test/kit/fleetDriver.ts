import type { ClusterChange, ClusterDriver, DriverDeployment, DriverNode, DriverPod, EvictionOutcome } from '../../src/drivers/types.js';

/** A pod of a fixture fleet: the driver's side of a pod a RawAgent reports by uid. */
export interface FixturePod {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  /** Owning Deployment; absent = a bare pod (no autoscaler sees it). */
  readonly deployment?: string;
  readonly cpuRequestMilli: number;
}

/**
 * A ClusterDriver over a fixed list of deployments and pods (all Running and Ready for ten minutes,
 * so the HPA's CPU initialization period is over). `scale()` sets spec.replicas and nothing else:
 * no pods come or go, which keeps a fixture fleet's measurements exactly as the test sent them.
 */
export class FleetDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  readonly scaleCalls: { namespace: string; name: string; replicas: number }[] = [];
  private readonly deps = new Map<string, { namespace: string; name: string; replicas: number }>();
  private readonly listeners = new Set<(what: ClusterChange) => void>();
  private readonly driverPods: DriverPod[];

  constructor(deployments: readonly { namespace: string; name: string; replicas: number }[], pods: readonly FixturePod[], nowMs = Date.now()) {
    for (const d of deployments) this.deps.set(`${d.namespace}/${d.name}`, { ...d });
    this.driverPods = pods.map((p) => ({
      uid: p.uid, namespace: p.namespace, name: p.name, node: p.node, phase: 'Running', deleted: false, ready: true,
      readyTransitionMs: nowMs - 590_000, startTimeMs: nowMs - 600_000, qosClass: 'Burstable',
      containers: [{ name: 'main', id: `${p.uid}-c`, cpuRequestMilli: p.cpuRequestMilli }],
      ...(p.deployment ? { owner: { kind: 'Deployment', name: p.deployment } } : {}),
    }));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  nodes(): readonly DriverNode[] { return []; }
  pods(): readonly DriverPod[] { return this.driverPods; }
  deployments(): readonly DriverDeployment[] {
    return [...this.deps.values()].map((d) => ({ namespace: d.namespace, name: d.name, replicas: d.replicas, readyReplicas: d.replicas }));
  }
  disruptionBudgets() { return []; }
  synced(): boolean { return true; }
  onChange(listener: (what: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    const d = this.deps.get(`${namespace}/${name}`);
    if (!d) throw new Error(`no deployment ${namespace}/${name}`);
    d.replicas = replicas;
    this.scaleCalls.push({ namespace, name, replicas });
    for (const l of this.listeners) l('deployments');
  }
  async cordon(): Promise<{ alreadyCordoned: boolean }> { return { alreadyCordoned: false }; }
  async uncordon(): Promise<void> {}
  async evict(): Promise<EvictionOutcome> { return { kind: 'gone' }; }
}

/** One MetricsBatch of a node: each pod one container whose cumulative usage grows at `cores`. */
export function fleetBatch(seq: number, pods: readonly { pod: FixturePod; cores: number }[], opts: { nodeBusyCores?: number; cores?: number; bootId?: string; startMonoUsec?: number } = {}) {
  const seconds = seq; // one batch per second of the node's monotonic clock
  const mono = (opts.startMonoUsec ?? 10_000_000) + seconds * 1_000_000;
  const cores = opts.cores ?? 4;
  return {
    metrics: {
      seq, collectedAtMs: Date.now(), monotonicUsec: mono, bootId: opts.bootId ?? 'boot-1',
      nodeUsage: {
        cpuBusyUsec: Math.round(seconds * (opts.nodeBusyCores ?? 1) * 1_000_000),
        cpuTotalUsec: seconds * cores * 1_000_000, cpuCores: cores, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9,
      },
      pods: pods.map(({ pod, cores: c }) => ({
        uid: pod.uid, namespace: pod.namespace, name: pod.name, qosClass: 'Burstable', cgroupPath: `kubepods/burstable/pod${pod.uid}`,
        containers: [{ id: `${pod.uid}-c`, name: 'main', cpuUsageUsec: Math.round(seconds * c * 1_000_000) }],
      })),
    },
  };
}
