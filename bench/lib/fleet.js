// The aggregator-under-load harness shared by the ingest and autoscaler benchmarks: the
// aggregator in its own process (lib/aggServer.js), simulated agents in another
// (`hms-sys bench agents`), aggregator stats sampled every second over IPC.
import { join } from 'node:path';
import { ipcRequest, REPO, round, sleep, spawnNode, summarize, withTimeout } from './common.js';

/** Starts lib/aggServer.js with `options` (see there); resolves once it listens. */
export async function startAggServer(options, { cpu } = {}) {
  const child = spawnNode([join(REPO, 'bench/lib/aggServer.js'), JSON.stringify(options)], { cpu, ipc: true, nodeFlags: ['--expose-gc'] });
  const ready = await withTimeout(new Promise((resolve, reject) => {
    child.on('message', (m) => m?.type === 'ready' && resolve(m));
    child.exited.then(() => reject(new Error(`aggregator exited: ${child.err.slice(-2000)}`)));
  }), 120_000, 'aggregator start');
  return { child, ready };
}

/**
 * One generator run against `agg`: N simulated nodes for `windowS` seconds (after `warmupS`),
 * then `holdS` seconds connected and idle, during which the aggregator is asked for its
 * memory after a GC. Returns the generator's report and the aggregator samples.
 */
export async function runFleet(agg, ready, { nodes, pods, containers, windowS, warmupS = 5, holdS = 0, cpu, prefix = 'sim' }) {
  const samples = [];
  let gcAtHold;
  const gen = spawnNode([
    join(REPO, 'packages/cli/bin/hms-sys.js'), 'bench', 'agents', '--server', ready.wsUrl, '--agent-token', ready.tokens.agent,
    '--nodes', String(nodes), '--pods-per-node', String(pods), '--containers-per-pod', String(containers), '--name-prefix', prefix,
    '--interval', '1s', '--duration', `${windowS}s`, '--warmup', `${warmupS}s`, '--drain', '5s', '--hold', `${holdS}s`,
    '--connect-timeout', '90s', '-o', 'json',
  ], { cpu });
  let holding = false;
  let measuring = false;
  let warming = false;
  let gcAtWarmup;
  gen.stderr.on('data', (d) => {
    const text = d.toString();
    if (!warming && /^\s+warmup\s/m.test(text)) {
      warming = true; // heap after a GC, well before the window (its pause is drained by then)
      setTimeout(() => (gcAtWarmup = ipcRequest(agg, { type: 'stats', gc: true }).catch(() => undefined)), Math.max(0, warmupS * 1000 - 2500) / 2);
    }
    if (!measuring && /^\s+measuring\s/m.test(text)) {
      measuring = true; // stall maxima from here on cover the window only
      ipcRequest(agg, { type: 'stats', resetLoop: true }).catch(() => undefined);
    }
    if (!holding && /^\s+holding\s/m.test(text)) {
      holding = true;
      gcAtHold = ipcRequest(agg, { type: 'stats', gc: true }).catch(() => undefined);
    }
  });
  let done = false;
  await ipcRequest(agg, { type: 'stats', resetLoop: true }).catch(() => undefined);
  const sampler = (async () => {
    while (!done) {
      try {
        samples.push(await ipcRequest(agg, { type: 'stats' }, 5000));
      } catch {
        /* the aggregator did not answer within 5 s: no sample this second */
      }
      await sleep(1000);
    }
  })();
  try {
    const exit = await withTimeout(gen.exited, (windowS + warmupS + holdS + 200) * 1000, `generator (${nodes} nodes)`);
    if (exit.code !== 0) throw new Error(`generator failed (${exit.code}): ${gen.err.slice(-1500)}`);
  } finally {
    done = true;
    if (gen.exitCode === null) gen.kill('SIGKILL');
  }
  await sampler;
  const report = JSON.parse(gen.out);
  await sleep(1500); // let the aggregator see the disconnects before anything else runs
  return { report, samples, gcAtHold: await gcAtHold, gcAtWarmup: await gcAtWarmup };
}

/** Aggregator CPU, per-batch cost, evaluations and event-loop stalls over the generator's window. */
export function windowStats(samples, report) {
  const inWin = samples.filter((s) => s.t >= report.windowStartEpochMs && s.t <= report.windowEndEpochMs);
  const first = inWin[0];
  const last = inWin.at(-1);
  const dt = first && last ? (last.t - first.t) / 1000 : 0;
  const cpuSeconds = dt > 0 ? last.cpuSeconds - first.cpuSeconds : NaN;
  const batches = dt > 0 ? last.batches - first.batches : 0;
  return {
    seconds: round(dt, 2),
    cpuCores: round(cpuSeconds / dt, 3),
    usPerBatch: round(batches > 0 ? (cpuSeconds * 1e6) / batches : NaN, 1),
    batchesPerSec: round(batches / dt, 1),
    evaluationsPerSec: round(dt > 0 ? (last.evaluations - first.evaluations) / dt : NaN, 1),
    maxStallOnCpuMs: round(Math.max(0, ...inWin.map((s) => s.stalls?.maxStallOnCpuMs ?? 0)), 1),
    maxStallWallMs: round(Math.max(0, ...inWin.map((s) => s.stalls?.maxStallWallMs ?? 0)), 1),
    loopDelayP99Ms: round(summarize(inWin.map((s) => s.loopDelay.p99)).max, 1),
    inWindow: inWin,
  };
}
