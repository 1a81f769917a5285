import { errorMessage, hmsError, type Clock, type Logger, type TimerHandle } from '@hms-sys/common';
import type { ICommand, ICommandStatus } from '@hms-sys/protocol';
import type { ClusterDriver } from '../../drivers/types.js';
import type { IngestListener } from '../../ingest/ingestService.js';
import { COMMAND_STATE_NAMES } from '../agentStatus.js';
import { DEFAULT_NODE_PATCH_CONFIG, isActiveStep, type NodeObservation, type NodePatchConfig, type PatchAction } from '../nodeState.js';
import type { PatchEvent } from '../patchEvents.js';
import { planRollout, type RolloutPlan } from '../planRollout.js';
import { preflight } from '../preflight.js';
import { createRun, nextRunStep } from '../runMachine.js';
import type { RunObservation, RunState, RunStepResult } from '../runState.js';
import type { PatchWindow } from '../windows.js';
import type { CommandSigner } from './commandSigner.js';
import { newRunId, toProtoCommand, workloadsReady } from './patchActions.js';
import { nodeConfigFor, parsePatchRequest, type PatchRequest } from './patchRequest.js';
import type { NodeMeta, PatchStore } from './patchStore.js';

/** What the orchestrator needs from the agent side (ingest + fleet). */
export interface AgentChannel {
  /** Sends a (signed) command; false when the node's agent is not connected. */
  sendCommand(node: string, cmd: ICommand): boolean;
  isConnected(node: string): boolean;
  /** The node's agent reports simulated boots (virtual nodes of the local driver). */
  simulatedBoot(node: string): boolean;
  /** Boot id and kernel from the connected agent's hello; undefined when not connected. */
  agentBoot(node: string): { bootId: string; kernelVersion: string } | undefined;
}

export interface PatchOrchestratorOptions {
  /** How often every active run is ticked (ms). Default 1000: the machines check timeouts on ticks. */
  readonly tickMs?: number;
  /** Estimate of one node's patch without history (ms). */
  readonly defaultEstimateMs: number;
  /** Overrides of the node machine's defaults (before a request's own settings). */
  readonly nodeDefaults?: Partial<NodePatchConfig>;
  /** A settled run stays in memory (status, /metrics) this long (ms). Default 1 h. */
  readonly keepSettledMs?: number;
}

export interface PatchOrchestratorDeps {
  readonly store: PatchStore;
  readonly driver: ClusterDriver;
  readonly agents: AgentChannel;
  readonly signer: CommandSigner;
  readonly events: { append(type: string, fields: Record<string, unknown>): unknown };
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
  readonly options: PatchOrchestratorOptions;
  /** Called once when a run settles, with its result label (done | partial | halted | cancelled). */
  readonly onSettled?: (run: string, result: RunResultLabel) => void;
}

export type RunResultLabel = 'done' | 'partial' | 'halted' | 'cancelled';
export const RUN_RESULT_LABELS: readonly RunResultLabel[] = ['done', 'partial', 'halted', 'cancelled'];

/** One run as the orchestrator holds it. */
export interface LiveRun {
  readonly request: PatchRequest;
  state: RunState;
  readonly meta: Record<string, NodeMeta>;
  /** JSON of each node state as last written (only changed nodes are written). */
  readonly written: Map<string, string>;
  readonly createdMs: number;
}

export type ControlVerb = 'pause' | 'resume' | 'cancel';

/** Runner defaults on top of DEFAULT_NODE_PATCH_CONFIG: polls suited to a 1-second tick. */
export const RUNNER_NODE_DEFAULTS: Partial<NodePatchConfig> = { podPollMs: 1000, healthPollMs: 2000 };

/**
 * The patch orchestrator's runner (I/O only; decisions are the pure machines'). For each run it
 * feeds observations to `nextRunStep`, persists the returned state (PatchStore, synchronous
 * SQLite) and only then performs the returned actions: driver calls (preflight from the driver
 * view, cordon, evict, uncordon, pod listings, workload readiness), signed commands to agents
 * through ingest, and events into the EventLog. Answers come back as observations through one
 * queue, so steps never interleave. Every active run is ticked each second. After an aggregator
 * restart, `start()` loads the runs that have not settled and feeds each `restart` once before
 * anything else (observations that arrived earlier are held until then).
 */
export class PatchOrchestrator implements IngestListener {
  private readonly runs = new Map<string, LiveRun>();
  private readonly queue: { run: string; obs: RunObservation }[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private readonly driverSeen = new Map<string, string>();
  private held: (() => void)[] = [];
  private draining = false;
  private started = false;
  private stopped = false;
  private timer: TimerHandle | undefined;
  private unsubscribeDriver: (() => void) | undefined;
  private readonly nodeDefaults: NodePatchConfig;

  constructor(private readonly deps: PatchOrchestratorDeps) {
    this.nodeDefaults = { ...DEFAULT_NODE_PATCH_CONFIG, ...RUNNER_NODE_DEFAULTS, ...(deps.options.nodeDefaults ?? {}) };
  }

  // ---------------------------------------------------------------- lifecycle

  /** Loads unsettled runs, feeds each `restart` once, then what arrived meanwhile; starts ticking. Call after the driver started. */
  start(): void {
    if (this.started) return;
    const { clock, logger } = this.deps;
    for (const stored of this.deps.store.active()) {
      const live: LiveRun = { request: stored.request, state: stored.state, meta: stored.meta, written: new Map(), createdMs: stored.createdMs };
      for (const n of stored.state.order) live.written.set(n, JSON.stringify(stored.state.nodes[n]));
      this.runs.set(stored.state.run, live);
      const inFlight = stored.state.order.filter((n) => isActiveStep(stored.state.nodes[n]?.step ?? 'pending'));
      logger.warn({ run: stored.state.run, status: stored.state.status, inFlight }, 'resuming a patch run after an aggregator restart');
      this.submit(live, { kind: 'restart', nowMs: clock.now() });
    }
    this.started = true;
    const held = this.held;
    this.held = [];
    for (const f of held) f();
    this.unsubscribeDriver = this.deps.driver.onChange((what) => {
      if (what === 'nodes') this.whenStarted(() => this.feedDriverNodes());
    });
    this.timer = clock.setInterval(() => this.tick(), this.deps.options.tickMs ?? 1000);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.unsubscribeDriver?.();
  }

  // ---------------------------------------------------------------- API

  /** Creates and starts a run. Throws HMS_INPUT_INVALID (400), HMS_CONFLICT (409) or HMS_UNAVAILABLE (503). */
  create(body: unknown): LiveRun {
    const { clock, logger, driver, store } = this.deps;
    const now = clock.now();
    const { request, windows } = parsePatchRequest(body, now);
    const active = [...this.runs.values()].find((r) => !r.state.settled);
    if (active) {
      throw hmsError('HMS_CONFLICT', `patch run ${active.state.run} is still ${active.state.status}: one run at a time`, { hint: `wait for it, or: hms-sys patch cancel ${active.state.run}` });
    }
    if (!driver.synced()) throw hmsError('HMS_UNAVAILABLE', `the ${driver.kind} driver has not synced yet; retry in a moment`);
    if (driver.isLeader?.() === false) throw hmsError('HMS_UNAVAILABLE', 'this aggregator is a standby (another replica holds the leader lease): schedule the run on the leader');
    const plan = this.planFor(request, windows, now);
    if (plan.order.length === 0) {
      throw hmsError('HMS_INPUT_INVALID', request.selector ? `no node matches the selector "${request.selector}" (${plan.unselected} node(s) left out)` : 'the cluster has no nodes');
    }
    if (windows.length > 0 && windows.every((w) => w.endMs <= now)) {
      throw hmsError('HMS_INPUT_INVALID', `every window has already ended (last ended ${new Date(Math.max(...windows.map((w) => w.endMs))).toISOString()})`);
    }
    const id = newRunId(now, this.deps.random);
    const res = createRun({
      run: id,
      nowMs: now,
      nodes: plan.order,
      concurrency: request.concurrency,
      failureBudget: request.failureBudget,
      windows,
      estimatesMs: Object.fromEntries(plan.nodes.map((n) => [n.node, n.estimate.estimateMs])),
      defaultEstimateMs: request.estimateMs ?? this.deps.options.defaultEstimateMs,
      node: nodeConfigFor(request, this.nodeDefaults),
    });
    store.insertRun(request, res.state, now);
    const live: LiveRun = {
      request,
      state: res.state,
      meta: Object.fromEntries(plan.order.map((n) => [n, { startedMs: null, lastReason: null, outputTail: null }])),
      written: new Map(plan.order.map((n) => [n, JSON.stringify(res.state.nodes[n])])),
      createdMs: now,
    };
    this.runs.set(id, live);
    logger.info({ run: id, nodes: plan.order, kind: request.kind, concurrency: request.concurrency, windows: request.windows, dryRun: request.dryRun }, 'patch run scheduled');
    this.withQueue(() => {
      // Agents connected before the run existed: their boot ids are the reboot fence.
      for (const n of plan.order) {
        const seen = this.seenNow(n);
        if (seen) this.queue.push({ run: id, obs: { kind: 'node', node: n, observation: seen } });
      }
      this.performAll(live, res.actions);
    });
    return live;
  }

  /** `hms-sys patch plan`: what a run would do now. Changes nothing. */
  plan(body: unknown): { request: PatchRequest; windows: PatchWindow[]; nowMs: number; defaultEstimateMs: number; plan: RolloutPlan; activeRun: string | null } {
    const now = this.deps.clock.now();
    const { request, windows } = parsePatchRequest(body, now, { forPlan: true });
    if (!this.deps.driver.synced()) throw hmsError('HMS_UNAVAILABLE', `the ${this.deps.driver.kind} driver has not synced yet; retry in a moment`);
    const active = [...this.runs.values()].find((r) => !r.state.settled);
    return {
      request,
      windows,
      nowMs: now,
      defaultEstimateMs: request.estimateMs ?? this.deps.options.defaultEstimateMs,
      plan: this.planFor(request, windows, now),
      activeRun: active?.state.run ?? null,
    };
  }

  /** Pause / resume / cancel. Throws HMS_NOT_FOUND or HMS_CONFLICT (the machine rejected it). */
  control(id: string, verb: ControlVerb, reason?: string): LiveRun {
    const live = this.get(id);
    if (!live) throw hmsError('HMS_NOT_FOUND', `no patch run ${id}`);
    const now = this.deps.clock.now();
    const obs: RunObservation = verb === 'resume' ? { kind: 'resume', nowMs: now } : { kind: verb, nowMs: now, ...(reason ? { reason } : {}) };
    const res = this.submit(live, obs);
    if (res?.rejected) throw hmsError('HMS_CONFLICT', res.rejected);
    this.deps.logger.info({ run: id, verb, status: live.state.status }, `patch run ${verb}`);
    return live;
  }

  /** A run by id (in memory, else from the store). */
  get(id: string): LiveRun | undefined {
    const live = this.runs.get(id);
    if (live) return live;
    const stored = this.deps.store.get(id);
    return stored ? { request: stored.request, state: stored.state, meta: stored.meta, written: new Map(), createdMs: stored.createdMs } : undefined;
  }

  /** Newest first. */
  list(limit = 50): LiveRun[] {
    return this.deps.store.list(limit).map((s) => this.runs.get(s.state.run) ?? { request: s.request, state: s.state, meta: s.meta, written: new Map(), createdMs: s.createdMs });
  }

  /** Runs shown in /metrics: every unsettled run and those settled within keepSettledMs. */
  metricRuns(): LiveRun[] {
    const keep = this.deps.options.keepSettledMs ?? 3_600_000;
    const now = this.deps.clock.now();
    return [...this.runs.values()].filter((r) => !r.state.settled || now - (r.state.finishedAtMs ?? now) < keep);
  }

  // ---------------------------------------------------------------- ingest listener

  onNodeConnected(node: string, info: { bootId: string; previousBootId: string | undefined; kernelVersion: string }): void {
    this.whenStarted(() => {
      const now = this.deps.clock.now();
      this.forNode(node, () => ({
        kind: 'nodeSeen', nowMs: now, connected: true, bootId: info.bootId || null, kernelVersion: info.kernelVersion || null,
        ready: this.driverReady(node), simulated: this.deps.agents.simulatedBoot(node),
      }));
    });
  }

  onNodeDisconnected(node: string): void {
    this.whenStarted(() => {
      const now = this.deps.clock.now();
      this.forNode(node, () => ({ kind: 'nodeSeen', nowMs: now, connected: false }));
    });
  }

  onCommandStatus(node: string, status: ICommandStatus): void {
    this.whenStarted(() => {
      const id = status.commandId ?? '';
      const runId = id.endsWith(`:${node}`) ? id.slice(0, -node.length - 1) : undefined;
      const live = runId ? this.runs.get(runId) : undefined;
      const state = COMMAND_STATE_NAMES[status.state ?? 0] ?? 'unspecified';
      if (live?.state.settled) return; // hellos re-report finished commands of old runs
      if (status.outputTail && live?.meta[node]) {
        live.meta[node].outputTail = status.outputTail;
        this.saveMeta(live, node);
      }
      if (!live || !live.state.nodes[node]) {
        // Not ours (an old run, a forged id...): refusals still go on record.
        if (state === 'refused') {
          this.deps.events.append('command.refused', {
            node, commandId: id, reason: status.refusalReason || 'unknown', message: status.message ?? '', ...(runId ? { run: runId } : {}),
          });
        }
        return;
      }
      if (state === 'refused') this.deps.logger.warn({ run: runId, node, reason: status.refusalReason, message: status.message }, 'the agent refused a command');
      this.submit(live, { kind: 'node', node, observation: { kind: 'commandStatus', nowMs: this.deps.clock.now(), status } });
    });
  }

  // ---------------------------------------------------------------- the loop

  private whenStarted(f: () => void): void {
    if (this.stopped) return;
    if (this.started) f();
    else this.held.push(f);
  }

  private tick(): void {
    const now = this.deps.clock.now();
    for (const live of this.runs.values()) {
      if (!live.state.settled) this.submit(live, { kind: 'tick', nowMs: now });
    }
    // Forget settled runs after a while (they stay in the store).
    const keep = this.deps.options.keepSettledMs ?? 3_600_000;
    for (const [id, r] of this.runs) if (r.state.settled && now - (r.state.finishedAtMs ?? now) > keep) this.runs.delete(id);
  }

  private forNode(node: string, obs: () => NodeObservation): void {
    for (const live of this.runs.values()) {
      if (!live.state.settled && live.state.nodes[node]) this.submit(live, { kind: 'node', node, observation: obs() });
    }
  }

  /** Applies an observation now (or queues it while a step is in progress); returns the step result when applied now. */
  private submit(live: LiveRun, obs: RunObservation): RunStepResult | undefined {
    if (this.stopped) return undefined;
    if (this.draining) {
      this.queue.push({ run: live.state.run, obs });
      return undefined;
    }
    let result: RunStepResult | undefined;
    this.withQueue(() => {
      result = this.step(live, obs);
    });
    return result;
  }

  /** Runs f, then every queued observation, with re-entrant submits queued. */
  private withQueue(f: () => void): void {
    if (this.draining) {
      f();
      return;
    }
    this.draining = true;
    try {
      f();
      for (let item = this.queue.shift(); item; item = this.queue.shift()) {
        const live = this.runs.get(item.run);
        if (live) this.step(live, item.obs);
      }
    } finally {
      this.draining = false;
    }
  }

  /** One machine step: persist, then perform. A state that cannot be persisted is not acted on. */
  private step(live: LiveRun, obs: RunObservation): RunStepResult | undefined {
    const res = nextRunStep(live.state, obs);
    try {
      this.commit(live, res.state);
    } catch (err) {
      this.deps.logger.error({ err, run: live.state.run, obs: obs.kind }, 'cannot persist the patch run state: its actions are not performed');
      return undefined;
    }
    this.performAll(live, res.actions);
    return res;
  }

  private commit(live: LiveRun, next: RunState): void {
    const changed: string[] = [];
    for (const n of next.order) {
      const json = JSON.stringify(next.nodes[n]);
      if (live.written.get(n) !== json) changed.push(n);
    }
    const wasSettled = live.state.settled;
    this.deps.store.saveRun(next, changed, this.deps.clock.now());
    for (const n of changed) live.written.set(n, JSON.stringify(next.nodes[n]));
    live.state = next;
    if (!wasSettled && next.settled) {
      const result: RunResultLabel = next.status === 'done' ? (next.result === 'success' ? 'done' : 'partial') : next.status === 'halted' ? 'halted' : 'cancelled';
      this.deps.logger.info({ run: next.run, status: next.status, result: next.result }, 'patch run settled');
      this.deps.onSettled?.(next.run, result);
    }
  }

  private performAll(live: LiveRun, actions: readonly PatchAction[]): void {
    for (const a of actions) {
      try {
        this.perform(live, a);
      } catch (err) {
        this.deps.logger.error({ err, run: live.state.run, action: a.kind }, 'patch action failed unexpectedly');
        if (a.kind !== 'emit') this.answer(live, a.node, { kind: 'actionFailed', nowMs: this.deps.clock.now(), action: a.kind, message: errorMessage(err), ...(a.kind === 'evict' ? { uid: a.pod.uid } : {}) });
      }
    }
  }

  private answer(live: LiveRun, node: string, observation: NodeObservation): void {
    this.queue.push({ run: live.state.run, obs: { kind: 'node', node, observation } });
  }

  /** Runs an async driver call after the node's previous one, then feeds its answer. */
  private later(live: LiveRun, node: string, action: PatchAction['kind'], call: () => Promise<NodeObservation>, uid?: string): void {
    const key = `${live.state.run}/${node}`;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(call).then(
      (obs) => this.submit(live, { kind: 'node', node, observation: obs }),
      (err: unknown) => {
        this.deps.logger.warn({ run: live.state.run, node, action, err: errorMessage(err) }, 'patch action failed');
        this.submit(live, { kind: 'node', node, observation: { kind: 'actionFailed', nowMs: this.deps.clock.now(), action, message: errorMessage(err), ...(uid ? { uid } : {}) } });
      },
    ).then(
      () => undefined,
      (err: unknown) => this.deps.logger.error({ err, run: live.state.run, node, action }, 'handling the answer of a patch action failed'),
    );
    this.chains.set(key, next);
    void next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private perform(live: LiveRun, a: PatchAction): void {
    const { driver, clock, logger } = this.deps;
    const now = (): number => clock.now();
    switch (a.kind) {
      case 'emit':
        this.emit(live, a.event);
        return;
      case 'preflight': {
        if (!driver.synced()) {
          this.answer(live, a.node, { kind: 'actionFailed', nowMs: now(), action: 'preflight', message: `the ${driver.kind} driver is not synced` });
          return;
        }
        const result = preflight({ nodes: driver.nodes(), pods: driver.pods(), budgets: driver.disruptionBudgets(), node: a.node, unavailableNodes: a.unavailableNodes, options: a.options });
        this.answer(live, a.node, { kind: 'preflightResult', nowMs: now(), result });
        return;
      }
      case 'cordon':
        this.later(live, a.node, 'cordon', async () => {
          const r = await driver.cordon(a.node);
          logger.info({ run: a.run, node: a.node, alreadyCordoned: r.alreadyCordoned }, 'cordoned');
          return { kind: 'cordoned', nowMs: now(), alreadyCordoned: r.alreadyCordoned };
        });
        return;
      case 'uncordon':
        this.later(live, a.node, 'uncordon', async () => {
          await driver.uncordon(a.node);
          logger.info({ run: a.run, node: a.node }, 'uncordoned');
          return { kind: 'uncordoned', nowMs: now() };
        });
        return;
      case 'listPods':
        this.answer(live, a.node, { kind: 'podsOnNode', nowMs: now(), pods: driver.pods().filter((p) => p.node === a.node) });
        return;
      case 'evict': {
        // Identity re-check: the same uid, still on this node (a namesake elsewhere is another pod).
        const current = driver.pods().find((p) => p.uid === a.pod.uid);
        if (!current || current.node !== a.pod.node) {
          this.answer(live, a.node, { kind: 'evictionResult', nowMs: now(), uid: a.pod.uid, outcome: { kind: 'gone' } });
          return;
        }
        this.later(live, a.node, 'evict', async () => {
          const outcome = await driver.evict(a.pod, a.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: a.gracePeriodSeconds } : undefined);
          return { kind: 'evictionResult', nowMs: now(), uid: a.pod.uid, outcome };
        }, a.pod.uid);
        return;
      }
      case 'sendCommand':
      case 'reattachCommand': {
        const signed = this.deps.signer.sign(toProtoCommand(a.command));
        const sent = this.deps.agents.sendCommand(a.node, signed);
        logger.info({ run: a.run, node: a.node, commandId: a.command.id, reattach: a.kind === 'reattachCommand', sent, keyId: this.deps.signer.keyId }, sent ? 'command sent' : 'command not sent: agent not connected');
        if (!sent) this.answer(live, a.node, { kind: 'actionFailed', nowMs: now(), action: a.kind, message: `the agent of ${a.node} is not connected` });
        return;
      }
      case 'checkWorkloads': {
        const r = workloadsReady(driver, a.workloads);
        this.answer(live, a.node, { kind: 'workloadsReady', nowMs: now(), ready: r.ready, detail: r.detail });
        return;
      }
    }
  }

  private emit(live: LiveRun, event: PatchEvent): void {
    const { type, ...fields } = event;
    this.deps.events.append(type, fields);
    if (event.type !== 'patch.step') return;
    const meta = (live.meta[event.node] ??= { startedMs: null, lastReason: null, outputTail: null });
    const now = this.deps.clock.now();
    meta.lastReason = event.reason;
    if (event.from === 'pending' && event.to !== 'pending' && isActiveStep(event.to)) meta.startedMs = now;
    if (event.to === 'pending') meta.startedMs = null;
    if (event.to === 'done' && !event.dryRun && !live.request.dryRun && meta.startedMs !== null) {
      this.deps.store.recordDuration(event.node, live.state.run, now, now - meta.startedMs);
    }
    this.saveMeta(live, event.node);
    const level = event.to === 'failed' || event.to === 'blocked' ? 'warn' : 'info';
    this.deps.logger[level]({ run: event.run, node: event.node, from: event.from, to: event.to, ...(event.cordon ? { cordon: event.cordon } : {}) }, `patch ${event.node}: ${event.from} -> ${event.to}: ${event.reason}`);
  }

  private saveMeta(live: LiveRun, node: string): void {
    const meta = live.meta[node];
    if (!meta) return;
    try {
      this.deps.store.saveMeta(live.state.run, node, meta);
    } catch (err) {
      this.deps.logger.warn({ err, run: live.state.run, node }, 'cannot save patch node details');
    }
  }

  // ---------------------------------------------------------------- views of the cluster

  private planFor(request: PatchRequest, windows: readonly PatchWindow[], nowMs: number): RolloutPlan {
    const { driver, store } = this.deps;
    const history = store.durationHistory();
    return planRollout({
      nodes: driver.nodes(),
      pods: driver.pods(),
      budgets: driver.disruptionBudgets(),
      selector: request.selector,
      windows,
      nowMs,
      concurrency: request.concurrency,
      nodeDurationsMs: history.byNode,
      fleetDurationsMs: history.fleet,
      defaultEstimateMs: request.estimateMs ?? this.deps.options.defaultEstimateMs,
      options: { force: request.force, deleteEmptyDirData: request.deleteEmptyDirData },
    });
  }

  private driverReady(node: string): boolean | null {
    const n = this.deps.driver.nodes().find((x) => x.name === node);
    return n ? n.ready : null;
  }

  /** The node as its connected agent last said hello (undefined when not connected). */
  private seenNow(node: string): NodeObservation | undefined {
    const boot = this.deps.agents.agentBoot(node);
    if (!boot) return undefined;
    return {
      kind: 'nodeSeen', nowMs: this.deps.clock.now(), connected: true, bootId: boot.bootId || null, kernelVersion: boot.kernelVersion || null,
      ready: this.driverReady(node), simulated: this.deps.agents.simulatedBoot(node),
    };
  }

  /** Driver node updates (Ready, boot id, kernel) of nodes in active runs, when they changed. */
  private feedDriverNodes(): void {
    const nodes = this.deps.driver.nodes();
    for (const n of nodes) {
      const key = `${n.ready}|${n.bootId ?? ''}|${n.kernelVersion ?? ''}`;
      if (this.driverSeen.get(n.name) === key) continue;
      this.driverSeen.set(n.name, key);
      this.forNode(n.name, () => ({
        kind: 'nodeSeen', nowMs: this.deps.clock.now(), connected: this.deps.agents.isConnected(n.name),
        ...(n.bootId ? { bootId: n.bootId } : {}), ...(n.kernelVersion ? { kernelVersion: n.kernelVersion } : {}),
        ready: n.ready, simulated: this.deps.agents.simulatedBoot(n.name),
      }));
    }
  }
}
