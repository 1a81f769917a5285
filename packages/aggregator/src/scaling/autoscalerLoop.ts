import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import { errorMessage, fnv1a32 } from '@hms-sys/common';
import { decideReplicas } from '../autoscaler/decideReplicas.js';
import type { AutoscalerDecision, AutoscalerSpec } from '../autoscaler/types.js';
import type { ClusterView, DriverDeployment, DriverPod, Scaler } from '../drivers/types.js';
import type { EventLog } from '../events/eventLog.js';
import { EventType } from '../events/eventTypes.js';
import type { FleetState } from '../ingest/fleetState.js';
import type { AutoscalerStatus, AutoscalerStore } from './autoscalerStore.js';
import { EMPTY_STATUS } from './autoscalerStore.js';
import { inputsBrief, podMetricInput } from './podMetricInputs.js';

export interface AutoscalerLoopOptions {
  /** A rule is evaluated at most once per this interval (ms). */
  readonly intervalMs: number;
  /** ...and at least once per this interval even without fresh metrics (ms). */
  readonly resyncMs: number;
  /** Longest time one pump may run before yielding to ingest (ms). */
  readonly sliceMs: number;
  /**
   * A rule's state (stabilization history, status) is written to the store at most this often
   * (ms, default 60 s), and at once when it rescaled; everything is
   * written on stop(). At a 1 s interval a rule's history holds ~300 recommendations (13 KB of
   * JSON): writing 10 000 of them every second would cost more than a core. A crash loses at
   * most this much of the recommendation history (the Kubernetes HPA keeps none across restarts).
   */
  readonly statePersistMs?: number;
  /** Passes over the rules start at most this often (ms, default 20): fresh metrics from many nodes coalesce. */
  readonly minPassIntervalMs?: number;
}

/** Rule states written per transaction while the slice lasts; more continue on the next event-loop turn. */
const STATES_PER_WRITE = 10;

export const DEFAULT_LOOP_OPTIONS: AutoscalerLoopOptions = { intervalMs: 1000, resyncMs: 15_000, sliceMs: 5 };

/** The Prometheus side of the loop (implemented in autoscalerMetrics.ts). */
export interface AutoscalerCounters {
  scaled(namespace: string, name: string, direction: 'up' | 'down'): void;
  evaluated(seconds: number): void;
}

export interface AutoscalerLoopDeps {
  readonly store: AutoscalerStore;
  readonly driver: ClusterView & Scaler & { onChange(listener: (what: string) => void): () => void; isLeader?(): boolean };
  readonly fleet: FleetState;
  readonly events: EventLog;
  readonly counters: AutoscalerCounters;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Validates a stored autoscaler object and applies defaults (throws on invalid). */
  readonly parseSpec: (spec: Record<string, unknown>) => AutoscalerSpec;
  readonly options?: AutoscalerLoopOptions;
  /** Called with every new status of a rule (e.g. to publish it in a ScalingPolicy's status). */
  readonly onStatus?: (namespace: string, name: string, status: AutoscalerStatus) => void;
}

interface Rule {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  spec: AutoscalerSpec;
  status: AutoscalerStatus;
  history: ReturnType<AutoscalerStore['state']>['history'];
  lastEvalMs: number;
  dirty: boolean;
  inflight: boolean;
  stateDirty: boolean;
  /** The state changed in a way worth writing now (a rescale). */
  mustSave: boolean;
  /** When the state was last written (ms). */
  savedMs: number;
}

const keyOf = (ns: string, name: string): string => `${ns}/${name}`;

/**
 * The control loop: when fresh metrics for a rule's pods arrive it evaluates the rule (at most
 * once per interval), applies the decision through the driver and records it. Work is done in
 * time slices so that thousands of rules never stall ingest.
 */
export class AutoscalerLoop {
  private readonly rules = new Map<string, Rule>();
  /** Deployment key → rule key is the identity; node → deployments with pods there. */
  private nodeIndex = new Map<string, Set<string>>();
  /** Deployment key → its pods; rebuilt with nodeIndex when the driver's pods change. */
  private ownerIndex = new Map<string, DriverPod[]>();
  private nodeIndexStale = true;
  private deploymentIndex = new Map<string, DriverDeployment>();
  private deploymentIndexStale = true;
  private timers: TimerHandle[] = [];
  private unsubscribe: (() => void) | undefined;
  private pumpScheduled = false;
  private stopped = false;
  /** Earliest time a dirty rule that was not yet due becomes due, found by the current pass. */
  private passWakeAt = Infinity;
  private wake: { at: number; timer: TimerHandle } | undefined;
  /** Monotonic ms when the last pass over the rules started. */
  private lastPassMs = -Infinity;
  private flushScheduled = false;

  private readonly store: AutoscalerStore;
  private readonly driver: AutoscalerLoopDeps['driver'];
  private readonly fleet: FleetState;
  private readonly events: EventLog;
  private readonly counters: AutoscalerCounters;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly opts: AutoscalerLoopOptions;
  private readonly parseSpec: (spec: Record<string, unknown>) => AutoscalerSpec;
  private readonly onStatus: AutoscalerLoopDeps['onStatus'];

  constructor(deps: AutoscalerLoopDeps) {
    ({ store: this.store, driver: this.driver, fleet: this.fleet, events: this.events, counters: this.counters,
      clock: this.clock, logger: this.logger, parseSpec: this.parseSpec, onStatus: this.onStatus } = deps);
    this.opts = deps.options ?? DEFAULT_LOOP_OPTIONS;
  }

  start(): void {
    for (const a of this.store.list()) {
      try {
        this.load(a.namespace, a.name, this.parseSpec(a.spec));
      } catch (err) {
        this.logger.error({ err, rule: keyOf(a.namespace, a.name) }, 'stored autoscaler no longer valid; skipped');
      }
    }
    this.unsubscribe = this.driver.onChange((what) => {
      if (what === 'pods') this.nodeIndexStale = true;
      if (what === 'deployments') this.deploymentIndexStale = true;
      if (what === 'deployments' || what === 'pods') this.markAll();
    });
    this.timers.push(this.clock.setInterval(() => this.tick(), Math.max(100, Math.min(this.opts.intervalMs, 1000))));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    this.wake?.timer.cancel();
    this.unsubscribe?.();
    this.flushStates(true);
  }

  /** Adds or replaces a rule (API PUT). */
  upsert(namespace: string, name: string, spec: AutoscalerSpec): void {
    const existing = this.rules.get(keyOf(namespace, name));
    if (existing) {
      existing.spec = spec;
      existing.dirty = true;
      existing.lastEvalMs = 0;
    } else {
      this.load(namespace, name, spec);
    }
    this.schedulePump();
  }

  remove(namespace: string, name: string): void {
    this.rules.delete(keyOf(namespace, name));
  }

  /** The rule of a Deployment, if any. */
  rule(namespace: string, name: string): { spec: AutoscalerSpec; status: AutoscalerStatus } | undefined {
    return this.rules.get(keyOf(namespace, name));
  }

  status(namespace: string, name: string): AutoscalerStatus {
    return this.rules.get(keyOf(namespace, name))?.status ?? EMPTY_STATUS;
  }

  /** For metrics: every rule with its spec and status. */
  *all(): Generator<{ namespace: string; name: string; spec: AutoscalerSpec; status: AutoscalerStatus }> {
    for (const r of this.rules.values()) yield r;
  }

  get size(): number {
    return this.rules.size;
  }

  /** Fresh metrics arrived from a node: its deployments' rules become due. */
  onBatch(node: string): void {
    if (this.nodeIndexStale) this.rebuildNodeIndex();
    const deps = this.nodeIndex.get(node);
    if (!deps) return;
    for (const d of deps) {
      const rule = this.rules.get(d);
      if (rule) rule.dirty = true;
    }
    this.schedulePump();
  }

  /** Evaluates every due rule now, synchronously up to the scale call (tests, benchmarks). */
  async evaluateDueNow(): Promise<number> {
    const now = this.clock.now();
    const due = [...this.rules.values()].filter((r) => this.isDue(r, now));
    await Promise.all(due.map((r) => this.evaluate(r, now)));
    return due.length;
  }

  private load(namespace: string, name: string, spec: AutoscalerSpec): void {
    const { history, status } = this.store.state(namespace, name);
    const key = keyOf(namespace, name);
    this.rules.set(key, {
      key, namespace, name, spec, status, history,
      lastEvalMs: 0, dirty: true, inflight: false, stateDirty: false, mustSave: false,
      // Spread the periodic writes of many rules over the persistence interval.
      savedMs: this.clock.now() - (fnv1a32(key) % this.persistMs),
    });
  }

  private markAll(): void {
    for (const r of this.rules.values()) r.dirty = true;
    this.schedulePump();
  }

  private rebuildNodeIndex(): void {
    const index = new Map<string, Set<string>>();
    const owners = new Map<string, DriverPod[]>();
    for (const p of this.driver.pods()) {
      if (p.owner?.kind !== 'Deployment') continue;
      const key = keyOf(p.namespace, p.owner.name);
      let list = owners.get(key);
      if (!list) owners.set(key, (list = []));
      list.push(p);
      if (!p.node) continue;
      let set = index.get(p.node);
      if (!set) index.set(p.node, (set = new Set()));
      set.add(key);
    }
    this.nodeIndex = index;
    this.ownerIndex = owners;
    this.nodeIndexStale = false;
  }

  private isDue(r: Rule, now: number): boolean {
    if (r.inflight) return false;
    const since = now - r.lastEvalMs;
    return (r.dirty && since >= this.opts.intervalMs) || since >= this.opts.resyncMs;
  }

  private tick(): void {
    this.schedulePump();
    this.flushStates(false);
  }

  private get persistMs(): number {
    return Math.max(1, this.opts.statePersistMs ?? 60_000);
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.stopped) return;
    this.pumpScheduled = true;
    const start = (): void => {
      this.lastPassMs = this.clock.monotonic();
      this.pump([...this.rules.values()], 0);
    };
    const wait = this.lastPassMs + (this.opts.minPassIntervalMs ?? 20) - this.clock.monotonic();
    if (wait > 0) this.clock.setTimeout(start, wait);
    else setImmediate(start);
  }

  /** Evaluates due rules in slices of at most sliceMs, yielding to I/O between slices. */
  private pump(rules: Rule[], from: number): void {
    if (this.stopped) return;
    const start = this.clock.monotonic();
    const now = this.clock.now();
    let i = from;
    if (from === 0) this.passWakeAt = Infinity;
    for (; i < rules.length; i++) {
      const r = rules[i] as Rule;
      let evaluated = false;
      if (this.rules.get(r.key) === r) {
        if (this.isDue(r, now)) {
          void this.evaluate(r, now);
          evaluated = true;
        } else if (r.dirty && !r.inflight) {
          this.passWakeAt = Math.min(this.passWakeAt, r.lastEvalMs + this.opts.intervalMs);
        }
      }
      // The clock is read after each evaluation and every 64 other rules: a pass over 10 000
      // rules is mostly cheap checks.
      if ((evaluated || (i & 63) === 63) && this.clock.monotonic() - start >= this.opts.sliceMs) {
        i++;
        break;
      }
    }
    if (i < rules.length) {
      setImmediate(() => this.pump(rules, i));
    } else {
      this.pumpScheduled = false;
      this.scheduleWake(this.passWakeAt);
    }
  }

  /** Fresh metrics that arrived before a rule's interval elapsed are acted on the moment it does. */
  private scheduleWake(at: number): void {
    if (!Number.isFinite(at) || this.stopped) return;
    if (this.wake && this.wake.at <= at) return;
    this.wake?.timer.cancel();
    const timer = this.clock.setTimeout(() => {
      this.wake = undefined;
      this.schedulePump();
    }, Math.max(0, at - this.clock.now()));
    this.wake = { at, timer };
  }

  private async evaluate(r: Rule, now: number): Promise<void> {
    // Leader gate: a standby decides nothing and scales nothing; the rule stays due and is
    // evaluated as soon as this replica leads. Everything from here to driver.scale() runs
    // synchronously, so this check also holds at the scale call.
    if (this.driver.isLeader?.() === false) return;
    r.dirty = false;
    r.lastEvalMs = now;
    const t0 = this.clock.monotonic();
    if (this.deploymentIndexStale) {
      this.deploymentIndex = new Map(this.driver.deployments().map((d) => [keyOf(d.namespace, d.name), d]));
      this.deploymentIndexStale = false;
    }
    const deployment = this.deploymentIndex.get(r.key);
    if (!deployment) {
      this.setStatus(r, {
        ...r.status, lastEvaluatedMs: now, currentReplicas: null, desiredReplicas: null,
        conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `deployment ${r.namespace}/${r.name} not found` }],
        message: `deployment ${r.namespace}/${r.name} not found`,
      }, undefined);
      return;
    }
    const maxAge = Math.max(3 * this.opts.intervalMs, 5000);
    if (this.nodeIndexStale) this.rebuildNodeIndex();
    const pods = (this.ownerIndex.get(r.key) ?? [])
      .map((p) => podMetricInput(p, this.fleet.pod(p.uid), now, maxAge));
    const decision = decideReplicas({ spec: r.spec, currentReplicas: deployment.replicas, pods, nowMs: now, history: r.history });
    this.counters.evaluated((this.clock.monotonic() - t0) / 1000);
    let conditions = decision.conditions;
    let history = decision.history;
    let lastScaleTimeMs = r.status.lastScaleTimeMs;
    if (decision.rescale) {
      r.inflight = true;
      try {
        await this.driver.scale(r.namespace, r.name, decision.desiredReplicas);
        lastScaleTimeMs = this.clock.now();
        conditions = conditions.map((c) => (c.type === 'AbleToScale' ? { ...c, status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${decision.desiredReplicas}` } : c));
        this.counters.scaled(r.namespace, r.name, decision.desiredReplicas > deployment.replicas ? 'up' : 'down');
      } catch (err) {
        history = r.history ?? decision.history;
        conditions = conditions.map((c) => (c.type === 'AbleToScale' ? { ...c, status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${errorMessage(err)}` } : c));
        this.logger.warn({ err, rule: r.key }, 'scaling failed');
      } finally {
        r.inflight = false;
      }
    }
    r.history = history;
    r.stateDirty = true;
    this.setStatus(r, {
      currentReplicas: deployment.replicas,
      desiredReplicas: decision.desiredReplicas,
      currentCPUUtilizationPercentage: decision.cpuUtilizationPercent,
      conditions,
      lastScaleTimeMs,
      lastEvaluatedMs: now,
      message: decision.error ?? null,
    }, { decision, inputs: inputsBrief(pods), current: deployment.replicas, conditions });
  }

  /** Updates the status; records a decision when it rescaled or its conditions changed. */
  private setStatus(r: Rule, status: AutoscalerStatus, d: { decision: AutoscalerDecision; inputs: Record<string, unknown>; current: number; conditions: AutoscalerStatus['conditions'] } | undefined): void {
    const changed = conditionsKey(status.conditions) !== conditionsKey(r.status.conditions);
    r.status = status;
    r.stateDirty = true;
    // A rescale is written at once (its scale events bound the next ones across a restart); a
    // change of conditions only waits for the periodic write: the API serves status from memory,
    // and writing 10 000 states when 10 000 new rules first evaluate blocked the loop for ~10 s.
    if (d !== undefined && d.decision.desiredReplicas !== d.current) r.mustSave = true;
    try {
      this.onStatus?.(r.namespace, r.name, status);
    } catch (err) {
      this.logger.warn({ err, rule: r.key }, 'status listener failed');
    }
    if (!d) {
      if (changed) this.events.append(EventType.ScaleDecision, { namespace: r.namespace, deployment: r.name, current: null, desired: null, reason: status.message, conditions: status.conditions });
      return;
    }
    const rescaled = d.decision.desiredReplicas !== d.current;
    if (!rescaled && !changed) return;
    const reason = d.decision.error ?? d.decision.rescaleReason ?? reasonFromConditions(d.conditions);
    const record = {
      namespace: r.namespace, name: r.name, timeMs: status.lastEvaluatedMs ?? this.clock.now(),
      current: d.current, desired: d.decision.desiredReplicas, recommendation: d.decision.recommendation,
      utilization: d.decision.cpuUtilizationPercent, reason, limitReason: d.decision.limitReason,
      conditions: d.conditions, inputs: d.inputs,
    };
    try {
      this.store.addDecision(record);
    } catch (err) {
      this.logger.error({ err, rule: r.key }, 'cannot record decision');
    }
    this.events.append(EventType.ScaleDecision, {
      namespace: r.namespace, deployment: r.name, current: d.current, desired: d.decision.desiredReplicas,
      recommendation: d.decision.recommendation, cpuUtilizationPercent: d.decision.cpuUtilizationPercent,
      targetCPUUtilizationPercentage: r.spec.targetCPUUtilizationPercentage,
      reason, limitReason: d.decision.limitReason, conditions: d.conditions, inputs: d.inputs,
    });
  }

  /**
   * Writes rule states: all dirty ones (`all`, on stop), else those that must be saved now or
   * were last saved a persistence interval ago — in slices of at most sliceMs, the rest on the
   * next event-loop turns.
   */
  private flushStates(all: boolean): void {
    if (this.flushScheduled && !all) return;
    const now = this.clock.now();
    const due = [...this.rules.values()].filter((r) => r.stateDirty && r.history && (all || r.mustSave || now - r.savedMs >= this.persistMs));
    const write = (from: number): void => {
      this.flushScheduled = false;
      const start = this.clock.monotonic();
      let i = from;
      while (i < due.length && (all || this.clock.monotonic() - start < this.opts.sliceMs)) {
        const batch = due.slice(i, i + STATES_PER_WRITE);
        i += batch.length;
        try {
          this.store.saveStates(batch.map((r) => ({ namespace: r.namespace, name: r.name, history: r.history!, status: r.status })), now);
        } catch (err) {
          this.logger.error({ err }, 'cannot persist autoscaler state');
          return;
        }
        for (const r of batch) {
          r.stateDirty = false;
          r.mustSave = false;
          r.savedMs = now;
        }
      }
      if (i < due.length && !this.stopped) {
        this.flushScheduled = true;
        setImmediate(() => {
          if (this.stopped) return; // stop() wrote everything
          write(i);
        });
      }
    };
    write(0);
  }
}

function conditionsKey(cs: AutoscalerStatus['conditions']): string {
  return cs.map((c) => `${c.type}=${c.status}/${c.reason}`).join(',');
}

function reasonFromConditions(cs: AutoscalerStatus['conditions']): string {
  const c = cs.find((x) => x.status === 'False') ?? cs[cs.length - 1];
  return c ? `${c.reason}: ${c.message}` : 'no change';
}
