import type { FakeKubeApi } from './fakeKubeApi.js';
import { selects } from './fakeKubeApi.js';
import type { KObj } from './fakeStore.js';

/**
 * The control-plane loops a patch run relies on, for the fake API server (opt-in: a test that
 * needs a live cluster starts them; every other test keeps a static one):
 *
 * - ReplicaSet controller: keeps `replicas` live pods per ReplicaSet (the owning Deployment's
 *   spec.replicas, else the ReplicaSet's own), creating replacements from `spec.template`
 *   (pods named `<rs>-<5 chars>`, a controller ownerReference) and deleting extras;
 * - scheduler: binds a new pod to a Ready, schedulable (not cordoned), untainted node where its
 *   CPU requests fit — fewest pods of the same ReplicaSet first (the default scheduler's
 *   spreading), then most free CPU, then name. A pod that fits nowhere stays Pending and unbound
 *   until a node frees up or is uncordoned;
 * - kubelet: a bound pod is Running at once and Ready after `readyAfterMs`;
 * - Deployment status: replicas / readyReplicas / availableReplicas / updatedReplicas counted
 *   from its ReplicaSets' live pods (what the health gate reads);
 * - disruption controller: PodDisruptionBudget status (expectedPods, currentHealthy,
 *   desiredHealthy, disruptionsAllowed = max(0, healthy - desired)) from the pods it selects,
 *   with expectedPods from the owning Deployments' scale for maxUnavailable / percentages as
 *   the real controller does. The eviction subresource decrements disruptionsAllowed itself
 *   (FakeKubeApi.evict); this loop recomputes it once the pod is gone and again when the
 *   replacement is Ready.
 *
 * Every write goes through the fake's store, so the driver sees it on its watches like any other
 * write. A change schedules one reconcile on a later macrotask (never inside the store's emit,
 * which would reorder watch events); each reconcile writes only what differs, so it settles.
 */
export class FakeControllers {
  /** Pods this controller created, in order, with the node the scheduler bound them to. */
  readonly created: { name: string; replicaSet: string; node: string | undefined }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private scheduled: NodeJS.Immediate | undefined;
  private running = false;
  private counter = 0;
  private readonly listener = (plural: string): void => {
    if (WATCHED.has(plural)) this.schedule();
  };

  constructor(private readonly api: FakeKubeApi, private readonly opts: { readonly readyAfterMs?: number } = {}) {}

  start(): this {
    this.running = true;
    this.api.store.listeners.add(this.listener);
    this.schedule();
    return this;
  }

  stop(): void {
    this.running = false;
    this.api.store.listeners.delete(this.listener);
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** True when no reconcile is pending and no pod is waiting to become Ready. */
  idle(): boolean {
    return this.scheduled === undefined && this.timers.size === 0;
  }

  private schedule(): void {
    if (!this.running || this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      if (this.running) this.reconcile();
    });
  }

  private reconcile(): void {
    this.replicaSets();
    this.bindPending();
    // Budgets before Deployments: by the time a Deployment shows a replacement Ready (the health
    // gate), its budget already counts it.
    this.budgetStatus();
    this.deploymentStatus();
  }

  // ------------------------------------------------------------ ReplicaSet controller + scheduler

  private replicaSets(): void {
    for (const rs of this.api.store.list('replicasets')) {
      // Without a template this ReplicaSet cannot make pods (replicaSet() test objects): leave its pods alone.
      if (!rs.spec?.template) continue;
      const ns = rs.metadata.namespace as string;
      const owner = controllerOf(rs);
      const deployment = owner?.kind === 'Deployment' ? this.api.get('deployments', ns, owner.name) : undefined;
      const want = Number(deployment?.spec?.replicas ?? rs.spec?.replicas ?? 1);
      const live = this.podsOf(rs);
      for (let i = live.length; i < want; i++) this.createPod(rs);
      // Scale down: the newest go first.
      for (const extra of live.slice(want).reverse()) this.api.remove('pods', ns, extra.metadata.name);
    }
  }

  private createPod(rs: KObj): void {
    const template = rs.spec.template;
    const ns = rs.metadata.namespace as string;
    const name = `${rs.metadata.name}-${suffix(++this.counter)}`;
    const pod: KObj = {
      metadata: {
        name, namespace: ns, labels: { ...(template.metadata?.labels ?? {}) },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(template.spec ?? {}),
      status: { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
    };
    const node = this.pickNode(pod);
    this.api.put('pods', node ? bound(pod, node) : pod);
    this.created.push({ name, replicaSet: rs.metadata.name, node });
    if (node) this.readyLater(ns, name);
  }

  private bindPending(): void {
    for (const p of this.api.store.list('pods')) {
      if (p.spec?.nodeName || p.metadata.deletionTimestamp || controllerOf(p)?.kind !== 'ReplicaSet') continue;
      const node = this.pickNode(p);
      if (!node) continue;
      this.api.put('pods', bound(p, node));
      const rec = this.created.find((c) => c.name === p.metadata.name);
      if (rec) rec.node = node;
      this.readyLater(p.metadata.namespace as string, p.metadata.name);
    }
  }

  /** The default scheduler, reduced: filter (Ready, schedulable, untainted, CPU fits), then spread, then most free CPU, then name. */
  private pickNode(pod: KObj): string | undefined {
    const want = podCpuMilli(pod);
    const rs = controllerOf(pod)?.name;
    const pods = this.api.store.list('pods').filter((p) => p.spec?.nodeName && !isFinished(p));
    const candidates = this.api.store.list('nodes')
      .filter((n) => n.spec?.unschedulable !== true && isReady(n) && !(n.spec?.taints ?? []).some((t: { effect: string }) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
      .map((n) => {
        const on = pods.filter((p) => p.spec.nodeName === n.metadata.name);
        const free = cpuMilli(n.status?.allocatable?.cpu) - on.reduce((s, p) => s + podCpuMilli(p), 0);
        const siblings = on.filter((p) => controllerOf(p)?.name === rs && p.metadata.namespace === pod.metadata.namespace).length;
        return { name: n.metadata.name, free, siblings };
      })
      .filter((n) => n.free >= want)
      .sort((a, b) => a.siblings - b.siblings || b.free - a.free || a.name.localeCompare(b.name));
    return candidates[0]?.name;
  }

  /** Kubelet: the containers start; the pod turns Ready after readyAfterMs. */
  private readyLater(namespace: string, name: string): void {
    const uid = this.api.get('pods', namespace, name)?.metadata.uid;
    const t = setTimeout(() => {
      this.timers.delete(t);
      const p = this.api.get('pods', namespace, name);
      if (!this.running || !p || p.metadata.uid !== uid || p.metadata.deletionTimestamp) return;
      this.api.modify('pods', namespace, name, (o) => {
        const now = isoNow();
        o.status = {
          ...o.status,
          conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }, { type: 'Ready', status: 'True', lastTransitionTime: now }],
          containerStatuses: (o.spec?.containers ?? []).map((c: { name: string; image?: string }) => ({
            name: c.name, ready: true, started: true, restartCount: 0, image: c.image ?? '', imageID: 'sha256:x',
            containerID: `containerd://${name}-${c.name}`, state: { running: { startedAt: now } },
          })),
        };
      });
    }, this.opts.readyAfterMs ?? 200);
    this.timers.add(t);
  }

  private podsOf(rs: KObj): KObj[] {
    return this.api.store.list('pods', rs.metadata.namespace).filter((p) => {
      const c = controllerOf(p);
      return c?.kind === 'ReplicaSet' && c.name === rs.metadata.name && !p.metadata.deletionTimestamp && !isFinished(p);
    });
  }

  // ------------------------------------------------------------ statuses

  private deploymentStatus(): void {
    for (const d of this.api.store.list('deployments')) {
      const ns = d.metadata.namespace as string;
      const pods = this.api.store.list('replicasets', ns)
        .filter((rs) => controllerOf(rs)?.kind === 'Deployment' && controllerOf(rs)?.name === d.metadata.name)
        .flatMap((rs) => this.podsOf(rs));
      const ready = pods.filter(isReady).length;
      const next = { ...d.status, observedGeneration: d.metadata.generation ?? 1, replicas: pods.length, updatedReplicas: pods.length, readyReplicas: ready, availableReplicas: ready };
      if (JSON.stringify(next) !== JSON.stringify(d.status)) this.api.modify('deployments', ns, d.metadata.name, (o) => (o.status = next));
    }
  }

  private budgetStatus(): void {
    for (const b of this.api.store.list('poddisruptionbudgets')) {
      const ns = b.metadata.namespace as string;
      const pods = this.api.store.list('pods', ns).filter((p) => !p.metadata.deletionTimestamp && selects(b.spec?.selector, (p.metadata.labels ?? {}) as Record<string, string>));
      const healthy = pods.filter(isReady).length;
      const { minAvailable, maxUnavailable } = b.spec ?? {};
      const needsScale = maxUnavailable !== undefined || typeof minAvailable === 'string';
      const expected = needsScale ? this.expectedFromScale(pods) : pods.length;
      const desired = maxUnavailable !== undefined
        ? Math.max(0, expected - scaled(maxUnavailable, expected))
        : scaled(minAvailable ?? 1, expected);
      const next = {
        ...b.status, observedGeneration: b.metadata.generation ?? 1, expectedPods: expected, currentHealthy: healthy, desiredHealthy: desired,
        disruptionsAllowed: Math.max(0, healthy - desired),
      };
      if (JSON.stringify(next) !== JSON.stringify(b.status)) this.api.modify('poddisruptionbudgets', ns, b.metadata.name, (o) => (o.status = next));
    }
  }

  /** Σ spec.replicas of the Deployments (via their ReplicaSets) owning the pods; pods of other owners count one each. */
  private expectedFromScale(pods: readonly KObj[]): number {
    const deployments = new Map<string, number>();
    let loose = 0;
    for (const p of pods) {
      const rsRef = controllerOf(p);
      const rs = rsRef?.kind === 'ReplicaSet' ? this.api.get('replicasets', p.metadata.namespace, rsRef.name) : undefined;
      const dRef = rs ? controllerOf(rs) : undefined;
      const d = dRef?.kind === 'Deployment' ? this.api.get('deployments', p.metadata.namespace, dRef.name) : undefined;
      if (d) deployments.set(`${p.metadata.namespace}/${dRef?.name}`, Number(d.spec?.replicas ?? 1));
      else loose++;
    }
    return [...deployments.values()].reduce((s, n) => s + n, loose);
  }
}

const WATCHED = new Set(['pods', 'nodes', 'replicasets', 'deployments', 'poddisruptionbudgets']);
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Five characters like the ReplicaSet controller's random suffixes, but deterministic. */
function suffix(n: number): string {
  let out = '';
  let v = n * 7919 + 104_729;
  for (let i = 0; i < 5; i++) {
    out += ALPHABET[v % ALPHABET.length];
    v = Math.floor(v / ALPHABET.length);
  }
  return out;
}

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function bound(pod: KObj, node: string): KObj {
  const now = isoNow();
  const p = structuredClone(pod);
  p.spec = { ...p.spec, nodeName: node };
  p.status = {
    phase: 'Running', qosClass: 'Burstable', startTime: now,
    conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: now }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastTransitionTime: now }],
    containerStatuses: (p.spec.containers ?? []).map((c: { name: string; image?: string }) => ({ name: c.name, ready: false, started: false, restartCount: 0, image: c.image ?? '', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } })),
  };
  return p;
}

function controllerOf(o: KObj): { kind: string; name: string } | undefined {
  const refs = (o.metadata.ownerReferences ?? []) as { kind: string; name: string; controller?: boolean }[];
  return refs.find((r) => r.controller === true);
}

function isReady(o: KObj): boolean {
  return ((o.status?.conditions ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');
}

function isFinished(p: KObj): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** CPU quantity → millicores ('500m', '2', '1.5'); anything else 0. */
function cpuMilli(q: unknown): number {
  if (typeof q === 'number') return Math.round(q * 1000);
  if (typeof q !== 'string') return 0;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q.trim());
  if (!m) return 0;
  return m[2] === 'm' ? Math.round(Number(m[1])) : Math.round(Number(m[1]) * 1000);
}

function podCpuMilli(p: KObj): number {
  return ((p.spec?.containers ?? []) as { resources?: { requests?: { cpu?: string } } }[]).reduce((s, c) => s + cpuMilli(c.resources?.requests?.cpu), 0);
}

/** An int-or-percent budget field as a count of `of` pods (Kubernetes rounds percentages up). */
function scaled(v: number | string, of: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v.trim());
  return m ? Math.ceil((Number(m[1]) / 100) * of) : Number(v) || 0;
}
