import { isActiveStep, isFinalStep, type NodeState } from '../nodeState.js';
import { activeNodes, stepCounts } from '../runMachine.js';
import type { RolloutPlan } from '../planRollout.js';
import type { PatchWindow } from '../windows.js';
import type { LiveRun } from './patchOrchestrator.js';
import type { PatchRequest } from './patchRequest.js';
import type { NodeMeta } from './patchStore.js';

/** JSON views of runs for the API (SPEC §3): `{id, state, nodes: [{name, state, …}], …}`. Times ISO-8601 UTC. */

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export function windowView(w: PatchWindow): { start: string; end: string; sources: readonly string[] } {
  return { start: iso(w.startMs) as string, end: iso(w.endMs) as string, sources: w.sources };
}

/** One node of a run. `state` is the step (pending, preflight, … done, failed, blocked, skipped, cancelled). */
export function nodeView(s: NodeState, meta: NodeMeta | undefined, position: number, estimateMs: number | undefined): Record<string, unknown> {
  const a = s.agent;
  return {
    name: s.node,
    position,
    state: s.step,
    since: iso(s.stepSinceMs),
    reason: meta?.lastReason ?? null,
    paused: s.paused,
    startedAt: iso(meta?.startedMs),
    finishedAt: iso(s.finishedAtMs),
    durationMs: meta?.startedMs !== null && meta?.startedMs !== undefined && s.finishedAtMs !== null && s.step === 'done' ? s.finishedAtMs - meta.startedMs : null,
    estimateMs: estimateMs ?? null,
    cordon: s.cordon.preexisting ? 'preexisting' : s.cordon.ours ? 'ours' : 'none',
    bootIdBefore: s.bootIdBefore,
    bootId: s.reboot?.bootId ?? s.lastSeen?.bootId ?? s.nodeInfo?.bootId ?? null,
    kernelBefore: s.kernelBefore,
    kernelVersion: s.reboot?.kernelVersion ?? a?.kernelVersion ?? s.lastSeen?.kernelVersion ?? null,
    rebooted: s.reboot !== null,
    simulated: s.reboot?.simulated ?? false,
    agentConnected: s.lastSeen?.connected ?? null,
    commandId: s.command?.id ?? null,
    agent: a
      ? { state: a.state, message: a.message, exitCode: a.exitCode, rebootRequired: a.rebootRequired, rebooted: a.rebooted, dryRun: a.dryRun, refusalReason: a.refusalReason, outputTail: meta?.outputTail ?? null }
      : null,
    drain: s.drain ? { pods: s.drain.pods.map((p) => ({ pod: `${p.namespace}/${p.name}`, status: p.evicted ? 'evicted' : p.status, attempts: p.attempts, message: p.lastMessage })), deadline: iso(s.drain.deadlineMs) } : null,
    deadline: iso(s.deadlineMs),
    failure: s.failure,
    blockers: s.lastBlock,
    blocks: s.blocks,
    notBefore: iso(s.notBeforeMs),
    notes: s.notes,
  };
}

export function requestView(r: PatchRequest): Record<string, unknown> {
  return {
    kind: r.kind, strategy: r.strategy, concurrency: r.concurrency, failureBudget: r.failureBudget, selector: r.selector, dryRun: r.dryRun,
    drainTimeoutMs: r.drainTimeoutMs, windowsGiven: r.windows,
  };
}

/** A run with every node (GET /v1/patches/ID). */
export function runView(live: LiveRun): Record<string, unknown> {
  const s = live.state;
  const final = s.order.filter((n) => isFinalStep(s.nodes[n]?.step ?? 'pending')).length;
  return {
    id: s.run,
    state: s.status,
    result: s.result,
    settled: s.settled,
    reason: s.reason,
    ...requestView(live.request),
    windows: s.config.windows.map(windowView),
    created: iso(live.createdMs),
    started: iso(s.startedAtMs),
    finished: iso(s.finishedAtMs),
    nextStart: iso(s.nextStartMs),
    inFlight: activeNodes(s),
    failed: s.failed,
    counts: stepCounts(s),
    progress: { final, total: s.order.length, done: s.order.filter((n) => s.nodes[n]?.step === 'done').length },
    nodes: s.order.map((n, i) => nodeView(s.nodes[n] as NodeState, live.meta[n], i + 1, s.config.estimatesMs[n] ?? s.config.defaultEstimateMs)),
  };
}

/** A run without the node details (GET /v1/patches). */
export function runSummary(live: LiveRun): Record<string, unknown> {
  const { nodes, ...rest } = runView(live);
  const list = nodes as { name: string; state: string }[];
  return { ...rest, nodes: list.map((n) => ({ name: n.name, state: n.state })), active: live.state.order.some((n) => isActiveStep(live.state.nodes[n]?.step ?? 'pending')) };
}

/** POST /v1/patches/plan. */
export function planView(p: { request: PatchRequest; windows: PatchWindow[]; nowMs: number; defaultEstimateMs: number; plan: RolloutPlan; activeRun: string | null }): Record<string, unknown> {
  return {
    now: iso(p.nowMs),
    ...requestView(p.request),
    windows: p.windows.map(windowView),
    defaultEstimateMs: p.defaultEstimateMs,
    activeRun: p.activeRun,
    ...p.plan,
  };
}
