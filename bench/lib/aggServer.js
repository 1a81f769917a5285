// The aggregator under test, in its own process (so its CPU and RSS are its own), driven over IPC.
// Started by the benchmarks with `fork`-style IPC; options come as JSON in argv[2]:
//   { dataDir, config: Partial<AggregatorConfig>, driver: 'none' | { rules: {...} }, loopResolutionMs }
// Replies on IPC: ready {url, wsUrl, tokens}; stats; gc; profile-start/stop; stop.
import { Session } from 'node:inspector';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dist } from './common.js';
import { LoopWatch } from './loopWatch.js';

const opts = JSON.parse(process.argv[2] ?? '{}');
const { startAggregator, ensureCredentials, NoopDriver } = await import(dist('aggregator'));
const { silentLogger, systemClock } = await import(dist('common'));

const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hms-bench-agg-'));
const tokens = ensureCredentials(dataDir);
let driver = new NoopDriver();
if (opts.driver?.rules) {
  const { RulesDriver, seedRules } = await import('./rulesDriver.js');
  driver = new RulesDriver(opts.driver.rules);
  await seedRules(dataDir, opts.driver.rules);
}
const config = {
  host: '127.0.0.1', port: 0, dataDir, driver: 'none', agentTokenFile: undefined, apiTokenFile: undefined,
  maxFrameBytes: 4 * 1024 * 1024, staleAfterMs: 5000, eventRetentionMs: 86_400_000, batchRetentionMs: 3_600_000,
  podSeries: true, maxPodSeries: 200_000, autoscaleIntervalMs: 1000, feedMaxLagEvents: 100_000, summaryIntervalMs: 5000,
  forgetNodesAfterMs: 3_600_000,
  // Every simulated agent connects from 127.0.0.1: the per-address connect limit would make a
  // 5 000-node fleet take minutes to connect. Frames stay limited as in production.
  limits: { agentConnectRate: 0 },
  ...opts.config,
};
const agg = await startAggregator(config, { clock: systemClock, logger: silentLogger(), driver });

let batches = 0;
let samples = 0;
agg.ingest.addListener({ onBatch: (_node, effect) => { batches++; samples += effect.samples; } });

// Autoscaler evaluations, counted by wrapping the loop's (private) evaluate.
let evaluations = 0;
const loop = agg.autoscaler;
if (typeof loop.evaluate === 'function') {
  const evaluate = loop.evaluate.bind(loop);
  loop.evaluate = (r, now) => {
    evaluations++;
    return evaluate(r, now);
  };
}

let elu = monitorEventLoopDelay({ resolution: opts.loopResolutionMs ?? 5 });
elu.enable();
const watch = new LoopWatch();
watch.start();

function stats() {
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  let nodes = 0;
  let connected = 0;
  for (const n of agg.fleet.nodes()) {
    nodes++;
    if (n.connected) connected++;
  }
  const loopDelay = { p50: elu.percentile(50) / 1e6, p99: elu.percentile(99) / 1e6, max: elu.max / 1e6, mean: elu.mean / 1e6 };
  return {
    t: Date.now(), cpuSeconds: (cpu.user + cpu.system) / 1e6, rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal,
    external: m.external, arrayBuffers: m.arrayBuffers, batches, samples, evaluations,
    nodes, connected, pods: agg.fleet.podCount, loopDelay, stalls: watch.report(),
  };
}

let session;
process.on('message', async (msg) => {
  const reply = (body) => process.send({ ...body, id: msg.id });
  try {
    switch (msg.type) {
      case 'stats':
        if (msg.gc && global.gc) {
          global.gc();
          global.gc();
        }
        reply(stats());
        if (msg.resetLoop) {
          watch.reset();
          elu.disable();
          elu = monitorEventLoopDelay({ resolution: opts.loopResolutionMs ?? 5 });
          elu.enable();
        }
        break;
      case 'profile-start':
        session = new Session();
        session.connect();
        await new Promise((r, j) => session.post('Profiler.enable', (e) => (e ? j(e) : r())));
        await new Promise((r, j) => session.post('Profiler.start', (e) => (e ? j(e) : r())));
        reply({});
        break;
      case 'profile-stop': {
        const profile = await new Promise((r, j) => session.post('Profiler.stop', (e, p) => (e ? j(e) : r(p.profile))));
        writeFileSync(msg.file, JSON.stringify(profile));
        session.disconnect();
        reply({ file: msg.file });
        break;
      }
      case 'stop':
        await agg.stop();
        if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
        reply({});
        process.exit(0);
        break;
      default:
        reply({ error: `unknown request ${msg.type}` });
    }
  } catch (err) {
    reply({ error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', url: agg.url, wsUrl: `ws://127.0.0.1:${agg.port}/v1/agents/stream`, tokens, dataDir, pid: process.pid });
