// /metrics with 150 000 pod series: scrape time over HTTP (client in another process) and the
// longest event-loop stall of the aggregator while it renders (monitorEventLoopDelay, 1 ms
// resolution). Baselines in the same run: prom-client rendering the same series from a Gauge
// set beforehand (naive, synchronous), and the Gauge-with-collect() the aggregator used before.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { LoopWatch } from './lib/loopWatch.js';
import { dist, emitResult, figure, log, machineInfo, parseArgs, REPO, round, spawnNode, summarize, withTimeout } from './lib/common.js';

const args = parseArgs();
const PODS = Number(args.pods ?? 150_000);
const PODS_PER_NODE = 110;
const SCRAPES = Number(args.scrapes ?? (args.quick ? 3 : 6));
const require = createRequire(join(REPO, 'packages/aggregator/package.json'));
const { Gauge, Registry } = require('prom-client');

const { startAggregator, ensureCredentials, NoopDriver } = await import(dist('aggregator'));
const { silentLogger, systemClock } = await import(dist('common'));
let renderExposition;
try {
  ({ renderExposition } = await import(dist('aggregator', 'metrics/exposition.js')));
} catch {
  renderExposition = undefined; // a build without the chunked writer (HMS_BENCH_ROOT)
}

const dataDir = mkdtempSync(join(tmpdir(), 'hms-bench-metrics-'));
ensureCredentials(dataDir);
let agg;

async function main() {
  agg = await startAggregator({
    host: '127.0.0.1', port: 0, dataDir, driver: 'none', agentTokenFile: undefined, apiTokenFile: undefined,
    maxFrameBytes: 4 * 1024 * 1024, staleAfterMs: 3_600_000, eventRetentionMs: 86_400_000, batchRetentionMs: 3_600_000,
    podSeries: true, maxPodSeries: 1_000_000, autoscaleIntervalMs: 1000, feedMaxLagEvents: 100_000, summaryIntervalMs: 0, forgetNodesAfterMs: 3_600_000,
  }, { clock: systemClock, logger: silentLogger(), driver: new NoopDriver() });

  // The fleet: PODS pods on PODS/110 nodes, two batches each so every pod has a rate.
  const nodes = Math.ceil(PODS / PODS_PER_NODE);
  log(`metrics: building a fleet of ${PODS} pods on ${nodes} nodes…`);
  const labelSets = [];
  for (let n = 0; n < nodes; n++) {
    const name = `node-${n}`;
    agg.fleet.connect(name, { info: { bootId: `b${n}`, cpuCores: 32, kernelVersion: '6.1.0', osImage: 'Bench OS' }, agentVersion: 'bench', streamId: 's', intervalMs: 1000 }, Date.now());
    const count = Math.min(PODS_PER_NODE, PODS - n * PODS_PER_NODE);
    for (let seq = 1; seq <= 2; seq++) {
      const pods = [];
      for (let p = 0; p < count; p++) {
        pods.push({
          uid: `uid-${n}-${p}`, namespace: `ns-${p % 20}`, name: `deploy-${p % 37}-${n}-${p}`, qosClass: 'Burstable', cgroupPath: `kubepods/pod${n}-${p}`,
          cpuUsageUsec: seq * (1000 + p * 37), containers: [{ id: `c-${n}-${p}`, cpuUsageUsec: seq * (1000 + p * 37) }],
        });
      }
      agg.fleet.applyBatch(name, { seq, monotonicUsec: seq * 1_000_000, bootId: `b${n}`, nodeUsage: { cpuBusyUsec: seq * 1e6, cpuTotalUsec: seq * 4e6, cpuCores: 32 }, pods }, Date.now());
    }
    for (let p = 0; p < count; p++) labelSets.push([`ns-${p % 20}`, `deploy-${p % 37}-${n}-${p}`, name, (1000 + p * 37) / 1e6]);
  }

  // Baseline 1: prom-client rendering the same series from a Gauge set beforehand.
  const naive = new Registry();
  const g = new Gauge({ name: 'hms_sys_pod_cpu_usage_cores', help: 'CPU used by a pod over the last collection interval, in cores.', labelNames: ['namespace', 'pod', 'node'], registers: [naive] });
  for (const [namespace, pod, node, v] of labelSets) g.set({ namespace, pod, node }, v);
  const naiveMs = [];
  let naiveLines = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const text = await naive.metrics();
    naiveMs.push(performance.now() - t0);
    naiveLines = text.split('\n').length;
  }
  // Baseline 2: the aggregator's previous design, a Gauge whose collect() resets and sets every pod.
  const old = new Registry();
  new Gauge({
    name: 'hms_sys_pod_cpu_usage_cores', help: 'x', labelNames: ['namespace', 'pod', 'node'], registers: [old],
    collect() {
      this.reset();
      for (const [namespace, pod, node, v] of labelSets) this.set({ namespace, pod, node }, v);
    },
  });
  const oldMs = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    await old.metrics();
    oldMs.push(performance.now() - t0);
  }
  log(`metrics: prom-client naive ${round(Math.min(...naiveMs), 1)} ms, collect()+set ${round(Math.min(...oldMs), 1)} ms for ${labelSets.length} series`);

  // The aggregator's own registry, rendered in process (what /metrics does).
  const registry = agg.router && (await findRegistry());
  const renderMs = [];
  const renderElu = monitorEventLoopDelay({ resolution: 1 });
  const renderWatch = new LoopWatch();
  if (renderExposition && registry) {
    renderElu.enable();
    renderWatch.start();
    for (let i = 0; i < SCRAPES; i++) {
      const t0 = performance.now();
      await renderExposition(registry);
      renderMs.push(performance.now() - t0);
    }
    renderElu.disable();
    renderWatch.stop();
    const pieces = await renderExposition(registry);
    const same = Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8') === (await registry.metrics());
    if (!same) throw new Error('renderExposition differs from registry.metrics()');
  }

  // Over HTTP, scraped from another process, with the event loop watched here.
  const elu = monitorEventLoopDelay({ resolution: 1 });
  elu.enable();
  const watch = new LoopWatch();
  watch.start();
  const scraper = spawnNode([join(REPO, 'bench/lib/scrape.js'), `${agg.url}/metrics`, String(SCRAPES), '300']);
  const ticker = setInterval(() => {}, 1); // keep the loop busy with timers, as ingest would
  await withTimeout(scraper.exited, 180_000, 'scraper');
  clearInterval(ticker);
  elu.disable();
  watch.stop();
  const stalls = watch.report();
  const scrapes = JSON.parse(scraper.out.trim().split('\n').pop());
  const httpMs = summarize(scrapes.map((s) => s.ms));
  const maxStallMs = elu.max / 1e6;
  const naiveBest = Math.min(...naiveMs);
  const perLineUs = (naiveBest * 1000) / naiveLines;
  log(`metrics: HTTP scrape p50 ${round(httpMs.p50, 1)} ms (${scrapes[0]?.bytes} bytes), max event-loop stall ${round(maxStallMs, 1)} ms`);

  const figures = [
    figure(`/metrics scrape time, ${PODS} pod series (HTTP, client side)`, httpMs.p50, 'ms', {
      goal: { op: '<', value: 500 }, baseline: { name: 'prom-client rendering the same series (naive Gauge)', value: naiveBest },
      spread: { min: round(httpMs.min, 1), max: round(httpMs.max, 1), n: httpMs.n }, note: `${round(scrapes[0]?.bytes / 2 ** 20, 1)} MiB per scrape`,
    }),
    figure('longest event-loop stall while scraping (main thread on CPU)', stalls.maxStallOnCpuMs, 'ms', {
      goal: { op: '<', value: 50 }, baseline: { name: 'prom-client render (blocks throughout)', value: naiveBest },
      note: `wall clock: monitorEventLoopDelay max ${round(maxStallMs, 1)} ms (p99 ${round(elu.percentile(99) / 1e6, 1)} ms), 1 ms timer max gap ${stalls.maxStallWallMs} ms of which ${stalls.worstWall.waitingForCpuMs} ms waiting for a CPU; ${SCRAPES} scrapes`,
    }),
    figure('render in process (renderExposition)', renderMs.length ? summarize(renderMs).p50 : NaN, 'ms', {
      baseline: { name: 'previous design: Gauge collect() with reset + set per pod', value: Math.min(...oldMs) },
      note: `longest stall during in-process renders: ${renderWatch.report().maxStallOnCpuMs} ms on CPU, ${round(renderElu.max / 1e6, 1)} ms wall`,
    }),
    figure('prom-client cost per exposition line (naive, this run)', perLineUs, 'µs'),
  ];
  return {
    name: 'metrics',
    title: `/metrics with ${PODS} pod series (plus node, ingest and autoscaler families)`,
    figures,
    details: { naiveMs, oldCollectMs: oldMs, renderMs, scrapes, loopDelay: { maxMs: maxStallMs, p99Ms: elu.percentile(99) / 1e6, meanMs: elu.mean / 1e6 }, stalls, renderStalls: renderWatch.report(), machine: machineInfo() },
  };
}

/** The aggregator's registry, through its router (the /metrics route's dependency). */
async function findRegistry() {
  // createAggregatorMetrics is not exposed on Aggregator; build the same registry over the same fleet.
  const { createAggregatorMetrics } = await import(dist('aggregator', 'metrics/aggregatorMetrics.js'));
  const { podIdentity } = await import(dist('aggregator', 'ingest/podIdentity.js'));
  return createAggregatorMetrics({ fleet: agg.fleet, identify: (p) => podIdentity(p, undefined), agentsConnected: () => 0, podSeries: true, maxPodSeries: 1_000_000 }).registry;
}

const out = args.out;
main()
  .then((r) => emitResult(r, out))
  .catch((err) => {
    emitResult({ name: 'metrics', error: String(err?.stack ?? err) }, out);
    process.exitCode = 1;
  })
  .finally(async () => {
    await agg?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    setTimeout(() => process.exit(), 200).unref();
  });
