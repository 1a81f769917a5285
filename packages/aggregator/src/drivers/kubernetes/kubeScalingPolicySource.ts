import { hmsError, isHmsError, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import type { ScalingPolicyEntry, ScalingPolicySource, ScalingPolicyStatus } from '../types.js';
import { kubeError, kubeFailure, mergePatch, type KubeApi } from './kubeApi.js';
import { ListWatcher, type ListWatchOptions } from './listWatcher.js';
import { ObjectStore } from './objectStore.js';
import { autoscalerFromPolicySpec, policySpecFromAutoscaler, SCALING_POLICY } from './scalingPolicySpec.js';
import { asStatusBody, policyStatusBody, statusKeys, type PolicyStatusBody } from './scalingPolicyStatus.js';

/** Default least time between two status writes that only change the utilization (the HPA's sync period). */
export const DEFAULT_STATUS_MIN_INTERVAL_MS = 15_000;

/** Optimistic-concurrency retries of a create/replace that raced with another writer. */
const WRITE_ATTEMPTS = 4;

/** A ScalingPolicy as cached: what the rule is, or why it is not one. */
interface CachedPolicy {
  readonly namespace: string;
  readonly resourceName: string;
  readonly generation: number | undefined;
  readonly status: unknown;
  readonly result: ReturnType<typeof autoscalerFromPolicySpec>;
}

interface StatusSlot {
  written: PolicyStatusBody | undefined;
  writtenMono: number;
  pending: { body: PolicyStatusBody; resourceName: string } | undefined;
  inflight: boolean;
  timer: TimerHandle | undefined;
}

type Obj = { metadata?: { name?: string; namespace?: string; generation?: number; resourceVersion?: string }; spec?: unknown; status?: unknown };

/**
 * ScalingPolicy resources as the source of truth for scaling rules: a list-watch keeps them in
 * memory, writes go to the API server (create/replace with optimistic concurrency, strict field
 * validation so a field the installed CRD does not know is refused instead of silently pruned),
 * and statuses go to the status subresource with a merge patch, only when they changed.
 */
export class KubeScalingPolicySource implements ScalingPolicySource {
  private readonly store: ObjectStore<CachedPolicy>;
  private readonly watcher: ListWatcher;
  private readonly listeners = new Set<() => void>();
  private readonly slots = new Map<string, StatusSlot>();
  private readonly warned = new Set<string>();
  private entries: ScalingPolicyEntry[] | undefined;
  private stopped = false;

  constructor(
    private readonly api: KubeApi,
    private readonly deps: {
      readonly clock: Clock;
      readonly random: Random;
      readonly logger: Logger;
      readonly listWatch: ListWatchOptions;
      /** Only the leader writes statuses. */
      readonly isLeader: () => boolean;
      readonly statusMinIntervalMs: number;
    },
  ) {
    this.store = new ObjectStore<CachedPolicy>((o) => this.convert(o as Obj), () => {
      this.entries = undefined;
      for (const l of [...this.listeners]) {
        try {
          l();
        } catch (err) {
          this.deps.logger.error({ err }, 'scaling policy listener failed');
        }
      }
    });
    const { group, version, plural } = SCALING_POLICY;
    this.watcher = new ListWatcher({
      kind: plural,
      path: `/apis/${group}/${version}/${plural}`,
      list: ({ limit, continueToken }) => this.api.custom.listCustomObjectForAllNamespaces({ group, version, plural, limit, ...(continueToken ? { _continue: continueToken } : {}) }),
    }, this.store, { watch: api.watch, clock: deps.clock, random: deps.random, logger: deps.logger, options: deps.listWatch });
  }

  start(): void {
    this.stopped = false;
    this.watcher.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.slots.values()) s.timer?.cancel();
    await this.watcher.stop();
  }

  synced(): boolean {
    return this.watcher.synced;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): readonly ScalingPolicyEntry[] {
    if (this.entries) return this.entries;
    const byTarget = new Map<string, ScalingPolicyEntry>();
    const sorted = [...this.store.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.resourceName.localeCompare(b.resourceName));
    for (const p of sorted) {
      if (!p.result.ok) continue;
      const key = `${p.namespace}/${p.result.target}`;
      const entry: ScalingPolicyEntry = { namespace: p.namespace, name: p.result.target, autoscaler: p.result.autoscaler, resourceName: p.resourceName };
      const other = byTarget.get(key);
      if (other) {
        // Two policies for one Deployment (as with two HPAs, a configuration error): the one
        // named after the Deployment wins, else the first by name; the other is ignored.
        const preferNew = p.resourceName === p.result.target && other.resourceName !== other.name;
        const [used, ignored] = preferNew ? [p.resourceName, other.resourceName] : [other.resourceName, p.resourceName];
        this.warnOnce(`dup:${key}:${ignored}`, { deployment: key, used, ignored }, 'several ScalingPolicies target one Deployment; one is ignored');
        if (!preferNew) continue;
      }
      byTarget.set(key, entry);
    }
    this.entries = [...byTarget.values()];
    return this.entries;
  }

  async put(namespace: string, name: string, autoscaler: Readonly<Record<string, unknown>>): Promise<{ created: boolean }> {
    this.requireSynced();
    const { group, version, plural, apiVersion, kind } = SCALING_POLICY;
    const spec = policySpecFromAutoscaler(name, { ...autoscaler });
    const resourceName = this.resourceFor(namespace, name) ?? name;
    for (let attempt = 1; ; attempt++) {
      let existing: Obj | undefined;
      try {
        existing = (await this.api.custom.getNamespacedCustomObject({ group, version, namespace, plural, name: resourceName })) as Obj;
      } catch (err) {
        if (kubeFailure(err).status !== 404) throw kubeError(`read ScalingPolicy ${namespace}/${resourceName}`, err);
      }
      try {
        if (!existing) {
          await this.api.custom.createNamespacedCustomObject({
            group, version, namespace, plural, fieldValidation: 'Strict',
            body: { apiVersion, kind, metadata: { name: resourceName, namespace, labels: { 'app.kubernetes.io/managed-by': 'hms-sys' } }, spec },
          });
          return { created: true };
        }
        const { status: _status, ...rest } = existing;
        const oldTarget = autoscalerFromPolicySpec(existing.spec);
        if (oldTarget.ok && oldTarget.target !== name) {
          throw hmsError('HMS_CONFLICT', `ScalingPolicy ${namespace}/${resourceName} exists and targets Deployment ${oldTarget.target}, not ${name}`, {
            hint: 'delete or rename that ScalingPolicy first',
          });
        }
        await this.api.custom.replaceNamespacedCustomObject({
          group, version, namespace, plural, name: resourceName, fieldValidation: 'Strict',
          body: { ...rest, spec },
        });
        return { created: false };
      } catch (err) {
        if (isHmsError(err)) throw err;
        const f = kubeFailure(err);
        // 409: someone wrote it between our read and write (or created it first); read again.
        if (f.status === 409 && attempt < WRITE_ATTEMPTS) continue;
        if (f.status === 400 && /unknown field/i.test(f.message)) {
          throw hmsError('HMS_INPUT_INVALID', `the ScalingPolicy CRD installed in the cluster refuses this rule: ${f.message}`, {
            cause: err, hint: 'update the CRD (deploy/crds/scalingpolicies.hms-sys.io.yaml) or leave that field out',
          });
        }
        throw kubeError(`write ScalingPolicy ${namespace}/${resourceName}`, err);
      }
    }
  }

  async delete(namespace: string, name: string): Promise<boolean> {
    this.requireSynced();
    const { group, version, plural } = SCALING_POLICY;
    const names = new Set<string>([name]);
    for (const p of this.store.values()) if (p.namespace === namespace && p.result.ok && p.result.target === name) names.add(p.resourceName);
    let deleted = false;
    for (const resourceName of names) {
      try {
        await this.api.custom.deleteNamespacedCustomObject({ group, version, namespace, plural, name: resourceName });
        deleted = true;
      } catch (err) {
        if (kubeFailure(err).status !== 404) throw kubeError(`delete ScalingPolicy ${namespace}/${resourceName}`, err);
      }
    }
    return deleted;
  }

  writeStatus(namespace: string, name: string, status: ScalingPolicyStatus): void {
    if (this.stopped || !this.deps.isLeader()) return;
    const resourceName = this.resourceFor(namespace, name);
    if (!resourceName) return;
    const cached = this.store.get(`${namespace}/${resourceName}`);
    const key = `${namespace}/${resourceName}`;
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { written: asStatusBody(cached?.status), writtenMono: -Infinity, pending: undefined, inflight: false, timer: undefined };
      this.slots.set(key, slot);
    }
    const body = policyStatusBody(status, slot.written, cached?.generation, this.deps.clock.now());
    slot.pending = { body, resourceName };
    this.flush(namespace, key, slot);
  }

  /** Writes the pending status of one policy if it differs from what was written and is due. */
  private flush(namespace: string, key: string, slot: StatusSlot): void {
    if (slot.inflight || !slot.pending || this.stopped) return;
    const next = statusKeys(slot.pending.body);
    const last = statusKeys(slot.written);
    if (next.major === last.major && next.minor === last.minor) {
      slot.pending = undefined;
      return;
    }
    const waitMs = slot.writtenMono + this.deps.statusMinIntervalMs - this.deps.clock.monotonic();
    if (next.major === last.major && waitMs > 0) {
      slot.timer ??= this.deps.clock.setTimeout(() => {
        slot.timer = undefined;
        this.flush(namespace, key, slot);
      }, waitMs);
      return;
    }
    slot.timer?.cancel();
    slot.timer = undefined;
    const { body, resourceName } = slot.pending;
    slot.pending = undefined;
    slot.inflight = true;
    const { group, version, plural } = SCALING_POLICY;
    this.api.custom.patchNamespacedCustomObjectStatus({ group, version, namespace, plural, name: resourceName, body: { status: body } }, mergePatch())
      .then(() => {
        slot.written = body;
        slot.writtenMono = this.deps.clock.monotonic();
      }, (err: unknown) => {
        const f = kubeFailure(err);
        if (f.status === 404) this.slots.delete(key);
        else this.deps.logger.warn({ policy: key, err: f.message, status: f.status }, 'cannot write ScalingPolicy status');
      })
      .finally(() => {
        slot.inflight = false;
        if (this.slots.get(key) === slot) this.flush(namespace, key, slot);
      });
  }

  /** Writes need the full list: the rule may live in a resource not named after its Deployment. */
  private requireSynced(): void {
    if (!this.synced()) throw hmsError('HMS_UNAVAILABLE', 'the ScalingPolicies have not been listed yet', { hint: 'retry in a moment' });
  }

  /** Name of the resource holding the rule for Deployment namespace/name, from the cache. */
  private resourceFor(namespace: string, name: string): string | undefined {
    return this.list().find((e) => e.namespace === namespace && e.name === name)?.resourceName;
  }

  private convert(o: Obj): CachedPolicy {
    const namespace = o.metadata?.namespace ?? 'default';
    const resourceName = o.metadata?.name ?? '';
    const result = autoscalerFromPolicySpec(o.spec);
    if (!result.ok) this.warnOnce(`bad:${namespace}/${resourceName}:${o.metadata?.resourceVersion ?? ''}`, { policy: `${namespace}/${resourceName}`, error: result.error }, 'ScalingPolicy ignored');
    return { namespace, resourceName, generation: o.metadata?.generation, status: o.status, result };
  }

  private warnOnce(key: string, fields: Record<string, unknown>, msg: string): void {
    if (this.warned.has(key)) return;
    if (this.warned.size > 1000) this.warned.clear();
    this.warned.add(key);
    this.deps.logger.warn(fields, msg);
  }
}
