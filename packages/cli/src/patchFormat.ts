import { formatDuration } from '@hms-sys/common';
import { formatTable } from './table.js';

/** Rendering of `hms-sys patch plan|status` from the API's JSON. Pure: JSON in, text out. */

export interface NodeJson {
  name: string;
  state: string;
  since?: string | null;
  reason?: string | null;
  paused?: boolean;
  bootIdBefore?: string | null;
  bootId?: string | null;
  kernelBefore?: string | null;
  kernelVersion?: string | null;
  rebooted?: boolean;
  simulated?: boolean;
  cordon?: string;
  durationMs?: number | null;
  estimateMs?: number | null;
  failure?: { code: string; message: string; leftCordoned: boolean } | null;
  blockers?: { code: string; message: string; budget?: string }[] | null;
  agent?: { state: string; message: string; exitCode: number; outputTail?: string | null; dryRun?: boolean } | null;
}

export interface RunJson {
  id: string;
  state: string;
  result: string | null;
  settled: boolean;
  reason: string | null;
  kind: string;
  concurrency: number;
  failureBudget: number;
  dryRun: boolean;
  selector: string;
  windows: { start: string; end: string }[];
  created: string;
  started: string | null;
  finished: string | null;
  nextStart: string | null;
  inFlight: string[];
  progress: { final: number; total: number; done: number };
  nodes: NodeJson[];
}

/** The steps a node goes through, in order: its progress bar fills along them. */
export const NODE_STEPS = ['pending', 'preflight', 'cordoning', 'draining', 'patching', 'rebooting', 'verifying', 'uncordoning', 'health-gate', 'done'] as const;
const FINAL = new Set(['done', 'failed', 'blocked', 'skipped', 'cancelled']);

/** `[#####.....]`: filled / width. */
export function bar(fraction: number, width = 20): string {
  const f = Math.max(0, Math.min(1, fraction));
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

/** How far along a node is (0..1): its step's position; final steps are full. */
export function nodeFraction(state: string): number {
  if (FINAL.has(state)) return 1;
  const i = NODE_STEPS.indexOf(state as (typeof NODE_STEPS)[number]);
  return i < 0 ? 0 : i / (NODE_STEPS.length - 1);
}

const shortId = (id: string | null | undefined): string => (id ? id.slice(0, 8) : '-');
const ago = (iso: string | null | undefined, nowMs: number): string => (iso ? formatDuration(Math.max(0, nowMs - Date.parse(iso))).replace(/\.\d+s$/, 's') : '-');
const clock = (iso: string | null | undefined): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/:00Z$/, 'Z') : '-');

function windowsLine(windows: readonly { start: string; end: string }[], nowMs: number): string {
  if (windows.length === 0) return 'Windows:  none given (no time limit)';
  return `Windows:  ${windows.map((w) => {
    const left = Date.parse(w.end) - Math.max(nowMs, Date.parse(w.start));
    const open = Date.parse(w.start) <= nowMs && nowMs < Date.parse(w.end);
    return `${clock(w.start)} .. ${clock(w.end)}${open ? ` (open, ${formatDuration(left)} left)` : Date.parse(w.end) <= nowMs ? ' (over)' : ''}`;
  }).join('; ')}`;
}

function nodeDetail(n: NodeJson): string {
  if (n.failure) return `${n.failure.code}: ${n.failure.message}`;
  if (n.state === 'blocked' || (n.blockers && n.state === 'pending')) {
    const b = n.blockers ?? [];
    if (b.length) return b.map((x) => `${x.code}: ${x.message}`).join('; ');
  }
  return n.reason ?? '';
}

function bootText(n: NodeJson): string {
  if (n.rebooted) return `${shortId(n.bootIdBefore)} -> ${shortId(n.bootId)}${n.simulated ? ' (simulated)' : ''}`;
  return shortId(n.bootId ?? n.bootIdBefore);
}

/** `hms-sys patch status ID`: the run, a progress bar, one row per node (with its own bar when `bars`). */
export function formatRunStatus(run: RunJson, nowMs: number, opts: { bars?: boolean } = {}): string {
  const lines: string[] = [];
  const counts = run.nodes.reduce<Record<string, number>>((m, n) => ((m[n.state] = (m[n.state] ?? 0) + 1), m), {});
  const stateText = run.result ? `${run.state} (${run.result})` : run.state;
  lines.push(`Patch run ${run.id}: ${stateText}${run.reason ? ` — ${run.reason}` : ''}`);
  lines.push(`Kind:     ${run.kind}${run.dryRun ? ' (dry run)' : ''}, rolling, concurrency ${run.concurrency}, failure budget ${run.failureBudget}${run.selector ? `, nodes ${run.selector}` : ''}`);
  lines.push(windowsLine(run.windows, nowMs));
  if (run.nextStart && !run.settled) lines.push(`Next:     a node may start at ${clock(run.nextStart)}`);
  const frac = run.nodes.length ? run.nodes.reduce((s, n) => s + nodeFraction(n.state), 0) / run.nodes.length : 1;
  lines.push(`Progress: ${bar(frac, 30)} ${run.progress.final}/${run.progress.total} finished (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')})`);
  lines.push('');
  const headers = opts.bars ? ['NODE', 'PROGRESS', 'STATE', 'FOR', 'BOOT ID', 'KERNEL', 'DETAIL'] : ['NODE', 'STATE', 'FOR', 'BOOT ID', 'KERNEL', 'DETAIL'];
  const rows = run.nodes.map((n) => {
    const state = `${n.state}${n.paused ? ' (paused)' : ''}`;
    const detail = nodeDetail(n);
    const row = [n.name, state, FINAL.has(n.state) ? (n.durationMs ? `took ${formatDuration(n.durationMs)}` : '-') : ago(n.since, nowMs), bootText(n), n.kernelVersion ?? '-', detail.length > 110 ? `${detail.slice(0, 107)}...` : detail];
    return opts.bars ? [row[0], bar(nodeFraction(n.state), 12), ...row.slice(1)] : row;
  });
  lines.push(formatTable(headers, rows).trimEnd());
  for (const n of run.nodes.filter((x) => x.state === 'failed')) {
    if (n.failure) lines.push('', `${n.name} failed: ${n.failure.code}: ${n.failure.message}${n.failure.leftCordoned ? ' (left cordoned)' : ''}`);
    if (!n.agent?.outputTail) continue;
    lines.push(`${n.name}: agent exit code ${n.agent.exitCode}, last output:`);
    for (const l of n.agent.outputTail.trimEnd().split('\n').slice(-8)) lines.push(`  | ${l}`);
  }
  const rebooted = run.nodes.filter((n) => n.rebooted).length;
  if (run.settled) lines.push('', `Settled: ${run.progress.done}/${run.progress.total} node(s) done, ${rebooted} rebooted${run.finished ? ` at ${clock(run.finished)}` : ''}.`);
  return lines.join('\n') + '\n';
}

/** `hms-sys patch status` without ID and no run: one line per run. */
export function formatRunList(runs: readonly RunJson[], nowMs: number): string {
  return formatTable(
    ['RUN', 'STATE', 'KIND', 'NODES', 'DONE', 'CREATED'],
    runs.map((r) => [r.id, r.result ? `${r.state} (${r.result})` : r.state, r.kind, r.progress.total, r.progress.done, `${ago(r.created, nowMs)} ago`]),
  );
}

export interface PlanJson {
  now: string;
  kind: string;
  concurrency: number;
  selector: string;
  windows: { start: string; end: string }[];
  defaultEstimateMs: number;
  activeRun: string | null;
  unselected: number;
  nodes: {
    node: string;
    position: number;
    alreadyCordoned: boolean;
    evictableCpuMilli: number;
    evictablePods: number;
    estimate: { estimateMs: number; basis: string; samples: number };
    expected: { startMs: number; endMs: number } | null;
    note: string | null;
    preflight: {
      ok: boolean;
      reasons: { code: string; message: string; budget?: string; pod?: string }[];
      warnings: string[];
      capacity: { neededMilli: number; freeMilli: number; candidates: string[] };
      placements: { label: string; node: string; cpuMilli: number }[];
    };
  }[];
  budgets: { budget: string; disruptionsAllowed: number; maxPodsOnOneNode: number; ok: boolean }[];
  totals: {
    nodes: number;
    blocked: number;
    estimateSumMs: number;
    finishMs: number | null;
    makespanMs: number | null;
    scheduled: number;
    fitsWindows: boolean;
    windowTimeLeftMs: number | null;
    schedulableAllocatableMilli: number;
    schedulableFreeMilli: number;
  };
}

/** `hms-sys patch plan`: order, blockers with named reasons, capacity and budget headroom, time vs windows. */
export function formatPlan(p: PlanJson): string {
  const now = Date.parse(p.now);
  const rel = (ms: number): string => {
    const d = Math.max(0, ms - now);
    return `+${d < 1000 ? '0s' : formatDuration(d)}`;
  };
  const lines: string[] = [];
  lines.push(`Patch plan: ${p.kind}, rolling, concurrency ${p.concurrency}${p.selector ? `, nodes ${p.selector}` : ''} — nothing is changed`);
  lines.push(windowsLine(p.windows, now));
  if (p.activeRun) lines.push(`Note:     run ${p.activeRun} is still active: a new run is refused until it settles`);
  lines.push(`Capacity: schedulable nodes have ${p.totals.schedulableFreeMilli}m of ${p.totals.schedulableAllocatableMilli}m CPU free (requests)`);
  if (p.budgets.length === 0) lines.push('Budgets:  no disruption budget covers pods on these nodes');
  else {
    lines.push('Budgets:');
    for (const b of p.budgets) {
      lines.push(`  ${b.budget}: allows ${b.disruptionsAllowed} disruption(s) now; at most ${b.maxPodsOnOneNode} of its pods on one node${b.ok ? '' : ' — BLOCKS a drain (no disruption allowed now)'}`);
    }
  }
  lines.push('');
  lines.push(formatTable(
    ['#', 'NODE', 'PODS', 'CPU', 'ESTIMATE', 'START', 'END', 'VERDICT'],
    p.nodes.map((n) => [
      n.position,
      `${n.node}${n.alreadyCordoned ? ' (cordoned)' : ''}`,
      n.evictablePods,
      `${n.evictableCpuMilli}m`,
      `${formatDuration(n.estimate.estimateMs)} (${n.estimate.basis})`,
      n.expected ? rel(n.expected.startMs) : '-',
      n.expected ? rel(n.expected.endMs) : '-',
      !n.preflight.ok ? `BLOCKED: ${[...new Set(n.preflight.reasons.map((r) => r.code))].join(', ')}` : n.expected ? 'ok' : 'does not fit a window',
    ]),
  ).trimEnd());
  const blocked = p.nodes.filter((n) => !n.preflight.ok);
  if (blocked.length > 0) {
    lines.push('', 'What would block:');
    for (const n of blocked) for (const r of n.preflight.reasons) lines.push(`  ${n.node}: ${r.code}${r.budget ? ` (${r.budget})` : ''}: ${r.message}`);
  }
  const unfit = p.nodes.filter((n) => n.preflight.ok && !n.expected && n.note);
  if (unfit.length > 0) {
    lines.push('', 'Not fitting the windows:');
    for (const n of unfit) lines.push(`  ${n.node}: ${n.note}`);
  }
  const moves = p.nodes.filter((n) => n.preflight.ok && n.preflight.placements.length > 0);
  if (moves.length > 0) {
    lines.push('', 'Where evicted pods would go (as if each node were next):');
    for (const n of moves) lines.push(`  ${n.node}: ${n.preflight.placements.map((x) => `${x.label} -> ${x.node}`).join(', ')}`);
  }
  const warnings = p.nodes.flatMap((n) => n.preflight.warnings.map((w) => `${n.node}: ${w}`));
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `  ${w}`));
  const t = p.totals;
  lines.push('');
  const finish = t.finishMs !== null ? `expected to finish ${clock(new Date(t.finishMs).toISOString())} (${formatDuration(t.makespanMs ?? 0)} from now)` : 'no node fits';
  const left = t.windowTimeLeftMs === null ? '' : `; window time left ${formatDuration(t.windowTimeLeftMs)}`;
  lines.push(`Summary: ${t.nodes} node(s)${p.unselected ? ` (${p.unselected} left out by the selector)` : ''}, ${t.blocked} blocked, ${t.scheduled} fit the windows; ${finish}; work ${formatDuration(t.estimateSumMs)} at concurrency ${p.concurrency}${left}.`);
  lines.push(`Estimates come from past patches of each node (p95), else the fleet, else ${formatDuration(p.defaultEstimateMs)} (--estimate).`);
  return lines.join('\n') + '\n';
}
