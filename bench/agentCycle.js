// The agent's collection cycle against a minimal raw reader of the same files, in the same run:
// openNode().collect() (cgroup tree walk + parse + /proc/stat, /proc/meminfo) vs a loop of
// openSync + one readSync + closeSync over exactly the files the cycle read. 110 pods x 3
// containers on real cgroup v2, real cgroup v1 (as root) and plain files; 1 000 pods for linearity.
// Measured in steady state (after the 120-cycle settle period of the collector's directory cache).
import { closeSync, openSync, readSync } from 'node:fs';
import { buildTree, canUseRealCgroups, cleanupOnExit, removeAll, removeStale } from './lib/cgroupTree.js';
import { dist, emitResult, figure, log, machineInfo, parseArgs, round, summarize } from './lib/common.js';

const args = parseArgs();
const quick = Boolean(args.quick);
const ROUNDS = Number(args.rounds ?? (quick ? 60 : 200));
const CONTAINERS = 3;
const SETTLE_CYCLES = 125;
cleanupOnExit();

const { openNode } = await import(dist('agent'));
const { createFsHostReader } = await import(dist('agent', 'host/fsHostReader.js'));
const { buildBatch } = await import(dist('agent', 'stream/batchBuilder.js'));
const { encodeAgentMessage } = await import(dist('protocol'));
const { systemClock } = await import(dist('common'));

/** The files one cycle reads, recorded through the HostReader port. */
async function filesOfOneCycle(cgroupRoot) {
  const real = createFsHostReader();
  const files = [];
  const recording = { ...real, readFile: (p) => (files.push(p), real.readFile(p)), readdir: (p) => real.readdir(p), exists: (p) => real.exists(p), dirStamp: (p) => real.dirStamp(p) };
  const node = await openNode(config(cgroupRoot), { clock: systemClock, reader: recording });
  files.length = 0;
  node.collect();
  return files;
}

function config(cgroupRoot) {
  return { node: 'bench', aggregatorUrl: undefined, hostRoot: '/', cgroupRoot, workloadParents: [], intervalMs: 1000, processWorkloadsFile: undefined, simulatedBoot: false };
}

/** The baseline: open, one read into a shared buffer, close — nothing else. */
function rawReader(files) {
  const buf = Buffer.allocUnsafe(64 * 1024);
  return () => {
    for (let i = 0; i < files.length; i++) {
      const fd = openSync(files[i], 'r');
      readSync(fd, buf, 0, buf.length, null);
      closeSync(fd);
    }
  };
}

function timeUs(f) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  f();
  const wall = Number(process.hrtime.bigint() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { wall, cpu: c.user + c.system };
}

/** Alternating rounds of collector / raw / whole tick; medians of wall and CPU time. */
async function measure(kind, pods) {
  const tree = buildTree(kind, pods, CONTAINERS);
  try {
    const files = await filesOfOneCycle(tree.cgroupRoot);
    const raw = rawReader(files);
    const node = await openNode(config(tree.cgroupRoot), { clock: systemClock });
    let seq = 0;
    const tick = () => {
      const c = node.collect();
      encodeAgentMessage({ metrics: buildBatch(++seq, c, node.info.bootId, 0) });
    };
    // Steady state: the collector trusts a pod's container list once it has not changed for
    // 120 cycles (DirLister, the agent's first 2 minutes at 1 s); measure after that.
    for (let i = 0; i < SETTLE_CYCLES; i++) node.collect();
    for (let i = 0; i < 10; i++) {
      raw();
      tick();
    }
    const col = [];
    const rawT = [];
    const tickT = [];
    let podsSeen = 0;
    const rounds = pods > 500 ? Math.max(20, Math.floor(ROUNDS / 6)) : ROUNDS;
    for (let i = 0; i < rounds; i++) {
      // Alternate the order so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        col.push(timeUs(() => (podsSeen = node.collect().pods.length)));
        rawT.push(timeUs(raw));
      } else {
        rawT.push(timeUs(raw));
        col.push(timeUs(() => (podsSeen = node.collect().pods.length)));
      }
      tickT.push(timeUs(tick));
    }
    const med = (xs, k) => summarize(xs.map((x) => x[k])).p50;
    const r = {
      kind, description: tree.description, pods, podsSeen, files: files.length, rounds,
      collectorUs: { wall: med(col, 'wall'), cpu: med(col, 'cpu'), wallSpread: summarize(col.map((x) => x.wall)) },
      rawUs: { wall: med(rawT, 'wall'), cpu: med(rawT, 'cpu'), wallSpread: summarize(rawT.map((x) => x.wall)) },
      tickUs: { wall: med(tickT, 'wall'), cpu: med(tickT, 'cpu') },
    };
    r.ratioWall = r.collectorUs.wall / r.rawUs.wall;
    r.ratioCpu = r.collectorUs.cpu / r.rawUs.cpu;
    log(`agent cycle: ${kind} ${pods} pods (${files.length} files): collector ${round(r.collectorUs.wall / 1000, 2)} ms vs raw ${round(r.rawUs.wall / 1000, 2)} ms = ${round(r.ratioWall, 2)}x; whole tick ${round(r.tickUs.wall / 1000, 2)} ms`);
    return r;
  } finally {
    tree.remove();
  }
}

async function main() {
  const real = canUseRealCgroups();
  if (real) removeStale();
  const kinds = real ? ['v2', 'v1', 'files'] : ['files'];
  const runs = [];
  for (const k of kinds) runs.push(await measure(k, 110));
  const bigKind = real ? 'v2' : 'files';
  const big = await measure(bigKind, 1000);
  const small = runs.find((r) => r.kind === bigKind);
  const main110 = runs[0];
  const linearity = big.collectorUs.wall / big.pods / (small.collectorUs.wall / small.pods);
  const rawLinearity = big.rawUs.wall / big.files / (small.rawUs.wall / small.files);
  const figures = [
    ...runs.map((r) => figure(`collect() 110 pods × 3, ${r.description}`, r.collectorUs.wall / 1000, 'ms', {
      goal: { op: '<=', value: 2, on: 'ratio' }, baseline: { name: `raw open+read+close of the same ${r.files} files`, value: r.rawUs.wall / 1000 },
      note: `CPU-time ratio ${round(r.ratioCpu, 2)}; median of ${r.rounds} alternating rounds; spread ${round(r.collectorUs.wallSpread.min / 1000, 2)}–${round(r.collectorUs.wallSpread.p90 / 1000, 2)} ms (min–p90)`,
    })),
    figure(`whole tick (collect + batch + protobuf encode), 110 pods, ${main110.kind}`, main110.tickUs.wall / 1000, 'ms', {
      baseline: { name: 'raw reads of the same files', value: main110.rawUs.wall / 1000 },
      note: `= ${round(main110.tickUs.wall / 10_000, 2)} % of a core at a 1 s interval`,
    }),
    figure(`collect() 1 000 pods × 3, ${big.description}`, big.collectorUs.wall / 1000, 'ms', {
      goal: { op: '<=', value: 2, on: 'ratio' }, baseline: { name: `raw reads of the same ${big.files} files`, value: big.rawUs.wall / 1000 },
    }),
    figure('linearity: cost per pod at 1 000 pods / at 110 pods', linearity, '×', {
      goal: { op: '<=', value: 1.25 }, baseline: { name: 'the raw reader, per file, same ratio', value: rawLinearity },
      note: `1.0 = perfectly linear; the ratio column is how much of the growth the collector adds beyond the kernel's`,
    }),
  ];
  return { name: 'agentCycle', title: 'Agent collection cycle vs a raw reader of the same files', mode: real ? 'root: real cgroups (v2 unified, v1 cpuacct+cpu) and plain files' : 'not root: plain files only', figures, details: { runs, big, machine: machineInfo() } };
}

main()
  .then((r) => emitResult(r, args.out))
  .catch((err) => {
    emitResult({ name: 'agentCycle', error: String(err?.stack ?? err) }, args.out);
    process.exitCode = 1;
  })
  .finally(removeAll);
