import type { ClusterChange, ClusterDriver, DisruptionBudget, DriverDeployment, DriverNode, DriverPod, EvictionOutcome } from '../../src/drivers/types.js';

/** An in-memory cluster for component tests: you set nodes, pods and deployments; scale() records. */
export class FakeDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  nodeList: DriverNode[] = [];
  podList: DriverPod[] = [];
  deploymentList: DriverDeployment[] = [];
  budgetList: DisruptionBudget[] = [];
  readonly scaleCalls: { namespace: string; name: string; replicas: number }[] = [];
  private readonly listeners = new Set<(w: ClusterChange) => void>();

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  nodes(): readonly DriverNode[] { return this.nodeList; }
  pods(): readonly DriverPod[] { return this.podList; }
  deployments(): readonly DriverDeployment[] { return this.deploymentList; }
  disruptionBudgets(): readonly DisruptionBudget[] { return this.budgetList; }
  synced(): boolean { return true; }
  onChange(l: (w: ClusterChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  changed(w: ClusterChange): void {
    for (const l of this.listeners) l(w);
  }
  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    this.scaleCalls.push({ namespace, name, replicas });
    this.deploymentList = this.deploymentList.map((d) => (d.namespace === namespace && d.name === name ? { ...d, replicas } : d));
    this.changed('deployments');
  }
  async cordon(): Promise<{ alreadyCordoned: boolean }> { return { alreadyCordoned: false }; }
  async uncordon(): Promise<void> {}
  async evict(): Promise<EvictionOutcome> { return { kind: 'gone' }; }

  /** A Deployment with n ready pods on `node`, each with one container requesting requestMilli. */
  addDeployment(name: string, n: number, requestMilli: number, node = 'node-a', namespace = 'default'): DriverPod[] {
    const pods: DriverPod[] = Array.from({ length: n }, (_, i) => ({
      uid: `${name}-uid-${i}`, namespace, name: `${name}-${i}`, node, phase: 'Running' as const, deleted: false,
      ready: true, readyTransitionMs: Date.now() - 600_000, startTimeMs: Date.now() - 900_000,
      containers: [{ name: 'app', id: 'c', cpuRequestMilli: requestMilli }], owner: { kind: 'Deployment', name },
    }));
    this.podList = [...this.podList, ...pods];
    this.deploymentList = [...this.deploymentList, { namespace, name, replicas: n, readyReplicas: n }];
    this.changed('pods');
    this.changed('deployments');
    return pods;
  }
}
