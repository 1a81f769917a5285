import type { KeyObject } from 'node:crypto';
import { decodeAggregatorMessage, PROTOCOL_VERSION, verifyCommandSignature, type ICommand, type ICommandStatus } from '@hms-sys/protocol';
import {
  inFlightStatuses,
  initialExecutorState,
  nextExecutorStep,
  type ExecutorAction,
  type ExecutorConfig,
  type ExecutorEvent,
  type ExecutorState,
} from '../../../../agent/src/executor/executorMachine.js';
import { toExecCommand, toProtoStatus } from '../../../../agent/src/executor/executorWire.js';
import type { FakeKubeApi } from '../../kit/fakeKubeApi/fakeKubeApi.js';
import { RawAgent } from '../../kit/testAggregator.js';

export interface SimulatedNodeOptions {
  readonly name: string;
  readonly api: FakeKubeApi;
  readonly wsUrl: string;
  readonly agentToken: string;
  /** The aggregator's command-signing public key (its data dir's command-signing.pub). */
  readonly commandKey: KeyObject;
  /** The kernel the node boots into after its patch. */
  readonly kernelAfter: string;
  /** How long the machine is down during a reboot (ms). */
  readonly rebootMs?: number;
}

/**
 * One node as the patch orchestrator meets it on Kubernetes: its agent on the real agent stream
 * (a RawAgent: hello with the boot id, metrics batches every 250 ms) running the REAL executor
 * step machine of packages/agent (so CommandStatus progress is exactly what an agent reports:
 * received → patching → rebooting, then verifying → done on the new boot), and its kubelet's
 * side in the fake API server: during a reboot the Node goes NotReady, then comes back Ready
 * with a new status.nodeInfo.bootID and kernelVersion.
 *
 * Every Command is checked with @hms-sys/protocol's verifyCommandSignature against the
 * aggregator's public key before the executor sees it (a bad signature is refused, as the agent
 * does). The reboot: the agent's connection closes, the machine is down for `rebootMs`, the
 * Node is updated, and the agent reconnects on a NEW stream with the NEW boot id, re-reporting
 * its executor state in Hello.in_flight.
 */
export class SimulatedNode {
  readonly name: string;
  bootId: string;
  kernelVersion: string;
  /** Every boot id this node has run on, first = before the run. */
  readonly bootIds: string[] = [];
  /** Commands received (including re-sends of the same id). */
  readonly commands: ICommand[] = [];
  readonly signatureProblems: string[] = [];
  /** Statuses sent to the aggregator, in order (over the stream or in a hello). */
  readonly reported: ICommandStatus[] = [];
  /** Anything that went wrong inside the simulation (asserted empty by the test). */
  readonly errors: string[] = [];
  reboots = 0;
  private exec: ExecutorState = initialExecutorState();
  private agent: RawAgent | undefined;
  private connected = false;
  private readonly queued: ICommandStatus[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private metrics: NodeJS.Timeout | undefined;
  private stream = 0;
  private seq = 0;
  private closed = false;
  private readonly config: ExecutorConfig;

  constructor(private readonly opts: SimulatedNodeOptions) {
    this.name = opts.name;
    const node = opts.api.get('nodes', undefined, opts.name);
    if (!node) throw new Error(`no Node ${opts.name} in the fake API`);
    this.bootId = node.status.nodeInfo.bootID as string;
    this.kernelVersion = node.status.nodeInfo.kernelVersion as string;
    this.bootIds.push(this.bootId);
    this.config = { nodeName: opts.name, allowPatch: true, allowReboot: true, rebootTimeoutMs: 60_000, historyLimit: 50, seenLimit: 1000 };
  }

  /** The agent process starts on the current boot and connects. */
  async start(): Promise<void> {
    this.step({ kind: 'agentStarted', nowMs: Date.now(), bootId: this.bootId, kernelVersion: this.kernelVersion });
    await this.connect();
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.metrics);
    this.agent?.close();
  }

  private async connect(): Promise<void> {
    const agent = await RawAgent.connect(this.opts.wsUrl, this.opts.agentToken);
    if (this.closed) {
      agent.close();
      return;
    }
    this.agent = agent;
    agent.ws.on('message', (d: Buffer) => {
      const msg = decodeAggregatorMessage(d);
      if (msg.command) this.onCommand(msg.command);
    });
    agent.ws.on('close', () => {
      if (this.agent === agent) this.connected = false;
    });
    this.seq = 0;
    const inFlight = inFlightStatuses(this.exec).map(toProtoStatus);
    this.reported.push(...inFlight);
    agent.send({
      hello: {
        nodeName: this.name, agentVersion: 'sim', protocolVersion: PROTOCOL_VERSION, streamId: `${this.name}-${++this.stream}`, intervalMs: 250,
        node: { bootId: this.bootId, kernelVersion: this.kernelVersion, osImage: 'Debian GNU/Linux 12 (bookworm)', cpuCores: 2, memoryBytes: 8e9, hostname: this.name },
        inFlight,
      },
    });
    await agent.until(() => agent.received.some((m) => m.welcome), `welcome of ${this.name}`);
    this.connected = true;
    // What the executor reported while the stream was down goes out now (the agent queues it).
    for (const s of this.queued.splice(0)) this.send(s);
    this.sendBatch();
    this.metrics = setInterval(() => this.sendBatch(), 250);
  }

  private sendBatch(): void {
    if (!this.connected || !this.agent) return;
    const seq = ++this.seq;
    const pods = this.opts.api.store.list('pods').filter((p) => p.spec?.nodeName === this.name);
    this.agent.send({
      metrics: {
        seq, collectedAtMs: Date.now(), monotonicUsec: 5_000_000_000 + seq * 250_000, bootId: this.bootId,
        nodeUsage: { cpuBusyUsec: seq * 100_000, cpuTotalUsec: seq * 500_000, cpuCores: 2, memoryTotalBytes: 8e9, memoryAvailableBytes: 6e9 },
        pods: pods.map((p) => ({
          uid: p.metadata.uid, namespace: p.metadata.namespace, name: p.metadata.name, qosClass: 'Burstable',
          cgroupPath: `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${String(p.metadata.uid).replace(/-/g, '_')}.slice`,
          containers: [{ id: `${p.metadata.name}-c0ffee`, name: 'main', cpuUsageUsec: seq * 25_000 }],
        })),
      },
    });
  }

  private onCommand(cmd: ICommand): void {
    this.commands.push(cmd);
    const check = verifyCommandSignature(cmd, this.opts.commandKey);
    if (!check.ok) this.signatureProblems.push(`${cmd.id}: ${check.reason}`);
    this.step({
      kind: 'commandReceived', nowMs: Date.now(), command: toExecCommand(cmd), signatureValid: check.ok,
      ...(check.ok ? {} : { signatureProblem: check.reason }),
    });
  }

  /** The real executor's transition; its actions performed the way executorRunner does. */
  private step(event: ExecutorEvent): void {
    const res = nextExecutorStep(this.exec, event, this.config);
    this.exec = res.state;
    for (const a of res.actions) this.perform(a);
  }

  private perform(a: ExecutorAction): void {
    switch (a.kind) {
      case 'persist':
        return; // the state above is the persisted one
      case 'report':
        return this.send(toProtoStatus(a.status));
      case 'runPatch':
        return this.later(80, () => this.step({
          kind: 'patchFinished', nowMs: Date.now(), commandId: a.commandId, exitCode: 0,
          outputTail: `Setting up linux-image-${this.opts.kernelAfter} ...\n/var/run/reboot-required written`, rebootRequired: true,
        }));
      case 'checkRebootRequired':
        return this.later(30, () => this.step({ kind: 'rebootRequiredChecked', nowMs: Date.now(), commandId: a.commandId, rebootRequired: false }));
      case 'reboot':
        return this.later(50, () => void this.reboot().catch((err: unknown) => this.errors.push(`reboot of ${this.name}: ${String(err)}`)));
    }
  }

  private send(status: ICommandStatus): void {
    if (!this.connected || !this.agent) {
      this.queued.push(status);
      return;
    }
    this.reported.push(status);
    this.agent.send({ commandStatus: status });
  }

  /** The machine goes down (agent gone, Node NotReady) and boots the new kernel with a new boot id. */
  private async reboot(): Promise<void> {
    const agent = this.agent;
    this.connected = false;
    clearInterval(this.metrics);
    if (agent) {
      agent.close();
      await agent.until(() => agent.closeCode !== undefined, `${this.name}'s connection to close`);
    }
    this.reboots++;
    this.kubelet({ ready: false });
    await new Promise<void>((resolve) => this.later(this.opts.rebootMs ?? 200, resolve));
    if (this.closed) return;
    this.bootId = `${this.bootIds[0]}-after-${this.reboots}`;
    this.kernelVersion = this.opts.kernelAfter;
    this.bootIds.push(this.bootId);
    // The kubelet comes up first and posts the new boot; then the agent's pod starts.
    this.kubelet({ ready: true, bootId: this.bootId, kernelVersion: this.kernelVersion });
    this.step({ kind: 'agentStarted', nowMs: Date.now(), bootId: this.bootId, kernelVersion: this.kernelVersion });
    await this.connect();
  }

  /** The kubelet's Node status: the Ready condition and nodeInfo. */
  private kubelet(change: { ready: boolean; bootId?: string; kernelVersion?: string }): void {
    this.opts.api.modify('nodes', undefined, this.name, (n) => {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      n.status.conditions = [{ type: 'Ready', status: change.ready ? 'True' : 'False', reason: change.ready ? 'KubeletReady' : 'NodeStatusUnknown', lastTransitionTime: now }];
      if (change.bootId) n.status.nodeInfo.bootID = change.bootId;
      if (change.kernelVersion) n.status.nodeInfo.kernelVersion = change.kernelVersion;
    });
  }

  private later(ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.closed) return;
      try {
        f();
      } catch (err) {
        this.errors.push(`${this.name}: ${String(err)}`);
      }
    }, ms);
    this.timers.add(t);
  }
}
