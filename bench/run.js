#!/usr/bin/env node
// `npm run bench`: every benchmark in its own child process (so CPU and RSS are its own), bounded
// in time, loopback only; prints a table and writes bench/results/latest.json.
//   node bench/run.js [--only agentCycle,ingest] [--quick] [--no-pin] [--results DIR]
// HMS_BENCH_ROOT=<another checkout, built> measures that build with the same harness (before/after).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log, machineInfo, parseArgs, REPO, round, spawnNode, stopChild } from './lib/common.js';

const args = parseArgs();
// estimateS: a full run's duration on the reference machine (BENCHMARKS.md), with margin; when the
// budget cannot fit a benchmark at its estimate plus the rest, it runs in its --quick variant.
const BENCHES = [
  { name: 'agentCycle', file: 'agentCycle.js', timeoutS: 150, estimateS: 40 },
  { name: 'agentProcess', file: 'agentProcess.js', timeoutS: 240, estimateS: 165 },
  { name: 'ingest', file: 'ingest.js', timeoutS: 330, estimateS: 180 },
  { name: 'metrics', file: 'metrics.js', timeoutS: 150, estimateS: 40 },
  { name: 'autoscaler', file: 'autoscaler.js', timeoutS: 200, estimateS: 80 },
  { name: 'reaction', file: 'reaction.js', timeoutS: 150, estimateS: 40 },
];
const BUDGET_S = Number(args.budget ?? 570); // npm run bench stays under 10 minutes, build included
const only = args.only ? new Set(String(args.only).split(',')) : undefined;
const resultsDir = args.results ? String(args.results) : join(REPO, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });

const started = Date.now();
const machine = machineInfo();
const results = [];
let current;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await stopChild(current, 'SIGTERM', 8000);
    process.exit(130);
  });
}

log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, kernel ${machine.kernel}, cgroups ${machine.cgroup}, ${machine.root ? 'root' : 'not root'}; load ${machine.loadAverage.join(' ')}`);
for (const b of BENCHES) {
  if (only && !only.has(b.name)) continue;
  const elapsed = (Date.now() - started) / 1000;
  const left = BUDGET_S - elapsed;
  const remaining = BENCHES.slice(BENCHES.indexOf(b) + 1).filter((x) => !only || only.has(x.name)).reduce((s, x) => s + x.estimateS, 0);
  if (left < 20) {
    results.push({ name: b.name, skipped: `time budget of ${BUDGET_S} s used up` });
    continue;
  }
  // Shorter variants when the budget is tight (or asked for).
  const quick = Boolean(args.quick) || left < b.estimateS + remaining;
  const out = join(resultsDir, `${b.name}.json`);
  const argv = [join(REPO, 'bench', b.file), '--out', out, ...(quick ? ['--quick'] : []), ...(args['no-pin'] ? ['--no-pin'] : [])];
  log(`── ${b.name}${quick ? ' (quick)' : ''} ──`);
  const t0 = Date.now();
  current = spawnNode(argv, { inherit: true });
  const timeoutS = Math.min(b.timeoutS, Math.max(20, left));
  let timer;
  const finished = await Promise.race([current.exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), timeoutS * 1000)))]);
  clearTimeout(timer);
  if (!finished) {
    log(`${b.name}: over ${timeoutS} s, stopping it`);
    await stopChild(current, 'SIGTERM', 10_000);
  }
  current = undefined;
  let r;
  try {
    r = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    r = { name: b.name, error: finished ? 'no result written' : `timed out after ${timeoutS} s` };
  }
  r.seconds = round((Date.now() - t0) / 1000, 1);
  r.quick = quick;
  results.push(r);
}

const total = round((Date.now() - started) / 1000, 1);
const report = { startedAt: new Date(started).toISOString(), totalSeconds: total, machine, machineAtEnd: { loadAverage: machineInfo().loadAverage }, results };
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`\n${table(results)}\nmachine: ${machine.cpuModel} × ${machine.cores}, Node ${machine.node}, kernel ${machine.kernel}, ${machine.cgroup} cgroups, ${machine.root ? 'root' : 'not root'}; load average ${machine.loadAverage.join(' ')} at start, ${report.machineAtEnd.loadAverage.join(' ')} at end\n`);
process.stdout.write(`total ${total} s; results in ${join(resultsDir, 'latest.json')}\n`);
process.exitCode = results.some((r) => r.error) ? 1 : 0;

/** The results table (text, aligned). */
function table(rs) {
  const rows = [['benchmark', 'figure', 'value', 'baseline (same run)', 'ratio', 'goal', '']];
  const fmt = (v) => (typeof v === 'number' ? (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(round(v, 2))) : String(v));
  for (const r of rs) {
    if (r.skipped || r.error) {
      rows.push([r.name, r.skipped ? 'skipped' : 'ERROR', (r.skipped ?? r.error).split('\n')[0].slice(0, 90), '', '', '', '']);
      continue;
    }
    for (const f of r.figures ?? []) {
      const goal = f.goal ? `${f.goal.on === 'ratio' ? 'ratio ' : ''}${f.goal.op} ${fmt(f.goal.value)}` : '';
      rows.push([
        r.name, f.name, `${fmt(f.value)} ${f.unit}`,
        f.baseline ? `${fmt(f.baseline.value)} (${f.baseline.name})` : '',
        f.ratio !== undefined ? `${fmt(f.ratio)}×` : '', goal, f.goal ? (f.met ? 'met' : 'MISSED') : '',
      ]);
    }
  }
  const width = rows[0].map((_, i) => Math.min(i === 3 ? 60 : 70, Math.max(...rows.map((row) => String(row[i]).length))));
  const cut = (s, w) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  return rows.map((row, j) => {
    const line = row.map((c, i) => cut(String(c), width[i])).join('  ').trimEnd();
    return j === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
  }).join('\n');
}
