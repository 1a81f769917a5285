import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import type { ICommand, ICommandStatus, IHello, IMetricsBatch } from '@hms-sys/protocol';
import type { EventLog } from '../events/eventLog.js';
import { EventType } from '../events/eventTypes.js';
import { translateSqliteError } from '../store/database.js';
import type { IngestJournal } from '../store/ingestJournal.js';
import type { NodeStore } from '../store/nodeStore.js';
import { AgentSession, CloseCode, type RejectReason, type SessionHost } from './agentSession.js';
import type { BatchEffect, FleetState, PodState } from './fleetState.js';

/** Counters ingest updates (implemented with prom-client by the metrics module). */
export interface IngestCounters {
  samples(n: number): void;
  batch(): void;
  duplicate(): void;
  rejected(reason: RejectReason): void;
  /** Seconds from collection (agent clock) to processing; clock skew makes it approximate. */
  lag(seconds: number): void;
}

/** Who else cares about ingest: the autoscaler loop, the patch orchestrator, metrics cleanup. */
export interface IngestListener {
  onBatch?(node: string, effect: BatchEffect): void;
  onNodeConnected?(node: string, info: { bootId: string; previousBootId: string | undefined; kernelVersion: string }): void;
  onNodeDisconnected?(node: string, removedPods: readonly PodState[]): void;
  onCommandStatus?(node: string, status: ICommandStatus): void;
}

export interface IngestOptions {
  /** A node is marked disconnected when nothing arrived for this long, at least (ms). */
  readonly staleAfterMs: number;
  /** Ping interval; a connection that misses a pong by the next ping is terminated (ms). */
  readonly heartbeatMs: number;
  /** A connection must say hello within this time (ms). */
  readonly helloTimeoutMs: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = { staleAfterMs: 5000, heartbeatMs: 15_000, helloTimeoutMs: 10_000 };

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * The ingest core: binds agent sessions to nodes, turns batches into fleet state, journals
 * them (acks follow the commit), detects silent nodes and records node events.
 */
export class IngestService implements SessionHost {
  private readonly sessions = new Map<string, AgentSession>();
  private readonly pendingHello = new Set<AgentSession>();
  private readonly listeners: IngestListener[] = [];
  private timers: TimerHandle[] = [];
  private stopping = false;

  constructor(
    readonly fleet: FleetState,
    private readonly journal: IngestJournal,
    private readonly nodes: NodeStore,
    private readonly events: EventLog,
    private readonly counters: IngestCounters,
    private readonly clock: Clock,
    readonly logger: Logger,
    private readonly opts: IngestOptions = DEFAULT_INGEST_OPTIONS,
  ) {
    for (const n of nodes.list()) {
      fleet.remember(n.name, { bootId: n.bootId, kernelVersion: n.kernelVersion, osImage: n.osImage, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, simulatedBoot: n.simulatedBoot }, n.lastSeenMs);
    }
  }

  addListener(l: IngestListener): void {
    this.listeners.push(l);
  }

  start(): void {
    this.timers.push(this.clock.setInterval(() => this.checkStale(), 1000));
    this.timers.push(this.clock.setInterval(() => this.heartbeat(), this.opts.heartbeatMs));
  }

  /** Stops timers and closes every agent connection; nothing touches the store afterwards. */
  stop(): void {
    this.stopping = true;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    for (const s of [...this.sessions.values(), ...this.pendingHello]) s.close(CloseCode.GoingAway, 'aggregator shutting down');
    this.sessions.clear();
    this.pendingHello.clear();
    this.journal.flush();
  }

  /** A freshly upgraded connection. */
  attach(session: AgentSession): void {
    this.pendingHello.add(session);
    const t = this.clock.setTimeout(() => {
      if (!session.helloDone) session.reject('no_hello', `no Hello within ${this.opts.helloTimeoutMs} ms`, CloseCode.PolicyViolation);
    }, this.opts.helloTimeoutMs);
    session.ws.once('close', () => t.cancel());
  }

  connectedCount(): number {
    return this.sessions.size;
  }

  session(node: string): AgentSession | undefined {
    return this.sessions.get(node);
  }

  /** Sends a command to a node's agent; false when it is not connected. */
  sendCommand(node: string, cmd: ICommand): boolean {
    return this.sessions.get(node)?.sendCommand(cmd) ?? false;
  }

  nowMs(): number {
    return this.clock.now();
  }

  hello(session: AgentSession, hello: IHello): ReturnType<SessionHost['hello']> {
    const name = hello.nodeName ?? '';
    if (!NODE_NAME.test(name)) {
      return { ok: false, code: CloseCode.PolicyViolation, reason: `invalid node name "${name.slice(0, 64)}"`, reject: 'bad_hello' };
    }
    if (session.boundNode !== undefined && session.boundNode !== name) {
      return { ok: false, code: CloseCode.Misaddressed, reason: `credential is for node ${session.boundNode}, not ${name}`, reject: 'node_mismatch' };
    }
    const streamId = hello.streamId ?? '';
    if (!streamId || streamId.length > 128) return { ok: false, code: CloseCode.PolicyViolation, reason: 'stream_id is required', reject: 'bad_hello' };
    const info = hello.node ?? {};
    const now = this.clock.now();
    this.pendingHello.delete(session);
    const previous = this.sessions.get(name);
    if (previous && previous !== session) {
      this.sessions.delete(name);
      previous.close(CloseCode.Replaced, 'replaced by a newer connection of the same node');
    }
    this.sessions.set(name, session);
    const wasConnected = this.fleet.node(name)?.connected ?? false;
    const { isNew, previousBootId } = this.fleet.connect(name, {
      info, agentVersion: hello.agentVersion ?? '', streamId, intervalMs: Number(hello.intervalMs ?? 1000) || 1000,
    }, now);
    this.storeQuietly('remember the node', () => this.nodes.upsert(name, info, hello.agentVersion ?? '', now));
    const bootId = info.bootId ?? '';
    if (isNew || !wasConnected) {
      this.events.append(EventType.NodeJoined, {
        node: name, bootId, kernelVersion: info.kernelVersion ?? '', osImage: info.osImage ?? '',
        agentVersion: hello.agentVersion ?? '', simulated: info.simulatedBoot ?? false, remote: session.remote,
      });
    }
    if (previousBootId && bootId && previousBootId !== bootId) {
      this.events.append(EventType.NodeRebooted, {
        node: name, bootIdBefore: previousBootId, bootId, kernelVersion: info.kernelVersion ?? '', simulated: info.simulatedBoot ?? false,
      });
    }
    this.logger.info({ node: name, bootId, stream: streamId, remote: session.remote }, 'agent connected');
    for (const l of this.listeners) l.onNodeConnected?.(name, { bootId, previousBootId, kernelVersion: info.kernelVersion ?? '' });
    // Commands the agent's executor knows (an aggregator that restarted resumes from these).
    for (const status of hello.inFlight ?? []) for (const l of this.listeners) l.onCommandStatus?.(name, status);
    return { ok: true, lastAckedSeq: this.journal.lastSeq(name, streamId) };
  }

  batch(session: AgentSession, batch: IMetricsBatch, done: (err?: Error) => void): void {
    const node = session.node as string;
    if (this.sessions.get(node) !== session) return done(new Error('stale session'));
    const now = this.clock.now();
    const wasConnected = this.fleet.node(node)?.connected ?? false;
    const effect = this.fleet.applyBatch(node, batch, now);
    if (!wasConnected) {
      this.fleet.node(node)!.connected = true;
      this.events.append(EventType.NodeJoined, { node, bootId: this.fleet.node(node)?.info.bootId ?? '', reason: 'resumed sending' });
    }
    this.counters.batch();
    this.counters.samples(effect.samples);
    const collected = Number(batch.collectedAtMs ?? 0);
    if (collected > 0) this.counters.lag(Math.max(0, now - collected) / 1000);
    this.journal.record({
      node, streamId: session.streamId, seq: batch.seq as number, collectedMs: collected, receivedMs: now,
      pods: batch.pods?.length ?? 0, samples: effect.samples, nodeCpuCores: effect.nodeCpuCores,
    }, done);
    for (const l of this.listeners) l.onBatch?.(node, effect);
  }

  duplicate(): void {
    this.counters.duplicate();
  }

  commandStatus(session: AgentSession, status: ICommandStatus): void {
    const node = session.node as string;
    for (const l of this.listeners) l.onCommandStatus?.(node, status);
  }

  rejected(session: AgentSession, reason: RejectReason, detail: string): void {
    this.counters.rejected(reason);
    this.logger.warn({ node: session.node, remote: session.remote, reason, detail }, 'agent frame rejected');
    this.events.append(EventType.AgentRejected, { node: session.node ?? null, remote: session.remote, reason, detail });
  }

  /** An upgrade refused before a session existed (bad token, rate limit); `quiet`: counted only. */
  refusedUpgrade(remote: string, reason: RejectReason, detail: string, quiet = false): void {
    this.counters.rejected(reason);
    if (quiet) return;
    this.logger.warn({ remote, reason, detail }, 'agent connection refused');
    this.events.append(EventType.AgentRejected, { node: null, remote, reason, detail });
  }

  closed(session: AgentSession): void {
    if (this.stopping) return;
    this.pendingHello.delete(session);
    const node = session.node;
    if (!node || this.sessions.get(node) !== session) return;
    this.sessions.delete(node);
    this.markDisconnected(node, 'connection closed');
  }

  private markDisconnected(node: string, reason: string): void {
    const state = this.fleet.node(node);
    if (!state?.connected) return;
    const removed = this.fleet.disconnect(node);
    this.storeQuietly('record when the node was last seen', () => this.nodes.touch(node, state.lastSeenMs));
    this.events.append(EventType.NodeLeft, { node, reason, lastSeen: new Date(state.lastSeenMs).toISOString() });
    this.logger.info({ node, reason }, 'agent disconnected');
    for (const l of this.listeners) l.onNodeDisconnected?.(node, removed);
  }

  /**
   * Forgets nodes disconnected for longer than forgetAfterMs that the driver does not list
   * either (decommissioned): their series leave /metrics and their registry row goes.
   * Returns the names forgotten.
   */
  forgetGone(forgetAfterMs: number, driverKnows: (name: string) => boolean): string[] {
    const now = this.clock.now();
    const gone: string[] = [];
    for (const n of [...this.fleet.nodes()]) {
      if (n.connected || now - n.lastSeenMs < forgetAfterMs || driverKnows(n.name)) continue;
      this.fleet.forget(n.name);
      this.nodes.delete(n.name);
      gone.push(n.name);
      this.events.append(EventType.NodeLeft, { node: n.name, reason: `forgotten: no agent for ${Math.round((now - n.lastSeenMs) / 60_000)} min and not in the cluster` });
    }
    return gone;
  }

  /**
   * A node-registry write that must not take ingest down with it: it runs from socket and timer
   * callbacks, where a throw is an uncaught exception. While the store is locked or full the
   * registry lags (the journal refuses batches on its own and nothing is acked); the next write
   * catches up.
   */
  private storeQuietly(what: string, write: () => void): void {
    try {
      write();
    } catch (err) {
      this.logger.error({ err: translateSqliteError(err, `cannot ${what}`) }, 'node registry write failed');
    }
  }

  /** Marks nodes silent for longer than a few intervals as disconnected. */
  private checkStale(): void {
    const now = this.clock.now();
    for (const n of this.fleet.nodes()) {
      if (!n.connected) continue;
      const limit = Math.max(this.opts.staleAfterMs, 3 * n.intervalMs);
      if (now - n.lastSeenMs > limit) {
        this.markDisconnected(n.name, `no data for ${Math.round((now - n.lastSeenMs) / 1000)} s`);
      }
    }
  }

  private heartbeat(): void {
    for (const s of this.sessions.values()) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      try {
        s.ws.ping();
      } catch {
        s.ws.terminate();
      }
    }
  }
}
