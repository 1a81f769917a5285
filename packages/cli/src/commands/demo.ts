import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hmsError, ParsedOptions } from '@hms-sys/common';
import type { FeedEvent } from '@hms-sys/aggregator';
import type { Command, CommandContext } from '../command.js';
import { ELECTION_NIGHT, phaseStart, rateAt, scheduleSeconds } from '../demo/electionNight.js';
import { runPatchWindowAct, type ActTwoSummary } from '../demo/patchWindowAct.js';
import { VoteRouter } from '../demo/voteRouter.js';
import { startLocalStack } from '../localStack.js';
import { loggerFrom, untilAborted } from '../logging.js';
import { formatTable } from '../table.js';
import { STACK_OPTIONS } from './up.js';

const ROUTER_OPTIONS = [
  { name: 'router-port', type: 'int', default: 9480, min: 0, max: 65535, description: 'port of the vote router vote-api replicas pull requests from (127.0.0.1)' },
  { name: 'cost', type: 'number', default: 1, min: 0.05, max: 100, description: 'CPU each request costs a vote-api replica, ms' },
] as const;

/** The vote-api manifest of examples/, pointed at the given router. */
export function voteApiManifest(routerUrl: string): string {
  const file = fileURLToPath(new URL('../../../../examples/vote-api.yaml', import.meta.url));
  return readFileSync(file, 'utf8').replace('http://127.0.0.1:9480', routerUrl);
}

const loadCommand: Command = {
  name: 'load',
  summary: 'Offer a steady load to vote-api (runs the vote router until Ctrl-C) — for the five-minute tour',
  usage: '--rps N',
  options: [{ name: 'rps', type: 'number', default: 600, min: 0, max: 100_000, description: 'requests per second offered' }, ...ROUTER_OPTIONS],
  async run(opts, ctx) {
    const router = new VoteRouter(opts.num('cost'));
    router.setRps(opts.num('rps'));
    const port = await router.listen(opts.num('router-port'));
    ctx.stderr.write(`vote router on http://127.0.0.1:${port}: offering ${opts.num('rps')} requests/s of ${opts.num('cost')} ms CPU each (${((opts.num('rps') * opts.num('cost')) / 1000).toFixed(2)} cores). Ctrl-C to stop.\n`);
    let last = router.stats();
    const timer = setInterval(() => {
      const s = router.stats();
      ctx.stderr.write(`  served ${Math.round((s.served - last.served) / 5)}/s, shed ${Math.round((s.shed - last.shed) / 5)}/s, backlog ${s.backlog}, replicas pulling ${s.workers}\n`);
      last = s;
    }, 5000);
    await untilAborted(ctx.signal);
    clearInterval(timer);
    await router.close();
    return 0;
  },
};

type Sample = { t: number; phase: string; offered: number; served: number; shed: number; replicas: number | null; desired: number | null; cpu: number | null };

const storyCommand: Command = {
  name: 'demo',
  summary: 'Play the election-night story end to end on this machine',
  options: [
    ...STACK_OPTIONS.filter((o) => o.name !== 'data-dir'),
    { name: 'data-dir', type: 'string', default: './.hms-sys-demo', placeholder: 'DIR', description: 'data dir of the demo stack' },
    ...ROUTER_OPTIONS,
    { name: 'speed', type: 'number', default: 1, min: 0.25, max: 4, description: 'compress (>1) or stretch (<1) the story\'s timeline' },
    { name: 'act', type: 'string', choices: ['one', 'two', 'both'], default: 'both', description: 'act one: the election-night spike; act two: a rolling kernel-patch window while vote-api keeps answering' },
  ],
  async run(opts, ctx) {
    // Act two patches and reboots nodes: with it, both acts run on three virtual nodes with
    // simulated reboots. `--act one` alone runs on this host, as before.
    const virtual = opts.has('nodes') || opts.str('act') === 'one' ? {} : { nodes: 3, 'simulate-reboots': true };
    return runStory(new ParsedOptions({ ...opts.values, ...virtual }, opts.positionals, opts.explicit), ctx);
  },
};

async function runStory(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const out = (s: string): void => void ctx.stdout.write(s);
  const logger = loggerFrom(opts);
  const stack = await startLocalStack(opts, ctx.cwd, logger);
  const router = new VoteRouter(opts.num('cost'));
  const routerPort = await router.listen(opts.num('router-port')).catch(async (err: unknown) => {
    await stack.stop();
    throw hmsError('HMS_CONFIG_INVALID', `cannot start the vote router on port ${opts.num('router-port')}: ${String((err as Error).message)}`, { hint: 'pick another --router-port' });
  });
  const { agg, driver } = stack;
  const decisions: FeedEvent[] = [];
  const unsubscribe = agg.events.subscribe((e) => {
    if (e.type === 'scale.decision' && e.deployment === 'vote-api') decisions.push(e);
  });
  try {
    out(`${opts.str('act') === 'two' ? 'HMS-SYS demo' : 'Act one — election night'}. Status page: ${agg.url}/#token=${stack.tokens.viewer} · API ${agg.url}\n`);
    out(`Workloads: ${driver.mode().mode === 'cgroup' ? 'real processes in real cgroups' : 'plain processes (no root: CPU per process from /proc)'}\n`);
    driver.apply(voteApiManifest(`http://127.0.0.1:${routerPort}`));
    await fetchJson(agg.url, stack.tokens.operator, 'PUT', '/v1/autoscalers/default/vote-api', { minReplicas: 1, maxReplicas: 50, targetCPUUtilizationPercentage: 60 });
    out('Applied deployment/vote-api (request 100m, limit 500m) and autoscale --cpu-percent=60 --min=1 --max=50\n');
    await waitFor(() => driver.pods().some((p) => p.owner?.name === 'vote-api' && p.ready === true), 30_000, ctx.signal);
    const actTwo = (): Promise<ActTwoSummary> => runPatchWindowAct({ agg, driver, operatorToken: stack.tokens.operator, router, out, signal: ctx.signal });
    if (opts.str('act') === 'two') {
      const two = await actTwo();
      writeFileSync(join(stack.dataDir, 'demo-summary.json'), JSON.stringify({ actTwo: two }, null, 2) + '\n');
      return two.everyBootIdChangedExactlyOnce && two.result === 'success' ? 0 : 1;
    }

    const speed = opts.num('speed');
    const total = scheduleSeconds(ELECTION_NIGHT);
    const spikeAt = phaseStart(ELECTION_NIGHT, '8:03') ?? 0;
    const samples: Sample[] = [];
    const t0 = Date.now();
    let spikeWallMs: number | undefined;
    let lastStats = router.stats();
    let lastPhase = -1;
    out(formatTable(['T', 'PHASE', 'OFFERED/s', 'SERVED/s', 'SHED/s', 'REPLICAS', 'CPU%/TARGET'], []).trimEnd() + '\n');
    for (let tick = 0; !ctx.signal.aborted; tick++) {
      const storyT = ((Date.now() - t0) / 1000) * speed;
      const at = rateAt(ELECTION_NIGHT, storyT);
      if (!at) break;
      router.setRps(at.rps);
      if (at.index !== lastPhase && storyT >= spikeAt && spikeWallMs === undefined) spikeWallMs = Date.now();
      if (at.index !== lastPhase) {
        out(`--- ${at.phase.label} ---\n`);
        lastPhase = at.index;
      }
      await sleep(1000, ctx.signal);
      const s = router.stats();
      const status = driver.deployments().find((d) => d.name === 'vote-api');
      const hpa = agg.autoscaler.status('default', 'vote-api');
      const sample: Sample = {
        t: Math.round(storyT), phase: at.phase.label, offered: Math.round(at.rps), served: s.served - lastStats.served, shed: s.shed - lastStats.shed,
        replicas: status?.replicas ?? null, desired: hpa.desiredReplicas, cpu: hpa.currentCPUUtilizationPercentage,
      };
      lastStats = s;
      samples.push(sample);
      out(`${String(sample.t).padStart(4)}s  ${sample.phase.padEnd(24)} ${String(sample.offered).padStart(6)}  ${String(sample.served).padStart(8)}  ${String(sample.shed).padStart(6)}  ${String(sample.replicas ?? '?').padStart(4)}  ${sample.cpu === null ? '   ?' : String(sample.cpu).padStart(4)}%/60%\n`);
      if (tick > total * 3) break; // bounded even if the clock misbehaves
    }
    const firstUp = spikeWallMs === undefined ? undefined : decisions.find((d) => Date.parse(d.time) >= spikeWallMs! && Number(d.desired) > Number(d.current));
    const reaction = firstUp && spikeWallMs !== undefined ? (Date.parse(firstUp.time) - spikeWallMs) / 1000 : undefined;
    const peakCpu = Math.max(...samples.map((s) => s.cpu ?? 0));
    const peakReplicas = Math.max(...samples.map((s) => s.replicas ?? 0));
    const served = samples.reduce((a, s) => a + s.served, 0);
    const shed = samples.reduce((a, s) => a + s.shed, 0);
    const summary = {
      spikeToFirstScaleUpSeconds: reaction ?? null,
      firstScaleUp: firstUp ? { from: firstUp.current, to: firstUp.desired, cpuUtilizationPercent: firstUp.cpuUtilizationPercent } : null,
      peakCpuUtilizationPercent: peakCpu,
      peakReplicas,
      finalReplicas: samples.at(-1)?.replicas ?? null,
      requestsServed: served,
      requestsShed: shed,
      replicasOverTime: samples.map((s) => ({ t: s.t, replicas: s.replicas, cpu: s.cpu })),
    };
    writeFileSync(join(stack.dataDir, 'demo-summary.json'), JSON.stringify(summary, null, 2) + '\n');
    out('\nSummary\n');
    out(`  spike (8:03 pm) to first scale-up decision: ${reaction === undefined ? 'no scale-up seen' : `${reaction.toFixed(2)} s`}${firstUp ? ` (${String(firstUp.current)} -> ${String(firstUp.desired)} replicas at ${String(firstUp.cpuUtilizationPercent)}% CPU)` : ''}\n`);
    out(`  peak CPU utilization: ${peakCpu}% of requests (target 60%) · peak replicas: ${peakReplicas} · at the end: ${String(summary.finalReplicas)}\n`);
    out(`  requests served: ${served}, shed while scaling: ${shed} (${served + shed ? ((100 * shed) / (served + shed)).toFixed(1) : '0'}%)\n`);
    out(`  replicas over time: ${sparkline(samples.map((s) => s.replicas ?? 0))}\n`);
    out(`  (written to ${join(stack.dataDir, 'demo-summary.json')})\n`);
    if (opts.str('act') === 'both' && !ctx.signal.aborted) {
      const two = await actTwo();
      writeFileSync(join(stack.dataDir, 'demo-summary.json'), JSON.stringify({ ...summary, actTwo: two }, null, 2) + '\n');
      return two.everyBootIdChangedExactlyOnce && two.result === 'success' ? 0 : 1;
    }
    return 0;
  } finally {
    unsubscribe();
    await router.close();
    await stack.stop();
  }
}

function sparkline(values: number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const max = Math.max(1, ...values);
  return values.map((v) => bars[Math.min(bars.length - 1, Math.floor((v / max) * (bars.length - 1)))]).join('');
}

async function fetchJson(base: string, token: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw hmsError('HMS_SERVER_ERROR', `${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((r) => {
    const done = (): void => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      r();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function waitFor(pred: () => boolean, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (signal.aborted) return;
    if (Date.now() > deadline) throw hmsError('HMS_UNAVAILABLE', 'vote-api did not become ready in time');
    await sleep(200, signal);
  }
}

export const demoCommand: Command = {
  ...storyCommand,
  name: 'demo',
  summary: 'The election-night story on this machine, end to end; `demo load` offers a steady load for the tour',
  usage: '[--speed X] [--act one|two|both] | load --rps N',
  subcommands: [loadCommand],
};
