// Per-batch CPU cost of the ingest stages on the same frames the simulated agents send:
// bare protobuf decode (the baseline), + validateBatch, + FleetState.applyBatch (rates).
// Prints one JSON object. CPU time (process.cpuUsage), not wall time: the machine is shared.
import { dist, parseArgs, repoDist } from './common.js';

const args = parseArgs();
const NODES = Number(args.nodes ?? 200);
const SEQS = Number(args.seqs ?? 8);
const PODS = Number(args.pods ?? 110);
const CONTAINERS = Number(args.containers ?? 3);
const ROUNDS = Number(args.rounds ?? 3);

const { loadgen } = await import(repoDist('agent')); // the generator's encoder: a tool, not under test
const { decodeAgentMessage } = await import(dist('protocol'));
const { validateBatch } = await import(dist('aggregator', 'ingest/validateBatch.js'));
const { FleetState } = await import(dist('aggregator', 'ingest/fleetState.js'));

// Frames exactly as `hms-sys bench agents` builds them: node-major within each seq.
const frames = [];
for (let seq = 1; seq <= SEQS; seq++) frames.push([]);
const counters = new Float64Array(PODS * CONTAINERS * loadgen.COUNTERS_PER_CONTAINER);
const podUsage = new Float64Array(PODS);
for (let n = 0; n < NODES; n++) {
  const enc = new loadgen.BatchEncoder(loadgen.simulatedPods(n, PODS, CONTAINERS), `boot-${n}`);
  for (let seq = 1; seq <= SEQS; seq++) {
    for (let i = 0; i < counters.length; i++) counters[i] = Math.floor(seq * 1e6 * (0.01 + (i % 97) / 1000));
    for (let p = 0; p < PODS; p++) podUsage[p] = seq * 3e5 + p;
    frames[seq - 1].push(Buffer.from(enc.encode({
      seq, collectedAtMs: Date.now(), monotonicUsec: 1e9 + seq * 1e6,
      node: { cpuBusyUsec: seq * 8e6, cpuTotalUsec: seq * 32e6, cpuCores: 32, memoryTotalBytes: 2 ** 37, memoryAvailableBytes: 2 ** 36 },
      podUsageUsec: podUsage, containerCounters: counters,
      stats: { cgroupsScanned: PODS * (CONTAINERS + 1), readErrors: 0, durationUsec: 3000, droppedBatches: 0 },
    })));
  }
}

function cpuUs(f) {
  const c0 = process.cpuUsage();
  const n = f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

function newFleet() {
  const fleet = new FleetState();
  for (let n = 0; n < NODES; n++) fleet.connect(`sim-${n}`, { info: { bootId: `boot-${n}`, cpuCores: 32 }, agentVersion: 'bench', streamId: 's', intervalMs: 1000 }, Date.now());
  return fleet;
}

/** One pass: seq 1 untimed (pods get created), seqs 2..SEQS timed. */
function pass(stage) {
  const fleet = newFleet();
  const run = (seqFrames) => {
    let k = 0;
    for (let n = 0; n < seqFrames.length; n++) {
      const m = decodeAgentMessage(seqFrames[n]).metrics;
      if (stage !== 'decode') {
        if (validateBatch(m) !== undefined) throw new Error('invalid batch');
        if (stage === 'apply') fleet.applyBatch(`sim-${n}`, m, Date.now());
      }
      k++;
    }
    return k;
  };
  run(frames[0]);
  return cpuUs(() => {
    let k = 0;
    for (let s = 1; s < SEQS; s++) k += run(frames[s]);
    return k;
  });
}

const result = { frameBytes: frames[0][0].length, nodes: NODES, podsPerNode: PODS, containersPerPod: CONTAINERS };
for (const stage of ['decode', 'validate', 'apply']) pass(stage); // warm up every path
for (const stage of ['decode', 'validate', 'apply']) {
  const runs = Array.from({ length: ROUNDS }, () => pass(stage));
  result[stage] = { usPerBatch: Math.min(...runs), runs };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
