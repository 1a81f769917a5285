// Aggregator ingest at fleet scale: simulated agents (`hms-sys bench agents`, a separate process
// pinned to CPU 1) against the aggregator (its own process, pinned to CPU 0) over real WebSockets
// on loopback with real protobuf. Finds the largest fleet (110 pods x 3 containers per node, one
// batch per second) with p99 send->ack lag under 250 ms, then runs it longer to check memory.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import {
  canPin, emitResult, figure, ipcRequest, log, machineInfo, parseArgs, REPO, round, spawnNode, stopChild, summarize, withTimeout,
} from './lib/common.js';
import { runFleet, startAggServer, windowStats } from './lib/fleet.js';

const args = parseArgs();
const quick = Boolean(args.quick);
const PODS = Number(args.pods ?? 110);
const CONTAINERS = Number(args.containers ?? 3);
const STEP_WINDOW_S = Number(args['step-window'] ?? (quick ? 8 : 15));
const CONFIRM_WINDOW_S = Number(args['confirm-window'] ?? (quick ? 15 : 40));
const LADDER = (args.ladder ?? '250,500,750,1000,1250,1500,2000,2500,3000,4000,5000').split(',').map(Number);
const START = Number(args.start ?? (quick ? 500 : 1000));
const MAX_STEPS = Number(args['max-steps'] ?? (quick ? 2 : 4));
const GOAL_P99_MS = 250;
const GOAL_NODES = 5000;
const pin = !args['no-pin'] && canPin();
const pinned = pin;

const scratch = mkdtempSync(join(args['data-root'] ?? tmpdir(), 'hms-bench-ingest-'));
let agg;
let gen;

async function main() {
  // Baseline in the same run: the per-batch CPU of a bare protobuf decode of the same frames (and
  // of the pure stages), measured on the aggregator's core before the load starts.
  log('ingest: per-stage CPU of the same frames (bare decode baseline)…');
  const microChild = spawnNode([join(REPO, 'bench/lib/ingestMicro.js'), '--pods', String(PODS), '--containers', String(CONTAINERS)], { cpu: pin ? 0 : undefined });
  await withTimeout(microChild.exited, 120_000, 'ingest micro-benchmark');
  const micro = JSON.parse(microChild.out.trim().split('\n').pop());

  const started = await startAggServer({ dataDir: join(scratch, 'agg'), config: { staleAfterMs: 10_000 } }, { cpu: pin ? 0 : undefined });
  agg = started.child;
  const ready = started.ready;
  const base = await ipcRequest(agg, { type: 'stats', gc: true });
  log(`ingest: aggregator up (pid ${ready.pid}${pinned ? ', CPU 0' : ''}), RSS ${mib(base.rss)} MiB; generator${pinned ? ' on CPU 1' : ''}`);

  const steps = [];
  const runStep = async (nodes, windowS, holdS, warmupS = 5) => {
    log(`ingest: ${nodes} nodes x ${PODS} pods for ${windowS} s…`);
    const r = await runFleet(agg, ready, { nodes, pods: PODS, containers: CONTAINERS, windowS, holdS, warmupS, cpu: pin ? 1 : undefined });
    const s = analyse(r, nodes, base);
    steps.push(s);
    log(`ingest:   acked ${s.ackedBatchesPerSec}/${nodes} batches/s, p99 ${s.ackLagMs.p99} ms, aggregator ${s.aggregator.cpuCores} cores, ${s.aggregator.usPerBatch} µs/batch -> ${s.pass ? 'PASS' : 'FAIL'}`);
    return s;
  };

  // Bounded search on the ladder: up while passing, down while failing.
  let i = Math.max(0, LADDER.indexOf(START));
  let best;
  let worstFail;
  for (let n = 0; n < MAX_STEPS && i >= 0 && i < LADDER.length; n++) {
    const nodes = LADDER[i];
    const s = await runStep(nodes, STEP_WINDOW_S, 0);
    if (s.pass) {
      best = s;
      if (worstFail && LADDER[i + 1] >= worstFail.nodes) break;
      i++;
    } else {
      worstFail = !worstFail || nodes < worstFail.nodes ? s : worstFail;
      if (best && LADDER[i - 1] <= best.nodes) break;
      i--;
    }
  }
  // Confirmation at the ceiling, longer, with memory sampled throughout and after a GC.
  const confirmNodes = best?.nodes ?? LADDER[0];
  // A longer warm-up: the heap is first measured (after a forced GC) once every node has sent
  // several batches — at 1.25 s into a 5 s warm-up a 750-node fleet's state was still filling in,
  // which read as 45 MiB/min of "growth" that the window's heap troughs and RSS did not show.
  const confirm = await runStep(confirmNodes, CONFIRM_WINDOW_S, 3, 10);

  const c = confirm;
  const perNodeKiB = c.memory.perNodeBytes / 1024;
  const ceiling = steps.filter((s) => s.pass).reduce((m, s) => Math.max(m, s.nodes), 0);
  const figures = [
    figure('largest fleet sustained (p99 < 250 ms, ≥ 99 % acked)', ceiling, 'nodes', { goal: { op: '>=', value: GOAL_NODES }, note: `${PODS} pods × ${CONTAINERS} containers per node at 1 s; aggregator on 1 core${pinned ? ' (CPU 0), generator on the other' : ''}` }),
    figure(`pod samples/s at ${c.nodes} nodes`, c.podSamplesPerSec, 'samples/s', { goal: { op: '>=', value: 550_000 } }),
    figure(`ack lag p99 at ${c.nodes} nodes`, c.ackLagMs.p99, 'ms', { goal: { op: '<', value: GOAL_P99_MS }, note: `p50 ${c.ackLagMs.p50} ms, max ${c.ackLagMs.max} ms` }),
    figure('aggregator CPU per batch (all-in: ws, decode, rates, journal, ack, GC)', c.aggregator.usPerBatch, 'µs', {
      baseline: { name: 'bare protobuf decode of the same frame', value: micro.decode.usPerBatch },
      note: `stages alone: decode ${round(micro.decode.usPerBatch, 0)} µs, +validate ${round(micro.validate.usPerBatch - micro.decode.usPerBatch, 0)} µs, +rates ${round(micro.apply.usPerBatch - micro.validate.usPerBatch, 0)} µs`,
    }),
    figure('aggregator CPU per pod sample', (c.aggregator.usPerBatch * 1000) / PODS, 'ns'),
    figure(`aggregator CPU at ${c.nodes} nodes`, c.aggregator.cpuCores * 100, '% of a core'),
    figure('aggregator memory per node', perNodeKiB, 'KiB', { goal: { op: '<', value: 100 }, note: `(RSS with the fleet connected − RSS before) / nodes; heap after GC ${round(c.memory.heapAfterGcPerNodeBytes / 1024, 1)} KiB/node` }),
    figure('heap growth over the run (after full GCs)', c.memory.heapAfterGcGrowthMiBPerMin ?? c.memory.heapTroughGrowthMiBPerMin, 'MiB/min', {
      goal: { op: '<', value: 1 },
      note: `heap after a forced GC in the warm-up (${c.memory.heapAfterGcAtWarmupMiB} MiB) vs after the ${CONFIRM_WINDOW_S} s window (${c.memory.heapAfterGcMiB} MiB); RSS ${c.memory.rssStartMiB} → ${c.memory.rssEndMiB} MiB (${c.memory.rssGrowthMiBPerMin} MiB/min, first vs last third)`,
    }),
  ];
  return {
    name: 'ingest',
    title: `Aggregator ingest: simulated agents × ${PODS} pods × ${CONTAINERS} containers at 1 s over WebSockets`,
    mode: pinned ? 'aggregator pinned to CPU 0, load generator pinned to CPU 1 (taskset)' : 'unpinned (taskset unavailable or 1 CPU)',
    figures,
    details: { micro, steps, searchLadder: LADDER, stepWindowS: STEP_WINDOW_S, confirmWindowS: CONFIRM_WINDOW_S, machine: machineInfo() },
  };
}

function mib(b) {
  return round(b / 2 ** 20, 1);
}

/** Aggregator CPU, memory and the verdict of one step. */
function analyse({ report: r, samples, gcAtHold, gcAtWarmup }, nodes, base) {
  const w = windowStats(samples, r);
  const inWin = w.inWindow;
  const first = inWin[0];
  const last = inWin.at(-1);
  const third = Math.max(1, Math.floor(inWin.length / 3));
  const trough = (xs) => Math.min(...xs.map((s) => s.heapUsed));
  const early = inWin.slice(0, third);
  const late = inWin.slice(-third);
  const spanMin = early.length && late.length ? (late.at(-1).t - early[0].t) / 60_000 : 0;
  const growth = spanMin > 0 ? (trough(late) - trough(early)) / 2 ** 20 / (spanMin * (2 / 3)) : NaN;
  const rssConnected = last?.rss ?? NaN;
  const pass = r.ackLagMs.p99 < GOAL_P99_MS && r.ackedBatchesPerSec >= 0.99 * r.offeredBatchesPerSec && r.connect.connected === nodes;
  return {
    nodes,
    pass,
    offeredBatchesPerSec: r.offeredBatchesPerSec,
    ackedBatchesPerSec: r.ackedBatchesPerSec,
    podSamplesPerSec: r.podSamplesPerSec,
    ackLagMs: r.ackLagMs,
    sendLatenessMs: r.sendLatenessMs,
    skipped: r.skipped,
    errors: r.errors,
    connect: r.connect,
    generator: r.generator,
    aggregator: {
      cpuCores: w.cpuCores,
      usPerBatch: w.usPerBatch,
      maxStallOnCpuMs: w.maxStallOnCpuMs,
      maxStallWallMs: w.maxStallWallMs,
      loopDelayP99Ms: w.loopDelayP99Ms,
    },
    memory: {
      baseRssMiB: mib(base.rss),
      rssStartMiB: mib(first?.rss ?? NaN),
      rssEndMiB: mib(rssConnected),
      perNodeBytes: (rssConnected - base.rss) / nodes,
      heapAfterGcPerNodeBytes: gcAtHold ? (gcAtHold.heapUsed - base.heapUsed) / nodes : NaN,
      heapAfterGcMiB: gcAtHold ? mib(gcAtHold.heapUsed) : null,
      heapTroughGrowthMiBPerMin: round(growth, 2),
      heapAfterGcAtWarmupMiB: gcAtWarmup ? mib(gcAtWarmup.heapUsed) : null,
      heapAfterGcGrowthMiBPerMin: gcAtWarmup && gcAtHold ? round((gcAtHold.heapUsed - gcAtWarmup.heapUsed) / 2 ** 20 / ((gcAtHold.t - gcAtWarmup.t) / 60_000), 2) : null,
      rssGrowthMiBPerMin: round(late.length && early.length ? (summarize(late.map((s) => s.rss)).p50 - summarize(early.map((s) => s.rss)).p50) / 2 ** 20 / (spanMin * (2 / 3)) : NaN, 2),
      connectedAtHold: gcAtHold?.connected ?? null,
    },
  };
}

const out = args.out;
main()
  .then((result) => emitResult(result, out))
  .catch((err) => {
    emitResult({ name: 'ingest', error: String(err?.stack ?? err) }, out);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopChild(gen, 'SIGINT');
    if (agg?.connected) await ipcRequest(agg, { type: 'stop' }, 15_000).catch(() => undefined);
    await stopChild(agg);
    rmSync(scratch, { recursive: true, force: true });
  });
