import { hmsError, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import { EventType } from '../../events/eventTypes.js';
import type { ClusterChange, DisruptionBudget, DriverDeployment, DriverNode, DriverPod, EvictionOutcome, PodPhase } from '../types.js';
import { budgetStatus, checkEviction, type BudgetPod, type BudgetStatus } from './disruptionBudget.js';
import type { LocalStore, StoredPid } from './localStore.js';
import type { DeploymentManifest, DisruptionBudgetManifest, ParsedManifests, PodTemplate } from './manifests.js';
import { canonicalJson, podName, randomUuid, templateHash } from './podNames.js';
import type { PodRuntime, RunningPod } from './podRuntime.js';
import { humanAge, podStatusText, type PodStatusRow } from './podStatus.js';
import type { ContainerStatus } from './processSupervisor.js';
import { formatCpuMilli } from './quantity.js';
import { planReplicas, type PlanPod } from './replicaPlan.js';
import { pickNode } from './scheduler.js';

/** How the driver reports events: `emit(type, fields)` (the composition root binds it to the EventLog). */
export type EmitFn = (type: string, fields: Record<string, unknown>) => void;

/** A node of the local driver (the host, or a virtual node). CPU in millicores. */
export interface LocalNode {
  readonly name: string;
  readonly virtual: boolean;
  readonly allocatableCpuMilli: number;
  readonly unschedulable: boolean;
  readonly ready: boolean;
  readonly bootId?: string;
  readonly kernelVersion?: string;
  readonly osImage?: string;
  /** Simulated kernel patch installed, active after the next simulated reboot. */
  readonly pendingKernelRelease?: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ApplyResult {
  readonly kind: 'Deployment' | 'PodDisruptionBudget';
  readonly namespace: string;
  readonly name: string;
  readonly action: 'created' | 'configured' | 'unchanged';
}

export interface DeploymentControllerOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly store: LocalStore;
  readonly runtime: PodRuntime;
  readonly emit: EmitFn;
  /** Safety-net reconcile period, ms (changes reconcile at once anyway). Default 1000. */
  readonly reconcileIntervalMs?: number;
  /** Start time of a pid (/proc/<pid>/stat field 22), stored to make post-crash kills safe. */
  readonly startTicksOf?: (pid: number) => number | undefined;
}

interface DeploymentState {
  manifest: DeploymentManifest;
  replicas: number;
  createdMs: number;
  hash: string;
}

interface PodState {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly deployment: string;
  readonly hash: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly template: PodTemplate;
  readonly createdMs: number;
  node?: string;
  startTimeMs?: number;
  deletedMs?: number;
  pending?: { reason: string; message: string };
  running?: RunningPod;
  containers: ContainerStatus[];
  ready: boolean;
  readyTransitionMs?: number;
  terminated?: Promise<void>;
  lastExitAtMs?: number;
}

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * The local cluster's brain: nodes, Deployments, PodDisruptionBudgets and pods, reconciled like the
 * Deployment/ReplicaSet controllers and kube-scheduler would. Decisions come from the pure cores
 * (replicaPlan, scheduler, disruptionBudget); processes come from the injected PodRuntime; state
 * is persisted through LocalStore before anything disruptive happens. Getters are synchronous.
 */
export class DeploymentController {
  private readonly nodeMap = new Map<string, LocalNode>();
  private readonly deploymentMap = new Map<string, DeploymentState>();
  private readonly budgetMap = new Map<string, DisruptionBudgetManifest>();
  private readonly podMap = new Map<string, PodState>();
  private readonly listeners = new Set<(what: ClusterChange) => void>();
  private readonly pendingChanges = new Set<ClusterChange>();
  private readonly startTicks = new Map<number, number | undefined>();
  private interval: TimerHandle | undefined;
  private reconcileQueued = false;
  private active = false;
  private halted = false;

  constructor(private readonly opts: DeploymentControllerOptions) {}

  // ---- lifecycle ---------------------------------------------------------------------------

  /** Loads Deployments and budgets from the store (pods are not restored: the driver recreates them). */
  load(): void {
    for (const d of this.opts.store.loadDeployments()) {
      this.deploymentMap.set(key(d.manifest.namespace, d.manifest.name), { manifest: d.manifest, replicas: d.replicas, createdMs: d.createdMs, hash: templateHash(d.manifest.template) });
    }
    for (const b of this.opts.store.loadBudgets()) this.budgetMap.set(key(b.namespace, b.name), b);
  }

  /** Starts reconciling (creating, scheduling and starting pods). */
  start(): void {
    this.active = true;
    this.interval = this.opts.clock.setInterval(() => this.reconcile(), this.opts.reconcileIntervalMs ?? 1000);
    this.reconcile();
  }

  /** Stops reconciling and stops every pod (grace capped at `maxGraceMs`); resolves when all are gone. */
  async stop(maxGraceMs: number): Promise<void> {
    this.active = false;
    this.interval?.cancel();
    const all = [...this.podMap.values()].map((p) => this.deletePod(p, Math.min(maxGraceMs, p.template.terminationGracePeriodSeconds * 1000), 'shutdown'));
    await Promise.all(all);
  }

  /** Stops all timers and forgets running pods without touching them (a simulated crash; tests). */
  halt(): void {
    this.active = false;
    this.halted = true;
    this.interval?.cancel();
    for (const p of this.podMap.values()) p.running?.abandon();
  }

  // ---- nodes --------------------------------------------------------------------------------

  /** Adds or replaces a node (persisted). */
  setNode(node: LocalNode): void {
    this.nodeMap.set(node.name, node);
    this.persistNode(node);
    this.changed('nodes');
    this.queueReconcile();
  }

  /** Updates some fields of a node (persisted). */
  updateNode(name: string, patch: Partial<Omit<LocalNode, 'name' | 'virtual'>>): LocalNode {
    const n = this.requireNode(name);
    const next: LocalNode = { ...n, ...patch };
    this.nodeMap.set(name, next);
    this.persistNode(next);
    this.changed('nodes');
    this.queueReconcile();
    return next;
  }

  private persistNode(n: LocalNode): void {
    this.opts.store.saveNode({
      name: n.name,
      virtual: n.virtual,
      unschedulable: n.unschedulable,
      bootId: n.bootId ?? '',
      kernelRelease: n.kernelVersion ?? '',
      ...(n.pendingKernelRelease ? { pendingKernelRelease: n.pendingKernelRelease } : {}),
    });
  }

  node(name: string): LocalNode | undefined {
    return this.nodeMap.get(name);
  }

  private requireNode(name: string): LocalNode {
    const n = this.nodeMap.get(name);
    if (!n) throw hmsError('HMS_NOT_FOUND', `no node ${name} (nodes: ${[...this.nodeMap.keys()].join(', ') || 'none'})`);
    return n;
  }

  async cordon(name: string): Promise<{ alreadyCordoned: boolean }> {
    const n = this.requireNode(name);
    if (n.unschedulable) return { alreadyCordoned: true };
    this.updateNode(name, { unschedulable: true });
    return { alreadyCordoned: false };
  }

  async uncordon(name: string): Promise<void> {
    const n = this.requireNode(name);
    if (n.unschedulable) this.updateNode(name, { unschedulable: false });
  }

  /** Deletes every pod bound to `node` (grace capped at `maxGraceMs`) and waits until they are gone. */
  async deleteNodePods(node: string, maxGraceMs: number, why: string): Promise<number> {
    const pods = [...this.podMap.values()].filter((p) => p.node === node);
    await Promise.all(pods.map((p) => this.deletePod(p, Math.min(maxGraceMs, p.template.terminationGracePeriodSeconds * 1000), why)));
    return pods.length;
  }

  // ---- manifests ----------------------------------------------------------------------------

  /** Creates or updates Deployments and budgets. All are validated before any is applied. */
  apply(parsed: ParsedManifests): ApplyResult[] {
    for (const m of parsed.manifests) {
      if (m.kind !== 'Deployment') continue;
      const existing = this.deploymentMap.get(key(m.namespace, m.name));
      if (existing && canonicalJson(existing.manifest.selector) !== canonicalJson(m.selector)) {
        throw hmsError('HMS_INPUT_INVALID', `Deployment ${m.namespace}/${m.name}: spec.selector is immutable (delete the Deployment to change it)`);
      }
    }
    const now = this.opts.clock.now();
    const results: ApplyResult[] = [];
    for (const m of parsed.manifests) {
      const k = key(m.namespace, m.name);
      if (m.kind === 'Deployment') {
        const existing = this.deploymentMap.get(k);
        const replicas = m.replicas ?? existing?.replicas ?? 1;
        let action: ApplyResult['action'] = 'created';
        if (existing) action = sameIgnoringReplicas(existing.manifest, m) && existing.replicas === replicas ? 'unchanged' : 'configured';
        const state: DeploymentState = { manifest: m, replicas, createdMs: existing?.createdMs ?? now, hash: templateHash(m.template) };
        if (action !== 'unchanged') {
          this.opts.store.saveDeployment({ manifest: m, replicas, createdMs: state.createdMs });
          this.deploymentMap.set(k, state);
          this.emit(EventType.DeploymentChanged, { namespace: m.namespace, deployment: m.name, change: action, replicas, ...(existing ? { previousReplicas: existing.replicas } : {}) });
          this.changed('deployments');
        }
        results.push({ kind: 'Deployment', namespace: m.namespace, name: m.name, action });
      } else {
        const existing = this.budgetMap.get(k);
        const action: ApplyResult['action'] = !existing ? 'created' : canonicalJson(existing) === canonicalJson(m) ? 'unchanged' : 'configured';
        if (action !== 'unchanged') {
          this.opts.store.saveBudget(m);
          this.budgetMap.set(k, m);
          this.changed('budgets');
        }
        results.push({ kind: 'PodDisruptionBudget', namespace: m.namespace, name: m.name, action });
      }
    }
    this.queueReconcile();
    return results;
  }

  /** Deletes a Deployment; its pods terminate gracefully in the background. Returns how many. */
  deleteDeployment(namespace: string, name: string): { pods: number } {
    const k = key(namespace, name);
    const d = this.deploymentMap.get(k);
    if (!d) throw hmsError('HMS_NOT_FOUND', `no deployment ${k}`);
    this.deploymentMap.delete(k);
    this.opts.store.deleteDeployment(namespace, name);
    const pods = this.ownedPods(namespace, name).filter((p) => p.deletedMs === undefined);
    for (const p of pods) void this.deletePod(p, p.template.terminationGracePeriodSeconds * 1000, 'deployment deleted');
    this.emit(EventType.DeploymentChanged, { namespace, deployment: name, change: 'deleted', replicas: 0, previousReplicas: d.replicas });
    this.changed('deployments');
    return { pods: pods.length };
  }

  deleteBudget(namespace: string, name: string): void {
    if (!this.budgetMap.delete(key(namespace, name))) throw hmsError('HMS_NOT_FOUND', `no poddisruptionbudget ${namespace}/${name}`);
    this.opts.store.deleteBudget(namespace, name);
    this.changed('budgets');
  }

  /** Sets spec.replicas (persisted). */
  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0) throw hmsError('HMS_INPUT_INVALID', `replicas must be an integer >= 0 (got ${replicas})`);
    const d = this.deploymentMap.get(key(namespace, name));
    if (!d) throw hmsError('HMS_NOT_FOUND', `no deployment ${namespace}/${name}`);
    if (d.replicas === replicas) return;
    const previous = d.replicas;
    d.replicas = replicas;
    this.opts.store.setReplicas(namespace, name, replicas);
    this.emit(EventType.DeploymentChanged, { namespace, deployment: name, change: 'scaled', replicas, previousReplicas: previous });
    this.changed('deployments');
    this.queueReconcile();
  }

  // ---- eviction -----------------------------------------------------------------------------

  async evict(ref: { namespace: string; name: string; uid: string; node: string }, opts?: { gracePeriodSeconds?: number }): Promise<EvictionOutcome> {
    const pod = [...this.podMap.values()].find((p) => p.namespace === ref.namespace && p.name === ref.name);
    if (!pod || pod.uid !== ref.uid || pod.node !== ref.node) return { kind: 'gone' };
    if (pod.deletedMs !== undefined) return { kind: 'evicted' };
    const check = checkEviction(this.budgetPod(pod), [...this.budgetMap.values()], this.budgetStatuses());
    if (check.kind === 'blocked') {
      this.opts.logger.info({ pod: key(pod.namespace, pod.name), budgets: check.budgets }, 'eviction blocked by a disruption budget');
      return check;
    }
    if (check.kind === 'error') return check;
    const graceMs = (opts?.gracePeriodSeconds ?? pod.template.terminationGracePeriodSeconds) * 1000;
    void this.deletePod(pod, graceMs, 'evicted');
    return { kind: 'evicted' };
  }

  private budgetPod(p: PodState): BudgetPod {
    return { uid: p.uid, namespace: p.namespace, labels: p.labels, ready: p.ready, deleted: p.deletedMs !== undefined, phase: this.phase(p), ownerKey: key(p.namespace, p.deployment) };
  }

  private budgetStatuses(): BudgetStatus[] {
    const pods = [...this.podMap.values()].map((p) => this.budgetPod(p));
    return [...this.budgetMap.values()].map((b) => budgetStatus(b, pods, (owner) => this.deploymentMap.get(owner)?.replicas));
  }

  // ---- reconcile ----------------------------------------------------------------------------

  private queueReconcile(): void {
    if (this.reconcileQueued || !this.active) return;
    this.reconcileQueued = true;
    queueMicrotask(() => {
      this.reconcileQueued = false;
      this.reconcile();
    });
  }

  /** One pass: replica counts per Deployment, then placement of pending pods. */
  reconcile(): void {
    if (!this.active) return;
    for (const d of this.deploymentMap.values()) {
      const owned = this.ownedPods(d.manifest.namespace, d.manifest.name);
      const plan = planReplicas(d.replicas, d.hash, owned.map((p) => this.planPod(p)), d.manifest.strategy);
      for (const uid of plan.remove) {
        const p = this.podMap.get(uid);
        if (p) void this.deletePod(p, p.template.terminationGracePeriodSeconds * 1000, p.hash === d.hash ? 'scale down' : 'rollout');
      }
      for (let i = 0; i < plan.create; i++) this.createPod(d);
    }
    this.schedulePending();
  }

  private ownedPods(namespace: string, deployment: string): PodState[] {
    return [...this.podMap.values()].filter((p) => p.namespace === namespace && p.deployment === deployment);
  }

  private planPod(p: PodState): PlanPod {
    return {
      uid: p.uid,
      templateHash: p.hash,
      scheduled: p.node !== undefined,
      running: this.phase(p) === 'Running',
      ready: p.ready,
      restartCount: restarts(p.containers),
      createdMs: p.createdMs,
      deleted: p.deletedMs !== undefined,
    };
  }

  private createPod(d: DeploymentState): void {
    const m = d.manifest;
    const taken = new Set([...this.podMap.values()].filter((p) => p.namespace === m.namespace).map((p) => p.name));
    let name = podName(m.name, d.hash, this.opts.random);
    while (taken.has(name)) name = podName(m.name, d.hash, this.opts.random);
    const pod: PodState = {
      uid: randomUuid(this.opts.random),
      namespace: m.namespace,
      name,
      deployment: m.name,
      hash: d.hash,
      labels: { ...m.template.labels, 'pod-template-hash': d.hash },
      template: m.template,
      createdMs: this.opts.clock.now(),
      containers: [],
      ready: false,
    };
    this.podMap.set(pod.uid, pod);
    this.persistPod(pod);
    this.event(pod, 'created');
    this.changed('pods');
  }

  private schedulePending(): void {
    const pending = [...this.podMap.values()].filter((p) => p.node === undefined && p.deletedMs === undefined).sort((a, b) => a.createdMs - b.createdMs);
    if (pending.length === 0) return;
    const nodes = [...this.nodeMap.values()];
    for (const pod of pending) {
      const bound = [...this.podMap.values()].flatMap((p) => (p.node === undefined ? [] : [{ node: p.node, cpuRequestMilli: requestOf(p.template) }]));
      const placement = pickNode(nodes, bound, requestOf(pod.template));
      if (placement.kind === 'placed') {
        pod.node = placement.node;
        pod.pending = undefined;
        this.persistPod(pod);
        this.event(pod, 'scheduled');
        this.startPod(pod);
        this.changed('pods');
      } else if (pod.pending?.message !== placement.message) {
        pod.pending = { reason: placement.reason, message: placement.message };
        this.persistPod(pod);
        this.event(pod, 'unschedulable', { reason: placement.reason, message: placement.message });
        this.changed('pods');
      }
    }
  }

  private startPod(pod: PodState): void {
    const node = pod.node;
    if (node === undefined) return;
    pod.startTimeMs = this.opts.clock.now();
    pod.running = this.opts.runtime.start({ uid: pod.uid, namespace: pod.namespace, name: pod.name, node, containers: pod.template.containers }, () => this.onRuntimeChange(pod.uid));
    pod.containers = pod.running.containers();
    this.persistPod(pod);
  }

  private onRuntimeChange(uid: string): void {
    const pod = this.podMap.get(uid);
    if (!pod || !pod.running || this.halted) return;
    const before = pod.containers;
    pod.containers = pod.running.containers();
    const ready = pod.deletedMs === undefined && pod.containers.length > 0 && pod.containers.every((c) => c.state === 'running' && c.ready);
    if (ready !== pod.ready) {
      pod.ready = ready;
      pod.readyTransitionMs = this.opts.clock.now();
      this.event(pod, ready ? 'ready' : 'not-ready');
      this.queueReconcile();
    }
    for (const c of pod.containers) {
      const prev = before.find((b) => b.name === c.name);
      if (prev?.pid !== undefined && prev.pid !== c.pid) this.startTicks.delete(prev.pid);
      if (c.lastExitAtMs !== undefined && c.lastExitAtMs !== prev?.lastExitAtMs && pod.deletedMs === undefined) {
        this.event(pod, 'container-exited', { container: c.name, exit: c.lastExitReason, restartCount: c.restartCount });
      }
      if (c.everStarted && !prev?.everStarted) this.event(pod, 'started', { container: c.name });
    }
    this.persistPod(pod);
    this.changed('pods');
  }

  /** Marks a pod deleted and stops it (SIGTERM, grace, SIGKILL). Resolves when it is gone. */
  private deletePod(pod: PodState, graceMs: number, why: string): Promise<void> {
    if (pod.terminated) return pod.terminated;
    pod.deletedMs = this.opts.clock.now();
    if (pod.ready) {
      pod.ready = false;
      pod.readyTransitionMs = pod.deletedMs;
    }
    this.persistPod(pod);
    this.event(pod, 'terminating', { reason: why, gracePeriodSeconds: Math.round(graceMs / 1000) });
    this.changed('pods');
    const running = pod.running;
    pod.terminated = (async () => {
      if (running) {
        try {
          await running.stop(graceMs);
        } catch (err) {
          this.opts.logger.error({ err, pod: key(pod.namespace, pod.name) }, 'stopping a pod failed');
        }
      }
      if (this.halted) return;
      for (const c of pod.containers) if (c.pid !== undefined) this.startTicks.delete(c.pid);
      this.podMap.delete(pod.uid);
      this.opts.store.deletePod(pod.uid);
      this.event(pod, 'deleted', { reason: why });
      this.changed('pods');
      this.queueReconcile();
    })();
    return pod.terminated;
  }

  private persistPod(p: PodState): void {
    if (this.halted) return;
    const pids: StoredPid[] = [];
    for (const c of p.containers) {
      if (c.pid === undefined) continue;
      if (!this.startTicks.has(c.pid)) this.startTicks.set(c.pid, this.opts.startTicksOf?.(c.pid));
      const startTicks = this.startTicks.get(c.pid);
      pids.push({ container: c.name, pid: c.pid, ...(startTicks !== undefined ? { startTicks } : {}) });
    }
    const last = lastExit(p.containers);
    this.opts.store.savePod({
      uid: p.uid,
      namespace: p.namespace,
      name: p.name,
      deployment: p.deployment,
      templateHash: p.hash,
      ...(p.node !== undefined ? { node: p.node } : {}),
      phase: this.phase(p),
      createdMs: p.createdMs,
      ...(p.deletedMs !== undefined ? { deletedMs: p.deletedMs } : {}),
      restartCount: restarts(p.containers),
      ...(last ? { lastExitReason: last } : {}),
      status: p.containers,
      pids,
    });
  }

  /** Events are reports: a failing sink (e.g. a full disk under the event log) never stops the controller. */
  private emit(type: string, fields: Record<string, unknown>): void {
    try {
      this.opts.emit(type, fields);
    } catch (err) {
      this.opts.logger.error({ err, type }, 'cannot record an event');
    }
  }

  private event(p: PodState, change: string, extra: Record<string, unknown> = {}): void {
    this.emit(EventType.PodChanged, { namespace: p.namespace, pod: p.name, uid: p.uid, deployment: p.deployment, node: p.node ?? null, change, ...extra });
  }

  // ---- views --------------------------------------------------------------------------------

  onChange(listener: (what: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(what: ClusterChange): void {
    if (this.pendingChanges.size === 0) {
      queueMicrotask(() => {
        const whats = [...this.pendingChanges];
        this.pendingChanges.clear();
        for (const w of whats) {
          for (const l of this.listeners) {
            try {
              l(w);
            } catch (err) {
              this.opts.logger.error({ err }, 'cluster change listener failed');
            }
          }
        }
      });
    }
    this.pendingChanges.add(what);
  }

  private phase(p: PodState): PodPhase {
    if (p.node === undefined) return 'Pending';
    return p.containers.some((c) => c.everStarted) ? 'Running' : 'Pending';
  }

  localNodes(): LocalNode[] {
    return [...this.nodeMap.values()];
  }

  nodes(): DriverNode[] {
    return [...this.nodeMap.values()].map((n) => ({
      name: n.name,
      allocatableCpuMilli: n.allocatableCpuMilli,
      unschedulable: n.unschedulable,
      ready: n.ready,
      ...(n.bootId ? { bootId: n.bootId } : {}),
      ...(n.kernelVersion ? { kernelVersion: n.kernelVersion } : {}),
      ...(n.osImage ? { osImage: n.osImage } : {}),
      labels: n.labels,
      taints: n.unschedulable ? ['node.kubernetes.io/unschedulable:NoSchedule'] : [],
    }));
  }

  pods(): DriverPod[] {
    return [...this.podMap.values()].map((p) => {
      const last = lastExit(p.containers);
      return {
        uid: p.uid,
        namespace: p.namespace,
        name: p.name,
        ...(p.node !== undefined ? { node: p.node } : {}),
        phase: this.phase(p),
        deleted: p.deletedMs !== undefined,
        ...(p.node !== undefined ? { ready: p.ready } : {}),
        ...(p.readyTransitionMs !== undefined ? { readyTransitionMs: p.readyTransitionMs } : {}),
        ...(p.startTimeMs !== undefined ? { startTimeMs: p.startTimeMs } : {}),
        containers: p.template.containers.map((c) => ({
          name: c.name,
          id: c.name,
          ...(c.cpuRequestMilli !== undefined ? { cpuRequestMilli: c.cpuRequestMilli } : {}),
          ...(c.cpuLimitMilli !== undefined ? { cpuLimitMilli: c.cpuLimitMilli } : {}),
          ...(c.image !== undefined ? { image: c.image } : {}),
        })),
        owner: { kind: 'Deployment', name: p.deployment },
        qosClass: qosClass(p.template),
        restartCount: restarts(p.containers),
        ...(last ? { lastTerminationReason: last } : {}),
        labels: p.labels,
      };
    });
  }

  deployments(): DriverDeployment[] {
    return [...this.deploymentMap.values()].map((d) => ({
      namespace: d.manifest.namespace,
      name: d.manifest.name,
      replicas: d.replicas,
      readyReplicas: this.ownedPods(d.manifest.namespace, d.manifest.name).filter((p) => p.ready && p.deletedMs === undefined).length,
      labels: d.manifest.labels,
    }));
  }

  /** The stored manifest of a Deployment (for `get deployment -o yaml`-like views). */
  deploymentManifest(namespace: string, name: string): DeploymentManifest | undefined {
    return this.deploymentMap.get(key(namespace, name))?.manifest;
  }

  disruptionBudgets(): DisruptionBudget[] {
    const statuses = this.budgetStatuses();
    return [...this.budgetMap.values()].map((b) => {
      const s = statuses.find((x) => x.namespace === b.namespace && x.name === b.name);
      return {
        namespace: b.namespace,
        name: b.name,
        podUids: s?.podUids ?? [],
        disruptionsAllowed: s?.disruptionsAllowed ?? 0,
        ...(b.minAvailable !== undefined ? { minAvailable: b.minAvailable } : {}),
        ...(b.maxUnavailable !== undefined ? { maxUnavailable: b.maxUnavailable } : {}),
      };
    });
  }

  /** Rows for `hms-sys get pods`, sorted by namespace then name. */
  listPodStatuses(): PodStatusRow[] {
    const now = this.opts.clock.now();
    return [...this.podMap.values()]
      .sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1))
      .map((p) => {
        const total = p.template.containers.length;
        const readyCount = p.containers.filter((c) => c.state === 'running' && c.ready).length;
        const status = p.deletedMs !== undefined ? 'Terminating' : p.node === undefined ? 'Pending' : podStatusText(p.containers);
        const waiting = p.containers.find((c) => c.state !== 'running' && c.message);
        const message = p.node === undefined ? p.pending?.message : waiting?.message;
        const request = p.template.containers.some((c) => c.cpuRequestMilli !== undefined) ? requestOf(p.template) : undefined;
        return {
          namespace: p.namespace,
          name: p.name,
          uid: p.uid,
          deployment: p.deployment,
          ready: `${readyCount}/${total}`,
          status,
          restarts: restarts(p.containers),
          lastExit: lastExit(p.containers) ?? '-',
          node: p.node ?? '<none>',
          cpuRequest: formatCpuMilli(request),
          age: humanAge(now - p.createdMs),
          createdMs: p.createdMs,
          ...(message ? { message } : {}),
          pids: p.containers.flatMap((c) => (c.pid === undefined ? [] : [c.pid])),
        };
      });
  }

  /** Live pods with their container pids, per node (for the process-workloads file). */
  podProcesses(): { node: string; uid: string; namespace: string; name: string; containers: { name: string; pid: number; startTicks?: number }[] }[] {
    return [...this.podMap.values()].flatMap((p) => {
      if (p.node === undefined) return [];
      const containers = p.containers.flatMap((c) => {
        if (c.pid === undefined) return [];
        const startTicks = this.startTicks.get(c.pid);
        return [{ name: c.name, pid: c.pid, ...(startTicks !== undefined ? { startTicks } : {}) }];
      });
      return [{ node: p.node, uid: p.uid, namespace: p.namespace, name: p.name, containers }];
    });
  }
}

/** Manifests equal apart from spec.replicas (kept separately: scale never rewrites the manifest). */
function sameIgnoringReplicas(a: DeploymentManifest, b: DeploymentManifest): boolean {
  return canonicalJson({ ...a, replicas: undefined }) === canonicalJson({ ...b, replicas: undefined });
}

/** Sum of container CPU requests in millicores (0 for containers without one). */
function requestOf(t: PodTemplate): number {
  return t.containers.reduce((s, c) => s + (c.cpuRequestMilli ?? 0), 0);
}

function restarts(cs: readonly ContainerStatus[]): number {
  return cs.reduce((s, c) => s + c.restartCount, 0);
}

/** The most recent exit reason over the containers. */
function lastExit(cs: readonly ContainerStatus[]): string | undefined {
  let best: ContainerStatus | undefined;
  for (const c of cs) if (c.lastExitReason && (best === undefined || (c.lastExitAtMs ?? 0) >= (best.lastExitAtMs ?? 0))) best = c;
  return best?.lastExitReason;
}

/** QoS class from CPU alone (memory is not modelled): Guaranteed when every container's request equals its limit. */
function qosClass(t: PodTemplate): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  if (t.containers.every((c) => c.cpuRequestMilli === undefined && c.cpuLimitMilli === undefined)) return 'BestEffort';
  if (t.containers.every((c) => c.cpuLimitMilli !== undefined && c.cpuRequestMilli === c.cpuLimitMilli)) return 'Guaranteed';
  return 'Burstable';
}
