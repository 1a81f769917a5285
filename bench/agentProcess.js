// A real `hms-sys agent` process (110 pods x 3 containers, 1 s interval) streaming to a local
// aggregator: its CPU over a window from /proc/<pid>/stat, and its RSS. Baseline in the same run:
// an idle Node.js process (a 1 s timer) over the same window — the floor of any Node daemon.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTree, canUseRealCgroups, cleanupOnExit, removeAll, removeStale } from './lib/cgroupTree.js';
import {
  dist, emitResult, figure, HMS_SYS, ipcRequest, log, machineInfo, parseArgs, procCpuSeconds, procMemory, procThreadCpu, REPO, round, sleep, spawnNode, stopChild, withTimeout,
} from './lib/common.js';

const args = parseArgs();
const WINDOW_S = Number(args.window ?? (args.quick ? 15 : 30));
const WARMUP_S = Number(args.warmup ?? 5);
// Steady state is measured again once the collector trusts its settled directory listings
// (DirLister: 120 cycles at 1 s); --quick measures the first window only.
const SETTLED_S = args.quick ? 0 : Number(args.settled ?? 125);
cleanupOnExit();
const scratch = mkdtempSync(join(tmpdir(), 'hms-bench-agent-'));
const children = [];

const { openNode } = await import(dist('agent'));
const { createFsHostReader } = await import(dist('agent', 'host/fsHostReader.js'));
const { systemClock } = await import(dist('common'));

/** The files one agent cycle reads (recorded through the HostReader port). */
async function filesOfOneCycle(cgroupRoot) {
  const real = createFsHostReader();
  const files = [];
  const reader = { readFile: (p) => (files.push(p), real.readFile(p)), readdir: (p) => real.readdir(p), exists: (p) => real.exists(p), dirStamp: (p) => real.dirStamp(p) };
  const node = await openNode({ node: 'bench', hostRoot: '/', cgroupRoot, workloadParents: [], intervalMs: 1000, processWorkloadsFile: undefined, simulatedBoot: false }, { clock: systemClock, reader });
  files.length = 0;
  node.collect();
  return files;
}

async function main() {
  const real = canUseRealCgroups();
  if (real) removeStale();
  const tree = buildTree(real ? 'v2' : 'files', 110, 3);
  const agg = spawnNode([join(REPO, 'bench/lib/aggServer.js'), JSON.stringify({ dataDir: join(scratch, 'agg') })], { ipc: true });
  children.push(agg);
  const ready = await withTimeout(new Promise((resolve, reject) => {
    agg.on('message', (m) => m?.type === 'ready' && resolve(m));
    agg.exited.then(() => reject(new Error(`aggregator exited: ${agg.err.slice(-2000)}`)));
  }), 60_000, 'aggregator start');
  const tokenFile = join(scratch, 'agent.token');
  writeFileSync(tokenFile, `${ready.tokens.agent}\n`);

  // HMS_BENCH_AGENT_PROF=DIR: the agent's V8 CPU profile, written there when it stops (Chrome DevTools).
  const prof = process.env.HMS_BENCH_AGENT_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.HMS_BENCH_AGENT_PROF] : [];
  const agent = spawnNode([HMS_SYS(), 'agent', '--node', 'bench-node', '--aggregator', ready.wsUrl, '--cgroup-root', tree.cgroupRoot,
    '--token-file', tokenFile, '--state-dir', join(scratch, 'state'), '--metrics-listen', 'none', '--interval', '1s', '--log-level', 'warn'], { nodeFlags: prof });
  const idle = spawnNode(['-e', 'setInterval(() => {}, 1000)']);
  // The raw baseline as a process: the same files, read once per second, nothing else.
  const listFile = join(scratch, 'files.json');
  writeFileSync(listFile, JSON.stringify(await filesOfOneCycle(tree.cgroupRoot)));
  const raw = spawnNode([join(REPO, 'bench/lib/rawLoop.js'), listFile, '1000']);
  children.push(agent, idle, raw);

  // Connected and streaming?
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = await ipcRequest(agg, { type: 'stats' });
    if (s.batches >= 2) break;
    if (Date.now() > deadline || agent.exitCode !== null) throw new Error(`agent did not stream: ${agent.err.slice(-2000)}`);
    await sleep(250);
  }
  const streamingSince = Date.now();
  log(`agent process: streaming (${tree.description}); warm-up ${WARMUP_S} s, window ${WINDOW_S} s${SETTLED_S ? `; again once the directory cache has settled (${SETTLED_S} s)` : ''}`);

  /** CPU of the agent (per thread too), the raw reader and the idle process over one window. */
  const measure = async () => {
    const a0 = procCpuSeconds(agent.pid);
    const th0 = procThreadCpu(agent.pid);
    const i0 = procCpuSeconds(idle.pid);
    const r0 = procCpuSeconds(raw.pid);
    const b0 = (await ipcRequest(agg, { type: 'stats' })).batches;
    const t0 = Date.now();
    await sleep(WINDOW_S * 1000);
    const dt = (Date.now() - t0) / 1000;
    // Where it goes: per thread (main = the event loop; libuv worker threads; V8's GC and compiler
    // threads), user and kernel apart, % of a core.
    const th1 = procThreadCpu(agent.pid);
    const threads = Object.fromEntries(Object.entries(th1).map(([name, t]) => [name, {
      user: round(((t.user - (th0[name]?.user ?? 0)) / dt) * 100, 2), system: round(((t.system - (th0[name]?.system ?? 0)) / dt) * 100, 2),
    }]).filter(([, t]) => t.user + t.system > 0));
    const w = {
      agentCpu: ((procCpuSeconds(agent.pid) - a0) / dt) * 100,
      idleCpu: ((procCpuSeconds(idle.pid) - i0) / dt) * 100,
      rawCpu: ((procCpuSeconds(raw.pid) - r0) / dt) * 100,
      threads, windowS: dt, startedAfterS: round((t0 - streamingSince) / 1000, 1),
      batches: (await ipcRequest(agg, { type: 'stats' })).batches - b0,
    };
    log(`agent process: after ${w.startedAfterS} s: ${round(w.agentCpu, 2)} % CPU (by thread, user/system %: ${Object.entries(threads).map(([n, t]) => `${n} ${t.user}/${t.system}`).join(', ')}); raw reader ${round(w.rawCpu, 2)} %, ${w.batches} batches`);
    return w;
  };

  await sleep(WARMUP_S * 1000);
  const early = await measure();
  let steady;
  if (SETTLED_S) {
    await sleep(Math.max(0, streamingSince + SETTLED_S * 1000 - Date.now()));
    steady = await measure();
  }
  const main = steady ?? early;
  const { agentCpu, idleCpu, rawCpu, batches, windowS: dt } = main;
  const mem = procMemory(agent.pid);
  const idleMem = procMemory(idle.pid);
  log(`agent process: ${round(agentCpu, 2)} % CPU, RSS ${round(mem.rss / 2 ** 20, 1)} MiB (idle node: ${round(idleCpu, 2)} %, ${round(idleMem.rss / 2 ** 20, 1)} MiB), ${batches} batches`);
  tree.remove();
  return {
    name: 'agentProcess',
    title: 'hms-sys agent process, 110 pods × 3 containers at 1 s, streaming to a local aggregator',
    mode: `${tree.description}; ${steady ? `steady state: a ${WINDOW_S} s window from ${steady.startedAfterS} s (the collector's directory cache settles after 120 cycles), and the first minute: a window from ${early.startedAfterS} s` : `a ${WINDOW_S} s window from ${early.startedAfterS} s (--quick: the directory cache has not settled yet)`} (the goal says a minute: windows shortened to keep npm run bench under 10 minutes)`,
    figures: [
      figure('agent CPU', agentCpu, '% of a core', {
        goal: { op: '<', value: 0.5 }, baseline: { name: 'a process doing only the raw reads of the same files at 1 s', value: Math.max(rawCpu, 0.01) },
        note: `${steady ? 'steady state; ' : ''}/proc/<pid>/stat over ${round(dt, 1)} s, ${batches} batches acked (10 ms ticks: ±${round(1 / dt, 2)} %); an idle Node.js process: ${round(idleCpu, 2)} %`,
      }),
      ...(steady ? [figure('agent CPU, first minute (directory cache not settled)', early.agentCpu, '% of a core', {
        baseline: { name: 'the raw reads over the same window', value: Math.max(early.rawCpu, 0.01) },
        note: `window from ${early.startedAfterS} s: every pod directory is still stat-ed each cycle`,
      })] : []),
      figure('agent RSS', mem.rss / 2 ** 20, 'MiB', {
        goal: { op: '<', value: 60 }, baseline: { name: 'an idle Node.js process', value: idleMem.rss / 2 ** 20 },
        note: `private (RssAnon) ${round(mem.anon / 2 ** 20, 1)} MiB vs ${round(idleMem.anon / 2 ** 20, 1)} MiB idle; the rest is the node binary and libraries, file-backed and shared; peak (VmHWM) ${round(mem.hwm / 2 ** 20, 1)} MiB`,
      }),
    ],
    details: { steady, early, rss: mem, idleRss: idleMem, machine: machineInfo() },
  };
}

main()
  .then((r) => emitResult(r, args.out))
  .catch((err) => {
    emitResult({ name: 'agentProcess', error: String(err?.stack ?? err) }, args.out);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const c of children.reverse()) await stopChild(c);
    removeAll();
    rmSync(scratch, { recursive: true, force: true });
  });
