import { hmsError, silentLogger, systemClock, systemRandom, type Clock, type Logger, type Random } from '@hms-sys/common';
import type { KubeConfig, V1Node, V1Pod } from '@kubernetes/client-node';
import type { ClusterChange, ClusterDriver, ClusterEvent, DisruptionBudget, DriverDeployment, DriverNode, DriverPod, EvictionOutcome } from '../types.js';
import { ClusterCache } from './clusterCache.js';
import { KubeApi, DEFAULT_REQUEST_TIMEOUT_MS, kubeError, kubeFailure, mergePatch } from './kubeApi.js';
import { KubeScalingPolicySource, DEFAULT_STATUS_MIN_INTERVAL_MS } from './kubeScalingPolicySource.js';
import { LeaseElector, type LeaderElectionConfig } from './leaseElector.js';
import { DEFAULT_LIST_WATCH_OPTIONS, ListWatcher, type ListPage, type ListWatchHandler, type ListWatchOptions } from './listWatcher.js';
import { podFromKube } from './podFromKube.js';

export interface KubernetesDriverOptions {
  /** Loaded by the caller (loadKubeConfig: --kubeconfig, KUBECONFIG, in-cluster, ~/.kube/config). */
  readonly kubeConfig: KubeConfig;
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logger?: Logger;
  /** Lease-based leader election; undefined = this process always acts (one replica, no Lease). */
  readonly leaderElection?: LeaderElectionConfig;
  readonly listWatch?: Partial<ListWatchOptions>;
  /** Bound on each API request (default 30 s). */
  readonly requestTimeoutMs?: number;
  /** Least time between ScalingPolicy status writes that only change the utilization (default 15 s). */
  readonly statusMinIntervalMs?: number;
}

/** Retries of a cordon whose merge patch raced with another writer of the Node (409). */
const CORDON_ATTEMPTS = 3;
/** Kubernetes Events being written at once; more are dropped (and counted in the log). */
const MAX_EVENTS_IN_FLIGHT = 16;
/** The API server refuses longer Event messages. */
const MAX_EVENT_MESSAGE = 1024;

/**
 * The cluster driver for Kubernetes (client-node 1.4.0).
 *
 * Read side: list-watches of Pods, Nodes, ReplicaSets (only to resolve Pod -> ReplicaSet ->
 * Deployment), Deployments, PodDisruptionBudgets (policy/v1) and ScalingPolicies, kept in memory
 * and read synchronously. Nothing here assumes it runs on a node: it talks to the API server only.
 *
 * Write side, only while leader: scale through the Deployment's `scale` subresource (never a
 * whole-Deployment replace, which would fight other writers), cordon/uncordon as merge patches of
 * `spec.unschedulable`, and policy/v1 Evictions with the pod's uid as a precondition.
 * HorizontalPodAutoscaler objects are never read or written.
 */
export class KubernetesDriver implements ClusterDriver {
  readonly kind = 'kubernetes' as const;
  readonly policies: KubeScalingPolicySource;
  private readonly api: KubeApi;
  private readonly cache: ClusterCache;
  private readonly watchers: ListWatcher[];
  private readonly elector: LeaseElector | undefined;
  private readonly listeners = new Set<(what: ClusterChange) => void>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly identity: string | undefined;
  private events = { inFlight: 0, dropped: 0, failed: 0, lastWarnMs: -Infinity };

  constructor(opts: KubernetesDriverOptions) {
    const clock = opts.clock ?? systemClock;
    this.clock = clock;
    this.identity = opts.leaderElection?.identity;
    const random = opts.random ?? systemRandom;
    this.logger = opts.logger ?? silentLogger();
    const logger = this.logger;
    this.api = new KubeApi(opts.kubeConfig, opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    const listWatch: ListWatchOptions = { ...DEFAULT_LIST_WATCH_OPTIONS, ...opts.listWatch };
    this.cache = new ClusterCache((what) => this.emit(what));
    const { core, apps, policy } = this.api;
    const page = (p: { limit: number; continueToken: string | undefined }): { limit: number; _continue?: string } =>
      ({ limit: p.limit, ...(p.continueToken ? { _continue: p.continueToken } : {}) });
    const watcher = (kind: string, path: string, list: (p: { limit: number; continueToken: string | undefined }) => Promise<ListPage>, handler: ListWatchHandler): ListWatcher =>
      new ListWatcher({ kind, path, list }, handler, { watch: this.api.watch, clock, random, logger: logger.child({ watch: kind }), options: listWatch });
    this.watchers = [
      watcher('nodes', '/api/v1/nodes', (p) => core.listNode(page(p)), this.cache.nodes),
      watcher('replicasets', '/apis/apps/v1/replicasets', (p) => apps.listReplicaSetForAllNamespaces(page(p)), this.cache.replicaSets),
      watcher('deployments', '/apis/apps/v1/deployments', (p) => apps.listDeploymentForAllNamespaces(page(p)), this.cache.deployments),
      watcher('poddisruptionbudgets', '/apis/policy/v1/poddisruptionbudgets', (p) => policy.listPodDisruptionBudgetForAllNamespaces(page(p)), this.cache.budgets),
      watcher('pods', '/api/v1/pods', (p) => core.listPodForAllNamespaces(page(p)), this.cache.pods),
    ];
    if (opts.leaderElection) {
      // Lease calls get a timeout well inside the renew deadline, so one hanging call cannot eat it.
      const leaseApi = new KubeApi(opts.kubeConfig, Math.max(500, Math.floor(opts.leaderElection.renewDeadlineMs / 2))).coordination;
      this.elector = new LeaseElector(leaseApi, opts.leaderElection, { clock, random, logger: logger.child({ component: 'leader-election' }) });
      this.elector.onChange((leader) => logger.info({ leader, identity: opts.leaderElection?.identity }, leader ? 'leading: this aggregator acts' : 'standby: not acting'));
    }
    this.policies = new KubeScalingPolicySource(this.api, {
      clock, random, logger: logger.child({ watch: 'scalingpolicies' }), listWatch,
      isLeader: () => this.isLeader(), statusMinIntervalMs: opts.statusMinIntervalMs ?? DEFAULT_STATUS_MIN_INTERVAL_MS,
    });
  }

  /** Starts the watches (and the election); returns at once. synced() tells when the view is complete. */
  async start(): Promise<void> {
    this.logger.info({ server: this.api.server, leaderElection: this.elector !== undefined }, 'kubernetes driver starting');
    for (const w of this.watchers) w.start();
    this.policies.start();
    this.elector?.start();
  }

  async stop(): Promise<void> {
    // Leadership first: a standby should take over while we shut the watches down.
    await this.elector?.stop();
    await Promise.all([...this.watchers.map((w) => w.stop()), this.policies.stop()]);
  }

  nodes(): readonly DriverNode[] {
    return this.cache.nodeList();
  }

  pods(): readonly DriverPod[] {
    return this.cache.podList();
  }

  deployments(): readonly DriverDeployment[] {
    return this.cache.deploymentList();
  }

  disruptionBudgets(): readonly DisruptionBudget[] {
    return this.cache.budgetList();
  }

  /** True once every kind (and the ScalingPolicies) has been listed once. */
  synced(): boolean {
    return this.watchers.every((w) => w.synced) && this.policies.synced();
  }

  onChange(listener: (what: ClusterChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isLeader(): boolean {
    return this.elector ? this.elector.isLeader() : true;
  }

  /**
   * A core/v1 Event on the Deployment or Node, as the HPA controller and `kubectl drain` users see
   * them in `kubectl describe` (the object's uid is read first: describe matches on it). Only the
   * leader writes; best effort, bounded (MAX_EVENTS_IN_FLIGHT), failures logged at most once a
   * minute. Node events go to the "default" namespace, like the kubelet's.
   */
  recordEvent(e: ClusterEvent): void {
    if (!this.isLeader()) return;
    if (this.events.inFlight >= MAX_EVENTS_IN_FLIGHT) {
      this.events.dropped++;
      return;
    }
    this.events.inFlight++;
    this.writeEvent(e)
      .catch((err: unknown) => {
        this.events.failed++;
        const now = this.clock.monotonic();
        if (now - this.events.lastWarnMs < 60_000) return;
        this.events.lastWarnMs = now;
        this.logger.warn({ err: kubeError(`create event ${e.reason} on ${e.involved.kind} ${e.involved.name}`, err), failed: this.events.failed, dropped: this.events.dropped }, 'cannot write Kubernetes events (they stay on the HMS-OPS feed)');
      })
      .finally(() => this.events.inFlight--);
  }

  private async writeEvent(e: ClusterEvent): Promise<void> {
    const { kind, name } = e.involved;
    const namespace = kind === 'Node' ? 'default' : (e.involved.namespace || 'default');
    const target = kind === 'Node' ? await this.api.core.readNode({ name }) : await this.api.apps.readNamespacedDeployment({ namespace, name });
    const now = new Date(this.clock.now());
    await this.api.core.createNamespacedEvent({
      namespace,
      body: {
        metadata: { generateName: `${name}.`, namespace },
        involvedObject: {
          apiVersion: kind === 'Node' ? 'v1' : 'apps/v1', kind, name, uid: target.metadata?.uid,
          ...(kind === 'Node' ? {} : { namespace }),
        },
        type: e.type,
        reason: e.reason,
        message: e.message.length > MAX_EVENT_MESSAGE ? `${e.message.slice(0, MAX_EVENT_MESSAGE - 1)}…` : e.message,
        source: { component: 'hms-sys-aggregator' },
        reportingComponent: 'hms-sys.io/aggregator',
        ...(this.identity ? { reportingInstance: this.identity } : {}),
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }

  async scale(namespace: string, name: string, replicas: number): Promise<void> {
    this.requireLeader(`scale deployment ${namespace}/${name}`);
    try {
      const scale = await this.api.apps.patchNamespacedDeploymentScale({ namespace, name, body: { spec: { replicas } } }, mergePatch());
      this.cache.noteScaled(namespace, name, scale.spec?.replicas ?? replicas, scale.metadata?.resourceVersion);
    } catch (err) {
      throw kubeError(`scale deployment ${namespace}/${name} to ${replicas}`, err);
    }
  }

  /**
   * Reads the Node; a node already unschedulable is left exactly as it is (and reported, so that
   * the patch run does not uncordon what someone else cordoned). The patch carries the read
   * resourceVersion, so a concurrent change makes it fail (409) and the read is repeated.
   */
  async cordon(node: string): Promise<{ alreadyCordoned: boolean }> {
    this.requireLeader(`cordon node ${node}`);
    for (let attempt = 1; ; attempt++) {
      let current: V1Node;
      try {
        current = await this.api.core.readNode({ name: node });
      } catch (err) {
        throw kubeError(`read node ${node}`, err);
      }
      if (current.spec?.unschedulable === true) return { alreadyCordoned: true };
      try {
        await this.api.core.patchNode({ name: node, body: { metadata: { resourceVersion: current.metadata?.resourceVersion }, spec: { unschedulable: true } } }, mergePatch());
        return { alreadyCordoned: false };
      } catch (err) {
        if (kubeFailure(err).status === 409 && attempt < CORDON_ATTEMPTS) continue;
        throw kubeError(`cordon node ${node}`, err);
      }
    }
  }

  async uncordon(node: string): Promise<void> {
    this.requireLeader(`uncordon node ${node}`);
    try {
      await this.api.core.patchNode({ name: node, body: { spec: { unschedulable: false } } }, mergePatch());
    } catch (err) {
      throw kubeError(`uncordon node ${node}`, err);
    }
  }

  /**
   * Evicts one pod (policy/v1). The pod must still be the same one on the same node, both in the
   * cache and in a fresh GET; the Eviction carries its uid as a precondition, so a pod recreated
   * under the same name between the GET and the POST is not evicted either (409 -> gone).
   * 429 = a PodDisruptionBudget forbids it now (the caller retries, like kubectl every 5 s);
   * 500 = misconfiguration, typically several budgets selecting the pod.
   */
  async evict(target: { namespace: string; name: string; uid: string; node: string }, opts: { gracePeriodSeconds?: number } = {}): Promise<EvictionOutcome> {
    const { namespace, name } = target;
    this.requireLeader(`evict pod ${namespace}/${name}`);
    const cached = this.cache.pod(namespace, name);
    if (!cached || cached.pod.uid !== target.uid || cached.pod.node !== target.node) return { kind: 'gone' };
    let live: V1Pod;
    try {
      live = await this.api.core.readNamespacedPod({ namespace, name });
    } catch (err) {
      const f = kubeFailure(err);
      if (f.status === 404) return { kind: 'gone' };
      return { kind: 'error', message: `cannot read pod ${namespace}/${name}: ${f.message}` };
    }
    const current = podFromKube(live);
    if (current.pod.uid !== target.uid || current.pod.node !== target.node) return { kind: 'gone' };
    const budgets = this.cache.budgetsSelecting(current.pod);
    const grace = opts.gracePeriodSeconds;
    try {
      await this.api.core.createNamespacedPodEviction({
        namespace, name,
        body: {
          apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace },
          deleteOptions: { preconditions: { uid: current.apiUid }, ...(grace !== undefined && grace >= 0 ? { gracePeriodSeconds: grace } : {}) },
        },
      });
      return { kind: 'evicted' };
    } catch (err) {
      const f = kubeFailure(err);
      const pod = `${namespace}/${name}`;
      switch (f.status) {
        case 404:
        case 409:
          return { kind: 'gone' };
        case 429:
          return { kind: 'blocked', budgets, message: f.message };
        case 500:
          return {
            kind: 'error',
            message: budgets.length > 1
              ? `pod ${pod} is selected by ${budgets.length} PodDisruptionBudgets (${budgets.join(', ')}); the eviction API refuses pods with more than one: ${f.message}`
              : `eviction of pod ${pod} failed${budgets.length === 1 ? ` (PodDisruptionBudget ${budgets[0]})` : ''}: ${f.message}`,
          };
        default:
          return { kind: 'error', message: `eviction of pod ${pod} failed: ${f.message}${f.status ? ` (HTTP ${f.status})` : ''}` };
      }
    }
  }

  private requireLeader(what: string): void {
    if (!this.isLeader()) {
      throw hmsError('HMS_UNAVAILABLE', `${what}: refused, this aggregator is a standby (another replica holds the leader lease)`);
    }
  }

  private emit(what: ClusterChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(what);
      } catch (err) {
        this.logger.error({ err, what }, 'driver change listener failed');
      }
    }
  }
}
