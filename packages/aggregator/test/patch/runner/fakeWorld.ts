import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Clock } from '@hms-sys/common';
import { CommandState, verifyCommandSignature, type ICommand, type ICommandStatus } from '@hms-sys/protocol';
import type { ClusterChange, ClusterDriver, DisruptionBudget, DriverDeployment, DriverNode, DriverPod, EvictionOutcome } from '../../../src/drivers/types.js';
import type { FeedEventLike } from '../../../src/patch/invariants.js';
import type { AgentChannel } from '../../../src/patch/runner/patchOrchestrator.js';

/**
 * An in-memory cluster and fleet of agents for the orchestrator's component tests: a driver whose
 * evictions reschedule pods, and agents that verify the command signature, report RECEIVED →
 * PATCHING → REBOOTING, go away, and come back on a NEW boot id with DONE (rebooted) — the way
 * the real executor does. Time is a ManualClock.
 */

export class FakeCluster implements ClusterDriver {
  readonly kind = 'local' as const;
  readonly nodeMap = new Map<string, DriverNode>();
  podList: DriverPod[] = [];
  budgets: DisruptionBudget[] = [];
  readonly replicas = new Map<string, number>();
  readonly calls: string[] = [];
  /** Called at the start of every cordon / uncordon / evict (e.g. to inspect the store). */
  onCall?: (what: string, node: string) => void;
  private uid = 0;
  private readonly listeners = new Set<(w: ClusterChange) => void>();

  constructor(names: readonly string[], deployment: { name: string; replicas: number }) {
    for (const n of names) this.nodeMap.set(n, { name: n, allocatableCpuMilli: 2000, unschedulable: false, ready: true, bootId: `${n}-boot-0`, kernelVersion: '6.1.0', labels: { pool: n === 'n3' ? 'b' : 'a' } });
    this.replicas.set(deployment.name, deployment.replicas);
    for (let i = 0; i < deployment.replicas; i++) this.podList.push(this.pod(deployment.name, names[i % names.length] as string));
  }

  private pod(deployment: string, node: string | undefined): DriverPod {
    const id = ++this.uid;
    return {
      uid: `uid-${id}`, namespace: 'default', name: `${deployment}-${id}`, ...(node ? { node } : {}), phase: node ? 'Running' : 'Pending',
      deleted: false, ready: node !== undefined, containers: [{ name: 'c', cpuRequestMilli: 100 }], owner: { kind: 'Deployment', name: deployment },
    };
  }

  nodes(): readonly DriverNode[] {
    return [...this.nodeMap.values()];
  }
  pods(): readonly DriverPod[] {
    return this.podList;
  }
  disruptionBudgets(): readonly DisruptionBudget[] {
    return this.budgets;
  }
  deployments(): readonly DriverDeployment[] {
    return [...this.replicas].map(([name, replicas]) => ({ namespace: 'default', name, replicas, readyReplicas: this.podList.filter((p) => p.owner?.name === name && p.ready).length }));
  }
  synced(): boolean {
    return true;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async scale(): Promise<void> {}
  onChange(l: (w: ClusterChange) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  setNode(name: string, patch: Partial<DriverNode>): void {
    this.nodeMap.set(name, { ...(this.nodeMap.get(name) as DriverNode), ...patch });
    for (const l of this.listeners) l('nodes');
  }
  async cordon(node: string): Promise<{ alreadyCordoned: boolean }> {
    this.onCall?.('cordon', node);
    this.calls.push(`cordon ${node}`);
    const n = this.nodeMap.get(node) as DriverNode;
    this.setNode(node, { unschedulable: true });
    return { alreadyCordoned: n.unschedulable };
  }
  async uncordon(node: string): Promise<void> {
    this.onCall?.('uncordon', node);
    this.calls.push(`uncordon ${node}`);
    this.setNode(node, { unschedulable: false });
  }
  async evict(pod: { uid: string; node: string }): Promise<EvictionOutcome> {
    this.onCall?.('evict', pod.node);
    this.calls.push(`evict ${pod.uid}`);
    const p = this.podList.find((x) => x.uid === pod.uid && x.node === pod.node);
    if (!p) return { kind: 'gone' };
    this.podList = this.podList.filter((x) => x !== p);
    const target = this.nodes().filter((n) => !n.unschedulable && n.ready).sort((a, b) => this.load(a.name) - this.load(b.name) || a.name.localeCompare(b.name))[0];
    this.podList.push(this.pod(p.owner?.name ?? 'x', target?.name));
    return { kind: 'evicted' };
  }
  private load(node: string): number {
    return this.podList.filter((p) => p.node === node).length;
  }
}

export interface AgentSink {
  onNodeConnected(node: string, info: { bootId: string; previousBootId: string | undefined; kernelVersion: string }): void;
  onNodeDisconnected(node: string): void;
  onCommandStatus(node: string, status: ICommandStatus): void;
}

interface Exec {
  commandId: string;
  runId: string;
  state: number;
  bootIdBefore: string;
  rebooted: boolean;
}

/** Agents that behave like the executor (and verify signatures with the aggregator's public key). */
export class FakeAgents implements AgentChannel {
  readonly connected = new Set<string>();
  readonly boots = new Map<string, string>();
  readonly sent: ICommand[] = [];
  readonly execs = new Map<string, Exec>();
  readonly badSignatures: string[] = [];
  /** Reboots actually performed, per node. */
  readonly reboots = new Map<string, number>();
  sink: AgentSink | undefined;
  /** Nodes whose reboot never happens (the machine stays up). */
  readonly rebootHangs = new Set<string>();
  private bootN = 0;

  constructor(private readonly clock: Clock, private readonly publicKeyFile: () => string, nodes: readonly string[]) {
    for (const n of nodes) {
      this.boots.set(n, `${n}-boot-0`);
      this.connected.add(n);
    }
  }

  sendCommand(node: string, cmd: ICommand): boolean {
    if (!this.connected.has(node)) return false;
    this.sent.push(cmd);
    const check = verifyCommandSignature(cmd, createPublicKey(readFileSync(this.publicKeyFile(), 'utf8')));
    queueMicrotask(() => this.receive(node, cmd, check.ok));
    return true;
  }
  isConnected(node: string): boolean {
    return this.connected.has(node);
  }
  simulatedBoot(): boolean {
    return true;
  }
  agentBoot(node: string): { bootId: string; kernelVersion: string } | undefined {
    return this.connected.has(node) ? { bootId: this.boots.get(node) as string, kernelVersion: '6.1.0' } : undefined;
  }

  private status(node: string, e: Exec, extra: Partial<ICommandStatus> = {}): ICommandStatus {
    return {
      commandId: e.commandId, runId: e.runId, state: e.state as CommandState, bootIdBefore: e.bootIdBefore, bootId: this.boots.get(node) ?? '',
      kernelVersion: e.rebooted ? '6.1.0+hms1' : '6.1.0', rebooted: e.rebooted, simulated: true, rebootRequired: false, exitCode: 0, message: '', ...extra,
    };
  }

  private receive(node: string, cmd: ICommand, signatureOk: boolean): void {
    if (!this.connected.has(node)) return;
    if (!signatureOk) {
      this.badSignatures.push(cmd.id ?? '');
      this.sink?.onCommandStatus(node, { commandId: cmd.id ?? '', state: CommandState.COMMAND_STATE_REFUSED, refusalReason: 'bad_signature' });
      return;
    }
    const known = this.execs.get(node);
    if (known && known.commandId === cmd.id) {
      this.sink?.onCommandStatus(node, this.status(node, known));
      return;
    }
    const e: Exec = { commandId: cmd.id ?? '', runId: cmd.runId ?? '', state: CommandState.COMMAND_STATE_RECEIVED, bootIdBefore: this.boots.get(node) as string, rebooted: false };
    this.execs.set(node, e);
    this.sink?.onCommandStatus(node, this.status(node, e));
    e.state = CommandState.COMMAND_STATE_PATCHING;
    this.sink?.onCommandStatus(node, this.status(node, e));
    e.state = CommandState.COMMAND_STATE_REBOOTING;
    this.sink?.onCommandStatus(node, this.status(node, e, { rebootRequired: true }));
    if (this.rebootHangs.has(node)) return;
    this.clock.setTimeout(() => {
      this.connected.delete(node);
      this.sink?.onNodeDisconnected(node);
      this.clock.setTimeout(() => this.boot(node), 2000);
    }, 1000);
  }

  /** The node comes back on a new boot id and the agent reports DONE (also in its hello's in_flight). */
  boot(node: string): void {
    const previous = this.boots.get(node);
    const bootId = `${node}-boot-${++this.bootN}`;
    this.boots.set(node, bootId);
    this.reboots.set(node, (this.reboots.get(node) ?? 0) + 1);
    const e = this.execs.get(node);
    if (e && e.state === CommandState.COMMAND_STATE_REBOOTING) {
      e.state = CommandState.COMMAND_STATE_DONE;
      e.rebooted = true;
    }
    this.reconnect(node, previous);
  }

  /** The agent (re)connects: hello, then its in-flight statuses. */
  reconnect(node: string, previousBootId = this.boots.get(node)): void {
    this.connected.add(node);
    this.sink?.onNodeConnected(node, { bootId: this.boots.get(node) as string, previousBootId, kernelVersion: '6.1.0+hms1' });
    const e = this.execs.get(node);
    if (e) this.sink?.onCommandStatus(node, this.status(node, e));
  }
}

/** An event log in memory, shaped like the feed. */
export class MemoryEvents {
  readonly all: FeedEventLike[] = [];
  constructor(private readonly clock: Clock) {}
  append(type: string, fields: Record<string, unknown>): void {
    this.all.push({ seq: this.all.length + 1, time: new Date(this.clock.now()).toISOString(), type, ...fields });
  }
  ofRun(run: string): FeedEventLike[] {
    return this.all.filter((e) => e['run'] === run);
  }
}
