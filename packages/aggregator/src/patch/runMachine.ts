import { nextNodeStep } from './nodeMachine.js';
import { COMMANDED_STEPS, isActiveStep, type NodeObservation, type NodeStep, type PatchAction } from './nodeState.js';
import { FINAL_RUN_STATUSES, initialRunState, type CreateRunInput, type RunObservation, type RunState, type RunStatus, type RunStepResult } from './runState.js';
import { canStartNode } from './windows.js';

/**
 * The run-level machine: which node starts when, and what pause / resume / cancel / halt mean.
 * `nextRunStep(state, observation) → {state, actions}`; pure, state is plain JSON (runState.ts).
 *
 *   scheduled ─window opens→ running ⇄ waiting-window (nothing in flight, next window later)
 *   scheduled / running / waiting-window ─pause→ paused ─resume→ (back)
 *   any of those ─cancel→ cancelled        ─K failed nodes→ halted
 *   running ─every node final→ done (result success | partial)
 *
 * Rules:
 * - At most `concurrency` nodes in flight (preflight .. health gate, releasing included) — never
 *   more, whatever arrives. Nodes start one at a time: the next one only once the previous has
 *   been cordoned, so each preflight sees the cordons before it (and gets the in-flight nodes as
 *   `unavailableNodes`, whose pods it places first).
 * - A node starts only when canStartNode says its estimate fits what is left of the current
 *   window. Nodes are tried in order; one that does not fit is passed over for a later, shorter
 *   one (the order is a preference, the window is a limit). A node whose estimate fits no
 *   remaining window is `skipped` with the reason. When the window ends, not-yet-commanded
 *   nodes are released back to pending (nodeMachine) and the run waits for the next window.
 * - Failure budget K: when K nodes have failed the run is `halted`: pending nodes are skipped,
 *   in-flight nodes not yet commanded are released (uncordoned) and cancelled, commanded nodes
 *   run to their end (a reboot in progress cannot be taken back; verify / uncordon / health gate
 *   leave the node safe). Preflight refusals are not failures (nothing was touched): the node
 *   is retried later and ends `blocked`.
 * - Pause: no node starts; nodes not yet cordoned go back to pending; draining nodes hold
 *   (see nodeMachine); commanded nodes run on. Resume returns to the previous status.
 * - Cancel: pending nodes are skipped; nodes cordoned but not commanded are uncordoned and
 *   cancelled; commanded nodes (mid-patch, mid-reboot...) run to their end.
 */
export function nextRunStep(state: RunState, obs: RunObservation): RunStepResult {
  if (state.settled && obs.kind !== 'node' && obs.kind !== 'tick' && obs.kind !== 'restart') {
    return { state, actions: [], rejected: `run ${state.run} is ${state.status}` };
  }
  const c: Ctx = { r: structuredClone(state), out: [], now: nowOf(obs) };
  let rejected: string | undefined;
  const { r } = c;
  switch (obs.kind) {
    case 'tick':
      for (const n of r.order) if (isActiveStep(stepOf(r, n))) applyNode(c, n, { kind: 'tick', nowMs: c.now });
      break;
    case 'node':
      if (r.nodes[obs.node]) applyNode(c, obs.node, obs.observation);
      break;
    case 'restart':
      for (const n of r.order) if (isActiveStep(stepOf(r, n))) applyNode(c, n, { kind: 'restart', nowMs: c.now });
      break;
    case 'pause':
      if (r.status === 'scheduled' || r.status === 'running' || r.status === 'waiting-window') {
        r.pausedFrom = r.status;
        setStatus(c, 'paused', obs.reason ?? 'paused by an operator');
        for (const n of r.order) if (isActiveStep(stepOf(r, n))) applyNode(c, n, { kind: 'pause', nowMs: c.now });
      } else {
        rejected = `cannot pause a run that is ${r.status}`;
      }
      break;
    case 'resume':
      if (r.status === 'paused') {
        const back = r.pausedFrom === 'scheduled' && r.startedAtMs === null ? 'scheduled' : 'running';
        r.pausedFrom = null;
        setStatus(c, back, 'resumed by an operator');
        for (const n of r.order) if (r.nodes[n]?.paused) applyNode(c, n, { kind: 'resume', nowMs: c.now });
      } else {
        rejected = `cannot resume a run that is ${r.status}`;
      }
      break;
    case 'cancel':
      if (!FINAL_RUN_STATUSES.includes(r.status)) {
        const reason = obs.reason ?? 'cancelled by an operator';
        setStatus(c, 'cancelled', reason);
        stopNodes(c, `run cancelled: ${reason}`);
      } else {
        rejected = `cannot cancel a run that is ${r.status}`;
      }
      break;
  }
  drive(c);
  return rejected === undefined ? { state: r, actions: c.out } : { state: r, actions: c.out, rejected };
}

/** Builds a new run and lets it start what it may at nowMs. Throws HMS_USAGE on bad limits. */
export function createRun(input: CreateRunInput): RunStepResult {
  const r = initialRunState(input);
  const c: Ctx = { r, out: [], now: input.nowMs };
  c.out.push({
    kind: 'emit',
    event: {
      type: 'patch.run',
      run: r.run,
      from: null,
      to: 'scheduled',
      reason: 'created',
      concurrency: r.config.concurrency,
      failureBudget: r.config.failureBudget,
      nodes: [...r.order],
    },
  });
  drive(c);
  return { state: r, actions: c.out };
}

/** Nodes currently in flight (holding a concurrency slot). */
export function activeNodes(state: RunState): string[] {
  return state.order.filter((n) => isActiveStep(stepOf(state, n)));
}

/** Count of nodes per step, for status displays and events. */
export function stepCounts(state: RunState): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of state.order) counts[stepOf(state, n)] = (counts[stepOf(state, n)] ?? 0) + 1;
  return counts;
}

// ---------------------------------------------------------------- internals

interface Ctx {
  readonly r: RunState;
  readonly out: PatchAction[];
  readonly now: number;
}

function nowOf(obs: RunObservation): number {
  return obs.kind === 'node' ? obs.observation.nowMs : obs.nowMs;
}

function stepOf(r: RunState, node: string): NodeStep {
  return r.nodes[node]?.step ?? 'skipped';
}

function applyNode(c: Ctx, node: string, obs: NodeObservation): void {
  const current = c.r.nodes[node];
  if (!current) return;
  const res = nextNodeStep(current, obs, c.r.config.node);
  c.r.nodes[node] = res.state;
  c.out.push(...res.actions);
}

function setStatus(c: Ctx, to: RunStatus, reason: string, extra: { result?: 'success' | 'partial' } = {}): void {
  const { r } = c;
  if (r.status === to) return;
  c.out.push({
    kind: 'emit',
    event: {
      type: 'patch.run',
      run: r.run,
      from: r.status,
      to,
      reason,
      ...(extra.result ? { result: extra.result, counts: stepCounts(r), settled: true } : {}),
    },
  });
  r.status = to;
  r.statusSinceMs = c.now;
  r.reason = reason;
}

/** Cancel / halt: nothing new starts; uncommanded in-flight nodes are released. */
function stopNodes(c: Ctx, reason: string): void {
  for (const n of c.r.order) {
    const step = stepOf(c.r, n);
    if (step === 'pending' || (isActiveStep(step) && !COMMANDED_STEPS.includes(step))) {
      applyNode(c, n, { kind: 'abort', nowMs: c.now, outcome: 'cancelled', reason });
    }
  }
}

function drive(c: Ctx): void {
  const { r } = c;
  for (const n of r.order) if (stepOf(r, n) === 'failed' && !r.failed.includes(n)) r.failed.push(n);
  const live = r.status === 'scheduled' || r.status === 'running' || r.status === 'waiting-window' || r.status === 'paused';
  if (live && r.failed.length >= r.config.failureBudget) {
    const reason = `failure budget used up: ${r.failed.length} node(s) failed (${r.failed.join(', ')})`;
    setStatus(c, 'halted', reason);
    stopNodes(c, `run halted: ${reason}`);
  }
  if (r.status === 'scheduled' || r.status === 'running' || r.status === 'waiting-window') startNodes(c);
  settle(c);
}

function startNodes(c: Ctx): void {
  const { r, now } = c;
  const active = activeNodes(r);
  // One node between start and cordon at a time: the next preflight must see this cordon.
  const starting = active.some((n) => stepOf(r, n) === 'preflight' || stepOf(r, n) === 'cordoning');
  let windowWait: number | null = null;
  let retryWait: number | null = null;
  let started = false;
  if (active.length < r.config.concurrency && !starting) {
    for (const n of r.order) {
      const ns = r.nodes[n];
      if (!ns || ns.step !== 'pending') continue;
      if (ns.notBeforeMs !== null && ns.notBeforeMs > now) {
        retryWait = Math.min(retryWait ?? Infinity, ns.notBeforeMs);
        continue;
      }
      const estimate = r.config.estimatesMs[n] ?? r.config.defaultEstimateMs;
      const d = canStartNode(r.config.windows, now, estimate);
      if (d.kind === 'wait') {
        windowWait = Math.min(windowWait ?? Infinity, d.untilMs);
        continue;
      }
      if (d.kind === 'none') {
        applyNode(c, n, { kind: 'abort', nowMs: now, outcome: 'cancelled', reason: `not started: ${d.reason}` });
        continue;
      }
      // Nodes this run holds cordoned: never targets, and their remaining pods are still to move.
      // (A node in its health gate is schedulable again and its pods are not moving.)
      const unavailable = active.filter((x) => stepOf(r, x) !== 'health-gate' && stepOf(r, x) !== 'preflight');
      applyNode(c, n, { kind: 'start', nowMs: now, windowEndMs: d.window?.endMs ?? null, unavailableNodes: unavailable });
      started = true;
      break;
    }
  }
  if (started || activeNodes(r).length > 0) {
    if (r.startedAtMs === null) r.startedAtMs = now;
    r.nextStartMs = null;
    setStatus(c, 'running', started ? 'a node started' : 'nodes in flight');
    return;
  }
  const pending = r.order.some((n) => stepOf(r, n) === 'pending');
  if (!pending) return;
  if (retryWait !== null) {
    // A refused node waits for its retry: that is the run working, not waiting for a window.
    r.nextStartMs = Math.min(retryWait, windowWait ?? Infinity);
    if (r.status !== 'scheduled' || r.startedAtMs !== null) setStatus(c, 'running', 'waiting to retry refused nodes');
    return;
  }
  if (windowWait !== null) {
    r.nextStartMs = windowWait;
    if (r.startedAtMs !== null) setStatus(c, 'waiting-window', `waiting for the next window at ${new Date(windowWait).toISOString()}`);
  }
}

function settle(c: Ctx): void {
  const { r } = c;
  if (r.settled) return;
  const anyActive = r.order.some((n) => isActiveStep(stepOf(r, n)));
  if (anyActive) return;
  const anyPending = r.order.some((n) => stepOf(r, n) === 'pending');
  if (r.status === 'scheduled' || r.status === 'running' || r.status === 'waiting-window') {
    if (anyPending) return;
    const success = r.order.every((n) => stepOf(r, n) === 'done');
    r.result = success ? 'success' : 'partial';
    const counts = stepCounts(r);
    setStatus(c, 'done', success ? 'every node patched' : `finished with ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`, { result: r.result });
  } else if (r.status === 'halted' || r.status === 'cancelled') {
    if (anyPending) return;
    r.result = 'partial';
    c.out.push({
      kind: 'emit',
      event: { type: 'patch.run', run: r.run, from: r.status, to: r.status, reason: 'every node is final', settled: true, result: 'partial', counts: stepCounts(r) },
    });
  } else {
    return;
  }
  r.settled = true;
  r.finishedAtMs = c.now;
  r.nextStartMs = null;
}
