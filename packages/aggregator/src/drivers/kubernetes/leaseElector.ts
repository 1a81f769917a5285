import { errorMessage, hmsError, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { kubeFailure } from './kubeApi.js';

/** Leader election on a coordination.k8s.io/v1 Lease (client-go's `leaderelection`, resourcelock "leases"). */
export interface LeaderElectionConfig {
  readonly namespace: string;
  /** Lease name; the RBAC Role in deploy/ grants get/update on exactly this one. */
  readonly name: string;
  /** holderIdentity: the pod name, unique among the replicas. */
  readonly identity: string;
  /** How long a standby waits after the last observed renewal before taking over. */
  readonly leaseDurationMs: number;
  /** How long the leader keeps acting without a successful renewal; < leaseDurationMs. */
  readonly renewDeadlineMs: number;
  /** Interval between attempts (acquire or renew). */
  readonly retryPeriodMs: number;
  /** On stop, hand the lease back so a standby takes over at once instead of after leaseDurationMs. */
  readonly releaseOnStop: boolean;
}

/** client-go's defaults (kube-controller-manager, kube-scheduler). */
export const DEFAULT_LEADER_ELECTION = {
  name: 'hms-sys-aggregator', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, releaseOnStop: true,
} as const;

/** client-go's JitterFactor for the retry period of a candidate. */
const JITTER = 1.2;

type LeaseApi = Pick<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'>;

/**
 * Acquires and renews a Lease with optimistic concurrency (read, then replace carrying
 * `metadata.resourceVersion`; 409 Conflict = another replica won the race). client-node 1.4.0 has
 * no helper for this.
 *
 * Like client-go, expiry is judged by when THIS process last saw the record change (local
 * monotonic time), never by comparing the record's renewTime with the local wall clock, so clock
 * skew between replicas does not matter (only skew rate does). Like client-go, this is not
 * fencing: every actuation must stay idempotent and re-checked.
 *
 * `isLeader()` turns false the moment renewDeadline passes without a successful renewal, even
 * when the renewal call itself is still hanging.
 */
export class LeaseElector {
  private leader = false;
  private lastRenewMono = 0;
  private observedKey: string | undefined;
  private observedAtMono = 0;
  private observedHolder: string | undefined;
  private stopped = true;
  private running: Promise<void> | undefined;
  private sleeping: AbortController | undefined;
  private lapseTimer: TimerHandle | undefined;
  private readonly listeners = new Set<(leader: boolean) => void>();

  constructor(
    private readonly api: LeaseApi,
    readonly config: LeaderElectionConfig,
    private readonly deps: { readonly clock: Clock; readonly random: Random; readonly logger: Logger },
  ) {
    if (!(config.renewDeadlineMs < config.leaseDurationMs)) {
      throw hmsError('HMS_CONFIG_INVALID', `leader election: the renew deadline (${config.renewDeadlineMs} ms) must be shorter than the lease duration (${config.leaseDurationMs} ms)`);
    }
    if (!(config.retryPeriodMs * JITTER < config.renewDeadlineMs)) {
      throw hmsError('HMS_CONFIG_INVALID', `leader election: the retry period x 1.2 (${config.retryPeriodMs * JITTER} ms) must be shorter than the renew deadline (${config.renewDeadlineMs} ms)`);
    }
    if (config.leaseDurationMs < 1000) throw hmsError('HMS_CONFIG_INVALID', 'leader election: the lease duration must be at least 1s');
  }

  /** True while this process holds a lease renewed within the renew deadline. */
  isLeader(): boolean {
    return this.leader && !this.stopped && this.deps.clock.monotonic() - this.lastRenewMono < this.config.renewDeadlineMs;
  }

  /** The holder last seen in the Lease (undefined before the first read). */
  holder(): string | undefined {
    return this.observedHolder;
  }

  /** Called with true when leadership is gained and false when it is lost. Returns unsubscribe. */
  onChange(listener: (leader: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.running = this.loop().catch((err: unknown) => this.deps.logger.error({ err }, 'leader election loop failed'));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sleeping?.abort();
    await this.running;
    const wasLeader = this.leader;
    this.setLeader(false);
    if (wasLeader && this.config.releaseOnStop) await this.release();
  }

  private async loop(): Promise<void> {
    const { clock, random } = this.deps;
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew();
      if (this.stopped) break;
      if (ok) {
        this.lastRenewMono = clock.monotonic();
        this.armLapseTimer();
        this.setLeader(true);
      } else if (this.leader && clock.monotonic() - this.lastRenewMono >= this.config.renewDeadlineMs) {
        this.setLeader(false);
      }
      const wait = this.leader ? this.config.retryPeriodMs : this.config.retryPeriodMs * (1 + (JITTER - 1) * random.next());
      this.sleeping = new AbortController();
      await clock.sleep(wait, this.sleeping.signal);
      this.sleeping = undefined;
    }
  }

  /** One attempt; true when this process holds the lease afterwards. */
  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.config;
    const { clock, logger } = this.deps;
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (err) {
      const f = kubeFailure(err);
      if (f.status !== 404) {
        logger.warn({ err: f.message, status: f.status, lease: `${namespace}/${name}` }, 'cannot read the leader lease');
        return false;
      }
      return this.create();
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    this.observedHolder = holder;
    const key = `${holder}|${String(lease.metadata?.resourceVersion ?? '')}`;
    if (key !== this.observedKey) {
      this.observedKey = key;
      this.observedAtMono = clock.monotonic();
    }
    const durationMs = (spec.leaseDurationSeconds ?? Math.ceil(this.config.leaseDurationMs / 1000)) * 1000;
    if (holder !== '' && holder !== identity && clock.monotonic() - this.observedAtMono < durationMs) return false;
    const now = new V1MicroTime(clock.now());
    const renewing = holder === identity && this.leader;
    const body: V1Lease = {
      ...lease,
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(this.config.leaseDurationMs / 1000),
        acquireTime: renewing ? (spec.acquireTime ?? now) : now,
        renewTime: now,
        leaseTransitions: renewing ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1),
      },
    };
    try {
      const updated = await this.api.replaceNamespacedLease({ name, namespace, body });
      this.observedKey = `${identity}|${String(updated.metadata?.resourceVersion ?? '')}`;
      this.observedAtMono = clock.monotonic();
      this.observedHolder = identity;
      if (!renewing) logger.info({ lease: `${namespace}/${name}`, identity, previous: holder || undefined }, 'acquired the leader lease');
      return true;
    } catch (err) {
      const f = kubeFailure(err);
      if (f.status !== 409) logger.warn({ err: f.message, status: f.status }, 'cannot update the leader lease');
      return false;
    }
  }

  private async create(): Promise<boolean> {
    const { namespace, name, identity } = this.config;
    const now = new V1MicroTime(this.deps.clock.now());
    try {
      const created = await this.api.createNamespacedLease({
        namespace,
        body: {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace },
          spec: { holderIdentity: identity, leaseDurationSeconds: Math.ceil(this.config.leaseDurationMs / 1000), acquireTime: now, renewTime: now, leaseTransitions: 0 },
        },
      });
      this.observedKey = `${identity}|${String(created.metadata?.resourceVersion ?? '')}`;
      this.observedAtMono = this.deps.clock.monotonic();
      this.observedHolder = identity;
      this.deps.logger.info({ lease: `${namespace}/${name}`, identity }, 'created the leader lease');
      return true;
    } catch (err) {
      const f = kubeFailure(err);
      if (f.status !== 409) this.deps.logger.warn({ err: f.message, status: f.status }, 'cannot create the leader lease');
      return false;
    }
  }

  /** Hands the lease back: empty holder, 1 s duration (client-go ReleaseOnCancel). */
  private async release(): Promise<void> {
    const { namespace, name, identity } = this.config;
    try {
      const lease = await this.api.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== identity) return;
      const now = new V1MicroTime(this.deps.clock.now());
      await this.api.replaceNamespacedLease({
        name, namespace,
        body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now, acquireTime: now } },
      });
      this.deps.logger.info({ lease: `${namespace}/${name}`, identity }, 'released the leader lease');
    } catch (err) {
      this.deps.logger.warn({ err: errorMessage(err) }, 'cannot release the leader lease; a standby takes over when it expires');
    }
  }

  /** Drops leadership as soon as the renew deadline passes without a renewal, without waiting for a hanging call. */
  private armLapseTimer(): void {
    this.lapseTimer?.cancel();
    this.lapseTimer = this.deps.clock.setTimeout(() => {
      if (this.leader && this.deps.clock.monotonic() - this.lastRenewMono >= this.config.renewDeadlineMs) {
        this.deps.logger.warn({ lease: `${this.config.namespace}/${this.config.name}` }, 'leader lease not renewed within the renew deadline; standing down');
        this.setLeader(false);
      }
    }, this.config.renewDeadlineMs);
  }

  private setLeader(leader: boolean): void {
    if (!leader) {
      this.lapseTimer?.cancel();
      this.lapseTimer = undefined;
    }
    if (this.leader === leader) return;
    this.leader = leader;
    for (const l of [...this.listeners]) {
      try {
        l(leader);
      } catch (err) {
        this.deps.logger.error({ err }, 'leadership listener failed');
      }
    }
  }
}
