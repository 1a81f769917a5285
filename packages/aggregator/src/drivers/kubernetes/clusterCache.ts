import type { V1Deployment, V1Node, V1Pod, V1PodDisruptionBudget, V1ReplicaSet } from '@kubernetes/client-node';
import type { ClusterChange, DisruptionBudget, DriverDeployment, DriverNode, DriverPod } from '../types.js';
import { selectorMatches } from './labelSelector.js';
import { ObjectStore } from './objectStore.js';
import { nodeFromKube } from './nodeFromKube.js';
import { podFromKube, type KubePod } from './podFromKube.js';
import { budgetFromKube, deploymentFromKube, replicaSetFromKube, type KubeBudget, type KubeReplicaSet } from './workloadsFromKube.js';

/** A cached Deployment with the resourceVersion it was seen at. */
export interface CachedDeployment {
  readonly deployment: DriverDeployment;
  readonly resourceVersion: string;
}

/**
 * The in-memory cluster view of the Kubernetes driver: one store per watched kind, converted on
 * arrival, and read-side arrays built lazily and memoised until the next change, so reads are
 * synchronous and cheap.
 */
export class ClusterCache {
  readonly pods: ObjectStore<KubePod>;
  readonly nodes: ObjectStore<DriverNode>;
  readonly replicaSets: ObjectStore<KubeReplicaSet>;
  readonly deployments: ObjectStore<CachedDeployment>;
  readonly budgets: ObjectStore<KubeBudget>;

  private podsView: DriverPod[] | undefined;
  private nodesView: DriverNode[] | undefined;
  private deploymentsView: DriverDeployment[] | undefined;
  private budgetsView: DisruptionBudget[] | undefined;

  constructor(notify: (what: ClusterChange) => void) {
    this.pods = new ObjectStore((o) => podFromKube(o as V1Pod), () => {
      this.podsView = undefined;
      this.budgetsView = undefined;
      notify('pods');
    });
    this.nodes = new ObjectStore((o) => nodeFromKube(o as V1Node), () => {
      this.nodesView = undefined;
      notify('nodes');
    });
    // A ReplicaSet change can change which Deployment owns a pod.
    this.replicaSets = new ObjectStore((o) => replicaSetFromKube(o as V1ReplicaSet), () => {
      this.podsView = undefined;
      notify('pods');
    });
    this.deployments = new ObjectStore((o) => ({
      deployment: deploymentFromKube(o as V1Deployment),
      resourceVersion: String((o as V1Deployment).metadata?.resourceVersion ?? ''),
    }), () => {
      this.deploymentsView = undefined;
      notify('deployments');
    }, (existing, incoming) => newerVersion(existing.resourceVersion, incoming.resourceVersion));
    this.budgets = new ObjectStore((o) => budgetFromKube(o as V1PodDisruptionBudget), () => {
      this.budgetsView = undefined;
      notify('budgets');
    });
  }

  podList(): readonly DriverPod[] {
    if (!this.podsView) {
      const out: DriverPod[] = [];
      for (const { pod } of this.pods.values()) out.push(this.resolveOwner(pod));
      this.podsView = out;
    }
    return this.podsView;
  }

  nodeList(): readonly DriverNode[] {
    return (this.nodesView ??= [...this.nodes.values()]);
  }

  deploymentList(): readonly DriverDeployment[] {
    return (this.deploymentsView ??= [...this.deployments.values()].map((d) => d.deployment));
  }

  budgetList(): readonly DisruptionBudget[] {
    if (!this.budgetsView) {
      const byNamespace = new Map<string, KubePod[]>();
      for (const p of this.pods.values()) {
        let list = byNamespace.get(p.pod.namespace);
        if (!list) byNamespace.set(p.pod.namespace, (list = []));
        list.push(p);
      }
      this.budgetsView = [...this.budgets.values()].map((b) => ({
        namespace: b.namespace,
        name: b.name,
        podUids: (byNamespace.get(b.namespace) ?? []).filter((p) => selectorMatches(b.selector, p.pod.labels ?? {})).map((p) => p.pod.uid),
        disruptionsAllowed: b.disruptionsAllowed,
        ...(b.minAvailable !== undefined ? { minAvailable: b.minAvailable } : {}),
        ...(b.maxUnavailable !== undefined ? { maxUnavailable: b.maxUnavailable } : {}),
      }));
    }
    return this.budgetsView;
  }

  /** The cached pod `namespace/name` with its owner resolved. */
  pod(namespace: string, name: string): { pod: DriverPod; apiUid: string } | undefined {
    const p = this.pods.get(`${namespace}/${name}`);
    return p ? { pod: this.resolveOwner(p.pod), apiUid: p.apiUid } : undefined;
  }

  /** `namespace/name` of every PodDisruptionBudget whose selector matches the pod's labels. */
  budgetsSelecting(pod: { namespace: string; labels?: Readonly<Record<string, string>> }): string[] {
    const out: string[] = [];
    for (const b of this.budgets.values()) {
      if (b.namespace === pod.namespace && selectorMatches(b.selector, pod.labels ?? {})) out.push(`${b.namespace}/${b.name}`);
    }
    return out.sort();
  }

  /**
   * Records a Deployment's new replica count from a successful scale write, unless the watch has
   * already delivered a newer version: the autoscaler must not act on the old count for the
   * moment it takes the watch event to arrive (it would count the same scale-up twice).
   */
  noteScaled(namespace: string, name: string, replicas: number, resourceVersion: string | undefined): void {
    const key = `${namespace}/${name}`;
    const cached = this.deployments.get(key);
    if (!cached || !resourceVersion || !newerVersion(resourceVersion, cached.resourceVersion)) return;
    this.deployments.set(key, { deployment: { ...cached.deployment, replicas }, resourceVersion });
  }

  private resolveOwner(pod: DriverPod): DriverPod {
    if (pod.owner?.kind !== 'ReplicaSet') return pod;
    const rs = this.replicaSets.get(`${pod.namespace}/${pod.owner.name}`);
    return rs?.owner?.kind === 'Deployment' ? { ...pod, owner: rs.owner } : pod;
  }
}

/**
 * Kubernetes says resourceVersions are opaque; etcd-backed servers use increasing integers, and
 * only then do we compare. Anything else: not provably newer.
 */
function newerVersion(a: string, b: string): boolean {
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return false;
  return BigInt(a) > BigInt(b);
}
