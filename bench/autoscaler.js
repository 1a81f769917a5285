// 10 000 scaling rules evaluated every second from fresh metrics, against an in-memory cluster
// (lib/rulesDriver.js) whose 20 000 pods are reported by simulated agents (200 nodes x 100 pods)
// — and what it does to ingest: the same fleet against an aggregator without rules, in the same
// run, is the baseline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canPin, emitResult, figure, ipcRequest, log, machineInfo, parseArgs, round, stopChild } from './lib/common.js';
import { runFleet, startAggServer, windowStats } from './lib/fleet.js';

const args = parseArgs();
const quick = Boolean(args.quick);
const RULES = Number(args.rules ?? 10_000);
const NODES = Number(args.nodes ?? 200);
const PODS = Number(args.pods ?? 100);
const WINDOW_S = Number(args.window ?? (quick ? 10 : 20));
const pin = !args['no-pin'] && canPin();
const scratch = mkdtempSync(join(tmpdir(), 'hms-bench-autoscaler-'));
const podsPerDeployment = Math.max(1, Math.floor((NODES * PODS) / RULES));
let agg;

async function phase(name, options) {
  log(`autoscaler: ${name}…`);
  const started = await startAggServer({ dataDir: join(scratch, name), ...options }, { cpu: pin ? 0 : undefined });
  agg = started.child;
  // HMS_BENCH_CPU_PROF=FILE-PREFIX: the aggregator's CPU profile of this phase (open in Chrome DevTools).
  const prof = process.env.HMS_BENCH_CPU_PROF;
  // Started after the warm-up, so the profile shows the steady state, not the first pass.
  const profStart = prof ? new Promise((r) => setTimeout(r, 8_000)).then(() => ipcRequest(agg, { type: 'profile-start' }, 10_000)) : undefined;
  const run = await runFleet(agg, started.ready, { nodes: NODES, pods: PODS, containers: 1, windowS: WINDOW_S, warmupS: 6, cpu: pin ? 1 : undefined, prefix: 'sim' });
  const w = windowStats(run.samples, run.report);
  const last = run.samples.at(-1);
  if (prof) await profStart;
  if (prof) await ipcRequest(agg, { type: 'profile-stop', file: `${prof}-${name.replace(/\W+/g, '-')}.cpuprofile` }, 30_000);
  await ipcRequest(agg, { type: 'stop' }, 30_000).catch(() => undefined);
  await stopChild(agg);
  agg = undefined;
  const r = { name, report: run.report, window: { ...w, inWindow: undefined }, rules: last?.evaluations !== undefined ? RULES : 0 };
  log(`autoscaler:   ${w.evaluationsPerSec} evaluations/s, ack lag p99 ${run.report.ackLagMs.p99} ms, aggregator ${w.cpuCores} cores, longest stall ${w.maxStallOnCpuMs} ms on CPU`);
  return r;
}

async function main() {
  const base = await phase('baseline (no rules)', { driver: 'none' });
  const rules = await phase(`${RULES} rules`, { driver: { rules: { nodes: NODES, podsPerNode: PODS, containersPerPod: 1, podsPerDeployment } } });
  const b = base.report.ackLagMs;
  const r = rules.report.ackLagMs;
  const figures = [
    figure('rule evaluations per second', rules.window.evaluationsPerSec, 'evaluations/s', { goal: { op: '>=', value: 10_000 }, note: `${RULES} rules × ${podsPerDeployment} pods, autoscale interval 1 s, HPA semantics, no rescale (pods at target)` }),
    figure('ingest ack lag p99 while evaluating', r.p99, 'ms', { goal: { op: '<', value: 250 }, baseline: { name: 'same fleet, aggregator without rules', value: b.p99 }, note: `p50 ${r.p50} ms vs ${b.p50} ms; ${NODES} nodes × ${PODS} pods` }),
    figure('aggregator CPU with the rules', rules.window.cpuCores * 100, '% of a core', { baseline: { name: 'without rules', value: base.window.cpuCores * 100 } }),
    figure('CPU per rule evaluation', ((rules.window.cpuCores - base.window.cpuCores) * 1e6) / Math.max(1, rules.window.evaluationsPerSec), 'µs', { note: '(CPU with rules − without) / evaluations' }),
    figure('longest event-loop stall with the rules (on CPU)', rules.window.maxStallOnCpuMs, 'ms', { goal: { op: '<', value: 50 }, baseline: { name: 'without rules', value: Math.max(0.1, base.window.maxStallOnCpuMs) } }),
  ];
  return {
    name: 'autoscaler', title: `${RULES} autoscaling rules over an in-memory cluster, fed by ${NODES} simulated nodes`,
    mode: pin ? 'aggregator on CPU 0, generator on CPU 1' : 'unpinned', figures, details: { base, rules, podsPerDeployment, machine: machineInfo() },
  };
}

main()
  .then((r) => emitResult(r, args.out))
  .catch((err) => {
    emitResult({ name: 'autoscaler', error: String(err?.stack ?? err) }, args.out);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopChild(agg);
    rmSync(scratch, { recursive: true, force: true });
  });
