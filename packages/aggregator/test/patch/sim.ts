/**
 * A discrete-event simulation of a patch run for property tests: the run machine, an in-memory
 * cluster (nodes, pods, budgets, evictions that reschedule pods), and one real agent executor
 * machine per node (packages/agent), wired the way the runners will be. Faults are injected
 * with a seeded RNG: aggregator crashes (state serialised to JSON and parsed back, answers in
 * flight lost), agent restarts without a reboot, 429s, eviction errors, operator pause /
 * resume / cancel. Time is simulated; nothing sleeps.
 */
import { isDeepStrictEqual } from 'node:util';
import { seededRandom, type Random } from '@hms-sys/common';
import {
  inFlightStatuses,
  initialExecutorState,
  nextExecutorStep,
  type ExecutorAction,
  type ExecutorConfig,
  type ExecutorEvent,
  type ExecutorState,
} from '../../../agent/src/executor/executorMachine.js';
import type { DisruptionBudget, DriverNode, DriverPod, EvictionOutcome } from '../../src/drivers/types.js';
import type { FeedEventLike } from '../../src/patch/invariants.js';
import type { NodePatchConfig, PatchAction } from '../../src/patch/nodeState.js';
import { preflight } from '../../src/patch/preflight.js';
import { activeNodes, createRun, nextRunStep } from '../../src/patch/runMachine.js';
import type { RunObservation, RunState } from '../../src/patch/runState.js';
import type { PatchWindow } from '../../src/patch/windows.js';

export const T0 = Date.UTC(2024, 3, 5, 2, 0);

export interface SimFaults {
  /** Per loop iteration. */
  crash?: number;
  agentRestart?: number;
  pause?: number;
  cancel?: number;
  /** Per eviction. */
  evict429?: number;
  evictError?: number;
  /** Per command: the patch fails (exit 1). */
  patchFail?: number;
  /** Per reboot: the machine does not go down (reboot command "succeeds" but nothing happens). */
  rebootHangs?: number;
}

export interface SimOptions {
  readonly seed: number;
  readonly nodes?: number;
  readonly podsPerNode?: number;
  readonly allocatableMilli?: number;
  readonly podCpuMilli?: number;
  readonly concurrency?: number;
  readonly failureBudget?: number;
  readonly windows?: readonly PatchWindow[];
  readonly estimateMs?: number;
  readonly faults?: SimFaults;
  readonly maxIterations?: number;
  readonly node?: Partial<NodePatchConfig>;
  /** Crash the aggregator exactly before these loop iterations (1-based). */
  readonly crashAtIterations?: ReadonlySet<number>;
  /** Node names already cordoned before the run. */
  readonly precordoned?: readonly string[];
  /** Called after every run step with the new state (for assertions on every state). */
  readonly onState?: (state: RunState) => void;
}

interface WorldNode {
  name: string;
  allocatableCpuMilli: number;
  unschedulable: boolean;
  ready: boolean;
  bootId: string;
  kernelVersion: string;
  agentUp: boolean;
  /** A reboot is under way: more reboot commands and agent restarts are moot until it boots. */
  shuttingDown: boolean;
  exec: ExecutorState;
  /** Status reports made while disconnected (delivered via hello in_flight). */
  reboots: number;
  bootIds: string[];
}

type QueueItem =
  | { at: number; n: number; kind: 'run'; obs: RunObservation; answer: boolean }
  | { at: number; n: number; kind: 'exec'; node: string; event: ExecutorEvent }
  | { at: number; n: number; kind: 'world'; what: string; fn: () => void };

type QueueInput =
  | { kind: 'run'; obs: RunObservation; answer: boolean }
  | { kind: 'exec'; node: string; event: ExecutorEvent }
  | { kind: 'world'; what: string; fn: () => void };

export interface SimResult {
  readonly state: RunState;
  readonly events: FeedEventLike[];
  readonly actions: PatchAction[];
  readonly world: {
    readonly nodes: ReadonlyMap<string, WorldNode>;
    readonly pods: readonly DriverPod[];
  };
  readonly initialBootIds: ReadonlyMap<string, string>;
  readonly crashes: number;
  /** Node steps persisted at the moments of the crashes. */
  readonly crashedInSteps: ReadonlySet<string>;
  readonly agentRestarts: number;
  readonly iterations: number;
  readonly maxActive: number;
}

const EXEC_CONFIG = (node: string): ExecutorConfig => ({
  nodeName: node,
  allowPatch: true,
  allowReboot: true,
  rebootTimeoutMs: 120_000,
  historyLimit: 50,
  seenLimit: 1000,
});

/** Short timeouts so simulated runs stay small. */
export const SIM_NODE_CONFIG: Partial<NodePatchConfig> = {
  drainTimeoutMs: 120_000,
  commandTimeoutMs: 180_000,
  rebootTimeoutMs: 180_000,
  verifyTimeoutMs: 120_000,
  healthGateTimeoutMs: 120_000,
  blockedRetryMs: 20_000,
  resumeGraceMs: 60_000,
};

export function simulateRun(opts: SimOptions): SimResult {
  const rnd: Random = seededRandom(opts.seed);
  const chance = (p: number | undefined): boolean => p !== undefined && p > 0 && rnd.next() < p;
  const between = (a: number, b: number): number => Math.round(a + rnd.next() * (b - a));
  const faults = opts.faults ?? {};
  const nodeCount = opts.nodes ?? 4;
  const podsPerNode = opts.podsPerNode ?? 2;
  let uidCounter = 0;
  let bootCounter = 0;
  const newBoot = (): string => `boot-${++bootCounter}`;

  const world = new Map<string, WorldNode>();
  const names = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
  for (const name of names) {
    const bootId = newBoot();
    const exec0 = nextExecutorStep(initialExecutorState(), { kind: 'agentStarted', nowMs: T0, bootId, kernelVersion: '6.1.0-old' }, EXEC_CONFIG(name)).state;
    world.set(name, {
      name,
      allocatableCpuMilli: opts.allocatableMilli ?? 4000,
      unschedulable: opts.precordoned?.includes(name) ?? false,
      ready: true,
      bootId,
      kernelVersion: '6.1.0-old',
      agentUp: true,
      shuttingDown: false,
      exec: exec0,
      reboots: 0,
      bootIds: [bootId],
    });
  }
  const initialBootIds = new Map([...world].map(([k, v]) => [k, v.bootId]));
  let pods: DriverPod[] = [];
  const apps = Math.max(1, podsPerNode);
  for (const name of names) {
    for (let i = 0; i < podsPerNode; i++) {
      pods.push({
        uid: `uid-${++uidCounter}`,
        namespace: 'default',
        name: `app-${i}-${uidCounter}`,
        node: name,
        phase: 'Running',
        deleted: false,
        ready: true,
        containers: [{ name: 'c', cpuRequestMilli: opts.podCpuMilli ?? 500 }],
        owner: { kind: 'Deployment', name: `app-${i % apps}` },
      });
    }
    pods.push({
      uid: `uid-${++uidCounter}`,
      namespace: 'kube-system',
      name: `hms-sys-agent-${name}`,
      node: name,
      phase: 'Running',
      deleted: false,
      ready: true,
      containers: [{ name: 'agent', cpuRequestMilli: 100 }],
      owner: { kind: 'DaemonSet', name: 'hms-sys-agent' },
    });
  }
  const budgets = (): DisruptionBudget[] =>
    Array.from({ length: apps }, (_, i) => ({
      namespace: 'default',
      name: `app-${i}`,
      podUids: pods.filter((p) => p.owner?.name === `app-${i}`).map((p) => p.uid),
      disruptionsAllowed: 100,
    }));
  const driverNodes = (): DriverNode[] =>
    [...world.values()].map((w) => ({
      name: w.name,
      allocatableCpuMilli: w.allocatableCpuMilli,
      unschedulable: w.unschedulable,
      ready: w.ready,
      bootId: w.bootId,
      kernelVersion: w.kernelVersion,
      labels: {},
    }));

  // ---------------------------------------------------------------- queue
  const queue: QueueItem[] = [];
  let seqN = 0;
  const lastAnswerAt = new Map<string, number>();
  const push = (at: number, item: QueueInput): void => {
    queue.push({ ...item, at, n: ++seqN } as QueueItem);
  };
  /** Answers to one node's actions are delivered in order (the runner contract). */
  const answer = (node: string, now: number, obs: RunObservation, latency = between(5, 200)): void => {
    const at = Math.max(now + latency, (lastAnswerAt.get(node) ?? 0) + 1);
    lastAnswerAt.set(node, at);
    push(at, { kind: 'run', obs, answer: true });
  };
  const popNext = (): QueueItem | undefined => {
    if (queue.length === 0) return undefined;
    let best = 0;
    for (let i = 1; i < queue.length; i++) {
      const a = queue[i] as QueueItem;
      const b = queue[best] as QueueItem;
      if (a.at < b.at || (a.at === b.at && a.n < b.n)) best = i;
    }
    return queue.splice(best, 1)[0];
  };

  // ---------------------------------------------------------------- recording
  const events: FeedEventLike[] = [];
  const actions: PatchAction[] = [];
  let now = T0;
  let maxActive = 0;

  // ---------------------------------------------------------------- agent side
  const reportToRun = (node: string, status: ReturnType<typeof inFlightStatuses>[number]): void => {
    const w = world.get(node) as WorldNode;
    if (!w.agentUp) return; // lost: the agent re-reports in its next hello
    push(now + between(5, 100), { kind: 'run', obs: { kind: 'node', node, observation: { kind: 'commandStatus', nowMs: 0, status } }, answer: false });
  };
  const runExec = (node: string, event: ExecutorEvent): void => {
    const w = world.get(node) as WorldNode;
    const res = nextExecutorStep(w.exec, event, EXEC_CONFIG(node));
    w.exec = res.state;
    for (const a of res.actions) performExec(node, a);
  };
  const bootAgent = (node: string, rebooted: boolean): void => {
    const w = world.get(node) as WorldNode;
    if (rebooted) {
      w.bootId = newBoot();
      w.bootIds.push(w.bootId);
      w.kernelVersion = '6.1.0-new';
      w.reboots++;
      w.ready = true;
      w.shuttingDown = false;
    } else if (w.shuttingDown) {
      return;
    }
    w.agentUp = true;
    runExec(node, { kind: 'agentStarted', nowMs: now, bootId: w.bootId, kernelVersion: w.kernelVersion });
    push(now + between(5, 50), {
      kind: 'run',
      obs: { kind: 'node', node, observation: { kind: 'nodeSeen', nowMs: 0, connected: true, bootId: w.bootId, kernelVersion: w.kernelVersion, ready: true } },
      answer: false,
    });
    for (const st of inFlightStatuses(w.exec)) reportToRun(node, st);
  };
  const agentDown = (node: string): void => {
    const w = world.get(node) as WorldNode;
    w.agentUp = false;
    push(now + between(5, 50), { kind: 'run', obs: { kind: 'node', node, observation: { kind: 'nodeSeen', nowMs: 0, connected: false } }, answer: false });
  };
  function performExec(node: string, a: ExecutorAction): void {
    const w = world.get(node) as WorldNode;
    switch (a.kind) {
      case 'persist':
        return; // w.exec already holds it
      case 'report':
        reportToRun(node, a.status);
        return;
      case 'runPatch': {
        const fail = chance(faults.patchFail);
        push(now + between(1_000, 5_000), {
          kind: 'exec',
          node,
          event: { kind: 'patchFinished', nowMs: 0, commandId: a.commandId, exitCode: fail ? 1 : 0, outputTail: fail ? 'E: broken' : 'ok', rebootRequired: true },
        });
        return;
      }
      case 'checkRebootRequired':
        push(now + 100, { kind: 'exec', node, event: { kind: 'rebootRequiredChecked', nowMs: 0, commandId: a.commandId, rebootRequired: false } });
        return;
      case 'reboot': {
        if (w.shuttingDown || chance(faults.rebootHangs)) return;
        w.shuttingDown = true;
        const bootAt = now + between(5_000, 30_000);
        push(now + between(50, 500), {
          kind: 'world',
          what: `${node} goes down`,
          fn: () => {
            w.ready = false;
            agentDown(node);
            push(bootAt, { kind: 'world', what: `${node} boots`, fn: () => bootAgent(node, true) });
          },
        });
        return;
      }
    }
  }

  // ---------------------------------------------------------------- cluster side (the runner)
  const evict = (pod: { uid: string; node: string }): EvictionOutcome => {
    const p = pods.find((x) => x.uid === pod.uid && x.node === pod.node);
    if (!p) return { kind: 'gone' };
    if (chance(faults.evictError)) return { kind: 'error', message: 'Internal error: several budgets select the pod' };
    if (chance(faults.evict429)) return { kind: 'blocked', budgets: [`default/${p.owner?.name ?? '?'}`], message: 'Cannot evict pod as it would violate the pod\'s disruption budget.' };
    pods = pods.filter((x) => x !== p);
    // The controller replaces it on the node with the most free CPU.
    push(now + between(200, 2_000), {
      kind: 'world',
      what: `replace ${p.name}`,
      fn: () => {
        const target = [...world.values()]
          .filter((w) => !w.unschedulable && w.ready)
          .map((w) => ({ w, free: w.allocatableCpuMilli - pods.filter((x) => x.node === w.name).reduce((s, x) => s + (x.containers[0]?.cpuRequestMilli ?? 0), 0) }))
          .sort((a, b) => b.free - a.free)[0];
        pods.push({ ...p, uid: `uid-${++uidCounter}`, node: target?.w.name, phase: target ? 'Running' : 'Pending' });
      },
    });
    return { kind: 'evicted' };
  };

  const perform = (a: PatchAction): void => {
    actions.push(a);
    const toNode = (node: string, observation: Parameters<typeof nodeObs>[1]): void => answer(node, now, nodeObs(node, observation));
    switch (a.kind) {
      case 'emit':
        events.push({ seq: events.length + 1, time: new Date(now).toISOString(), ...a.event } as FeedEventLike);
        return;
      case 'preflight': {
        const result = preflight({ nodes: driverNodes(), pods, budgets: budgets(), node: a.node, unavailableNodes: a.unavailableNodes, options: a.options });
        toNode(a.node, { kind: 'preflightResult', nowMs: 0, result });
        return;
      }
      case 'cordon': {
        const w = world.get(a.node) as WorldNode;
        const already = w.unschedulable;
        w.unschedulable = true;
        toNode(a.node, { kind: 'cordoned', nowMs: 0, alreadyCordoned: already });
        return;
      }
      case 'uncordon':
        (world.get(a.node) as WorldNode).unschedulable = false;
        toNode(a.node, { kind: 'uncordoned', nowMs: 0 });
        return;
      case 'listPods':
        toNode(a.node, { kind: 'podsOnNode', nowMs: 0, pods: pods.filter((p) => p.node === a.node) });
        return;
      case 'evict':
        toNode(a.node, { kind: 'evictionResult', nowMs: 0, uid: a.pod.uid, outcome: evict(a.pod) });
        return;
      case 'checkWorkloads': {
        const ready = !pods.some((p) => p.phase === 'Pending');
        toNode(a.node, { kind: 'workloadsReady', nowMs: 0, ready });
        return;
      }
      case 'sendCommand':
      case 'reattachCommand': {
        const w = world.get(a.node) as WorldNode;
        if (!w.agentUp) {
          toNode(a.node, { kind: 'actionFailed', nowMs: 0, action: a.kind, message: 'agent not connected' });
          return;
        }
        const cmd = a.command;
        push(now + between(5, 100), {
          kind: 'exec',
          node: a.node,
          event: {
            kind: 'commandReceived',
            nowMs: 0,
            signatureValid: true,
            command: {
              id: cmd.id,
              runId: cmd.runId,
              nodeName: cmd.nodeName,
              issuedAtMs: cmd.issuedAtMs,
              expiresAtMs: cmd.expiresAtMs,
              patchKind: cmd.patchKind,
              allowReboot: cmd.allowReboot,
              forceReboot: cmd.forceReboot,
              dryRun: cmd.dryRun,
            },
          },
        });
        return;
      }
    }
  };

  // ---------------------------------------------------------------- the run
  let state: RunState;
  const step = (obs: RunObservation): void => {
    const res = nextRunStep(state, obs);
    state = res.state;
    // Every state must survive the runner's JSON persistence unchanged (no undefined, Infinity, Date...).
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(state)), state)) throw new Error(`state is not plain JSON after ${obs.kind}`);
    opts.onState?.(state);
    maxActive = Math.max(maxActive, activeNodes(state).length);
    for (const a of res.actions) perform(a);
  };
  {
    const res = createRun({
      run: 'run-1',
      nowMs: now,
      nodes: names,
      concurrency: opts.concurrency ?? 1,
      failureBudget: opts.failureBudget ?? 2,
      windows: opts.windows ?? [],
      defaultEstimateMs: opts.estimateMs ?? 60_000,
      node: { ...SIM_NODE_CONFIG, ...(opts.node ?? {}) },
    });
    state = res.state;
    opts.onState?.(state);
    for (const a of res.actions) perform(a);
  }
  // Agents say hello once at the start.
  for (const name of names) {
    const w = world.get(name) as WorldNode;
    push(now + 1, { kind: 'run', obs: { kind: 'node', node: name, observation: { kind: 'nodeSeen', nowMs: 0, connected: true, bootId: w.bootId, kernelVersion: w.kernelVersion, ready: true } }, answer: false });
  }

  let crashes = 0;
  const crashedInSteps = new Set<string>();
  let agentRestarts = 0;
  let iterations = 0;
  const max = opts.maxIterations ?? 20_000;
  let lastTick = now;
  while (iterations++ < max) {
    if (state.settled && !queue.some((q) => q.kind !== 'run' || !q.answer)) break;
    // Faults and operator commands.
    if (chance(faults.crash) || opts.crashAtIterations?.has(iterations)) {
      crashes++;
      for (const n of Object.values(state.nodes)) crashedInSteps.add(n.step);
      // The runner persisted the state before performing its actions; answers in flight are lost.
      const persisted = JSON.parse(JSON.stringify(state)) as RunState;
      for (let i = queue.length - 1; i >= 0; i--) {
        const q = queue[i] as QueueItem;
        if (q.kind === 'run') queue.splice(i, 1);
      }
      state = persisted;
      step({ kind: 'restart', nowMs: now });
      // Agents reconnect to the new aggregator and say hello with their in-flight commands.
      for (const w of world.values()) {
        if (!w.agentUp) continue;
        push(now + between(10, 500), { kind: 'run', obs: { kind: 'node', node: w.name, observation: { kind: 'nodeSeen', nowMs: 0, connected: true, bootId: w.bootId, kernelVersion: w.kernelVersion, ready: w.ready } }, answer: false });
        for (const st of inFlightStatuses(w.exec)) reportToRun(w.name, st);
      }
      continue;
    }
    if (chance(faults.agentRestart)) {
      const w = world.get(names[Math.floor(rnd.next() * names.length)] as string) as WorldNode;
      if (w.agentUp) {
        agentRestarts++;
        agentDown(w.name);
        push(now + between(1_000, 5_000), { kind: 'world', what: `${w.name} agent restarts`, fn: () => bootAgent(w.name, false) });
      }
    }
    if (chance(faults.pause)) step({ kind: 'pause', nowMs: now });
    if (state.status === 'paused' && chance(0.05)) step({ kind: 'resume', nowMs: now });
    if (chance(faults.cancel)) step({ kind: 'cancel', nowMs: now });

    const next = queue.reduce<QueueItem | undefined>((m, q) => (!m || q.at < m.at || (q.at === m.at && q.n < m.n) ? q : m), undefined);
    if (!next || next.at > lastTick + 1_000) {
      // Nothing due before the next tick: tick (jumping ahead when idle, at most 5 s).
      now = next ? Math.min(Math.max(next.at, lastTick + 1_000), lastTick + 5_000) : lastTick + 5_000;
      lastTick = now;
      for (const w of world.values()) if (w.agentUp) runExec(w.name, { kind: 'tick', nowMs: now });
      step({ kind: 'tick', nowMs: now });
      continue;
    }
    const item = popNext() as QueueItem;
    now = Math.max(now, item.at);
    if (item.kind === 'run') {
      const obs = item.obs.kind === 'node' ? { ...item.obs, observation: { ...item.obs.observation, nowMs: now } } : item.obs;
      step(obs as RunObservation);
    } else if (item.kind === 'exec') {
      const w = world.get(item.node) as WorldNode;
      if (w.agentUp) runExec(item.node, { ...item.event, nowMs: now } as ExecutorEvent);
      else if (item.event.kind === 'commandReceived') {
        /* the agent was down: the command is lost; the aggregator re-attaches */
      } else {
        // Work in progress dies with the agent; the executor learns it at the next start.
      }
    } else {
      item.fn();
    }
  }
  return { state, events, actions, world: { nodes: world, pods }, initialBootIds, crashes, crashedInSteps, agentRestarts, iterations, maxActive };
}

function nodeObs(node: string, observation: Extract<RunObservation, { kind: 'node' }>['observation']): RunObservation {
  return { kind: 'node', node, observation };
}
