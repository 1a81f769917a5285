import { createHash, randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { decodeAggregatorMessage, encodeAgentMessage, PROTOCOL_VERSION } from '@hms-sys/protocol';
import WebSocket from 'ws';
import { BatchEncoder, COUNTERS_PER_CONTAINER, Counter, type TemplatePod } from './batchEncoder.js';
import { LatencyHistogram } from './latencyHistogram.js';

/**
 * Simulated agents for load tests (`hms-sys bench agents`, `npm run bench`): N real WebSocket
 * connections speaking the agent protocol — hello, one protobuf MetricsBatch per interval with
 * cumulative counters that grow, acks honoured (an agent with `maxUnacked` batches outstanding
 * skips its turn, as the real agent's replay buffer would hold them), replay after a reconnect.
 *
 * What it measures is what an agent sees: the time from handing a batch to the socket to the
 * aggregator's ack for it (the ack follows the aggregator's durable journal commit).
 */
export interface SimulatedFleetOptions {
  /** ws:// or wss:// URL of the aggregator's /v1/agents/stream. */
  readonly url: string;
  readonly token: string | undefined;
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly containersPerPod: number;
  readonly intervalMs: number;
  /** Length of the measured window (after connecting and warming up), ms. */
  readonly durationMs: number;
  /** Sending before the window starts, ms (lets the aggregator's rates and caches settle). */
  readonly warmupMs: number;
  /** Node names are `<namePrefix>-<i>`. */
  readonly namePrefix: string;
  /** Connection handshakes in flight at once. */
  readonly connectConcurrency: number;
  /** Stop connecting new agents after this long, ms; those not connected keep retrying. */
  readonly connectTimeoutMs: number;
  /** An agent with this many unacknowledged batches skips its turn (backpressure). */
  readonly maxUnacked: number;
  /** After the window, wait at most this long for outstanding acks, ms. */
  readonly drainMs: number;
  /** Then keep the (idle) connections open this long before closing them, ms (e.g. to inspect the aggregator with the fleet connected). */
  readonly holdMs?: number;
  readonly tls?: { readonly ca?: Buffer; readonly rejectUnauthorized?: boolean };
}

export const DEFAULT_FLEET_OPTIONS = {
  podsPerNode: 110,
  containersPerPod: 3,
  intervalMs: 1000,
  durationMs: 60_000,
  warmupMs: 5000,
  namePrefix: 'sim',
  connectConcurrency: 200,
  connectTimeoutMs: 120_000,
  maxUnacked: 10,
  drainMs: 5000,
} as const;

/** Everything measured, for humans (the CLI table) and for programs (`-o json`, `npm run bench`). */
export interface FleetReport {
  readonly url: string;
  readonly nodes: number;
  readonly podsPerNode: number;
  readonly containersPerPod: number;
  readonly intervalMs: number;
  readonly windowMs: number;
  /** Wall clock (ms since the epoch) of the measured window. */
  readonly windowStartEpochMs: number;
  readonly windowEndEpochMs: number;
  readonly connect: { readonly connected: number; readonly seconds: number; readonly refused: number; readonly failed: number };
  /** Batches per second the fleet should send: nodes / interval. */
  readonly offeredBatchesPerSec: number;
  /** Sent in the window, per second. */
  readonly sentBatchesPerSec: number;
  /** Sent in the window and acknowledged (by the end of the drain), per second. */
  readonly ackedBatchesPerSec: number;
  readonly podSamplesPerSec: number;
  readonly containerSamplesPerSec: number;
  readonly bytesPerBatch: number;
  /** Send → ack, ms, over batches sent in the window and acked. */
  readonly ackLagMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number; readonly count: number; readonly within250ms: number };
  /** How late the generator fired sends relative to their schedule, ms: high values mean the generator itself is saturated. */
  readonly sendLatenessMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Turns skipped in the window: agent not connected / too many unacked batches. */
  readonly skipped: { readonly disconnected: number; readonly backpressure: number };
  /** Batches sent in the window and never acked. */
  readonly unackedAtEnd: number;
  readonly reconnects: number;
  readonly errors: { readonly closes: Readonly<Record<string, number>>; readonly http: Readonly<Record<string, number>>; readonly socket: number; readonly samples: readonly string[] };
  /** CPU of this (the generator's) process over the window, % of one core, and its event-loop delay. */
  readonly generator: { readonly cpuPercent: number; readonly eventLoopP99Ms: number; readonly eventLoopMaxMs: number; readonly rssBytes: number };
}

export interface FleetProgress {
  readonly phase: 'connecting' | 'warmup' | 'measuring' | 'draining' | 'holding';
  readonly connected: number;
  readonly sent: number;
  readonly acked: number;
  readonly ackLagP99Ms: number;
}

/** Deterministic per-pod CPU shares (cores), the same for every node: 0.002 .. 0.15. */
function shares(pods: number, containers: number): Float64Array {
  const out = new Float64Array(pods * containers);
  let x = 42;
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out[i] = 0.002 + (x / 2147483648) * 0.148;
  }
  return out;
}

/**
 * CPU each simulated pod uses, cores: the same for every node (its containers' shares plus its
 * sandbox's 500 µs per interval). For drivers of load tests that set requests to match.
 */
export function simulatedPodCores(pods: number, containers: number, intervalMs: number): Float64Array {
  const s = shares(pods, containers);
  const out = new Float64Array(pods);
  for (let p = 0; p < pods; p++) {
    let cores = 500 / (intervalMs * 1000);
    for (let c = 0; c < containers; c++) cores += s[p * containers + c] as number;
    out[p] = cores;
  }
  return out;
}

function hex(node: number, i: number, len: number): string {
  return createHash('sha256').update(`${node}/${i}`).digest('hex').slice(0, len);
}

/** Kubernetes-like identities (systemd driver, containerd) for pod `p` of node `node`. */
export function simulatedPods(node: number, pods: number, containers: number): TemplatePod[] {
  const qos = ['Burstable', 'BestEffort', 'Guaranteed'] as const;
  return Array.from({ length: pods }, (_, p) => {
    const h = hex(node, p, 32);
    const uid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    const q = qos[p % 3] as string;
    const slice = q === 'Guaranteed' ? `kubepods.slice/kubepods-pod${uid.replaceAll('-', '_')}.slice` : `kubepods.slice/kubepods-${q.toLowerCase()}.slice/kubepods-${q.toLowerCase()}-pod${uid.replaceAll('-', '_')}.slice`;
    return {
      uid, namespace: '', name: '', qosClass: q, cgroupPath: slice,
      containers: Array.from({ length: containers }, (_, c) => ({ id: hex(node, p * 1000 + c, 64), name: '' })),
    };
  });
}

interface Pending {
  readonly seq: number;
  readonly sentAt: number;
  readonly inWindow: boolean;
}

type Phase = FleetProgress['phase'] | 'stopped';

/** Shared by all agents of one run. */
class Run {
  readonly lag = new LatencyHistogram();
  readonly lateness = new LatencyHistogram();
  readonly counters: Float64Array;
  readonly podUsage: Float64Array;
  readonly shares: Float64Array;
  readonly intervalUs: number;
  phase: Phase = 'connecting';
  windowStart = Infinity;
  windowEnd = Infinity;
  sentInWindow = 0;
  ackedInWindow = 0;
  sent = 0;
  acked = 0;
  skippedDisconnected = 0;
  skippedBackpressure = 0;
  reconnects = 0;
  refused = 0;
  socketErrors = 0;
  bytes = 0;
  readonly closes: Record<string, number> = {};
  readonly http: Record<string, number> = {};
  readonly samples: string[] = [];

  constructor(readonly opts: SimulatedFleetOptions) {
    this.counters = new Float64Array(opts.podsPerNode * opts.containersPerPod * COUNTERS_PER_CONTAINER);
    this.podUsage = new Float64Array(opts.podsPerNode);
    this.shares = shares(opts.podsPerNode, opts.containersPerPod);
    this.intervalUs = opts.intervalMs * 1000;
  }

  note(kind: 'close' | 'http', key: string, detail: string): void {
    const map = kind === 'close' ? this.closes : this.http;
    map[key] = (map[key] ?? 0) + 1;
    if (this.samples.length < 10) this.samples.push(detail);
  }

  get measuring(): boolean {
    return this.phase === 'measuring';
  }
}

/** One simulated node: a connection, a stream, counters that are a function of seq. */
class SimAgent {
  private ws: WebSocket | undefined;
  private ready = false;
  private encoder: BatchEncoder | undefined;
  private readonly pending: Pending[] = [];
  private seq = 0;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly streamId = randomUUID();
  private readonly bootId = randomUUID();
  private readonly monoBaseUsec: number;
  everConnected = false;

  constructor(
    private readonly run: Run,
    readonly index: number,
    readonly name: string,
  ) {
    this.monoBaseUsec = 1e9 + index * 1000;
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Connects; resolves once welcomed or when this attempt failed. */
  connect(): Promise<boolean> {
    return new Promise((resolve) => {
      const o = this.run.opts;
      const ws = new WebSocket(o.url, {
        headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
        perMessageDeflate: false,
        handshakeTimeout: 15_000,
        maxPayload: 4 * 1024 * 1024,
        ...(o.tls ?? {}),
      });
      this.ws = ws;
      ws.binaryType = 'nodebuffer';
      let settled = false;
      const settle = (ok: boolean): void => {
        if (settled) return;
        settled = true;
        resolve(ok);
      };
      ws.on('open', () => {
        ws.send(encodeAgentMessage({
          hello: {
            nodeName: this.name, agentVersion: 'hms-sys-bench', protocolVersion: PROTOCOL_VERSION, streamId: this.streamId, intervalMs: o.intervalMs,
            node: { bootId: this.bootId, kernelVersion: 'simulated', osImage: 'hms-sys bench agents', cpuCores: 32, memoryBytes: 128 * 2 ** 30, architecture: 'x64', cgroupVersion: 'v2', hostname: this.name },
          },
        }), { binary: true });
      });
      ws.on('message', (data: Buffer) => {
        if (this.onFrame(ws, data)) settle(true);
      });
      ws.on('unexpected-response', (_req, res) => {
        const status = String(res.statusCode ?? 0);
        if (res.statusCode === 429) this.run.refused++;
        this.run.note('http', status, `${this.name}: HTTP ${status} at the upgrade`);
        ws.terminate();
      });
      ws.on('error', (err) => {
        this.run.socketErrors++;
        if (this.run.samples.length < 10) this.run.samples.push(`${this.name}: ${err.message}`);
      });
      ws.on('close', (code, reason) => {
        if (this.ws !== ws) return;
        this.ws = undefined;
        const wasReady = this.ready;
        this.ready = false;
        if (wasReady || code !== 1006) this.run.note('close', String(code), `${this.name}: closed ${code} ${reason.toString()}`);
        settle(false);
        this.scheduleReconnect();
      });
    });
  }

  /** While connecting, the connect workers retry; afterwards each agent reconnects by itself. */
  private scheduleReconnect(): void {
    if (this.run.phase !== 'warmup' && this.run.phase !== 'measuring') return;
    if (this.reconnectTimer !== undefined) return;
    const delay = Math.min(5000, 250 * 2 ** Math.min(this.attempt, 5)) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.run.reconnects++;
      void this.connect();
    }, delay);
  }

  /** After the connect phase: agents that are not connected (nor connecting) start retrying. */
  keepTrying(): void {
    if (!this.ws) this.scheduleReconnect();
  }

  /** Handles one aggregator frame; true when it was the Welcome. */
  private onFrame(ws: WebSocket, data: Buffer): boolean {
    let msg;
    try {
      msg = decodeAggregatorMessage(data);
    } catch {
      this.run.note('close', 'undecodable', `${this.name}: undecodable frame from the aggregator`);
      ws.terminate();
      return false;
    }
    if (msg.welcome) {
      this.ready = true;
      this.everConnected = true;
      this.attempt = 0;
      this.acked(Number(msg.welcome.lastAckedSeq ?? 0));
      // Replay what is still unacknowledged (same seq, same counters).
      for (const p of this.pending) ws.send(this.encode(p.seq), { binary: true });
      return true;
    }
    if (msg.ack) this.acked(Number(msg.ack.seq ?? 0));
    return false;
  }

  private acked(seq: number): void {
    const now = performance.now();
    let n = 0;
    while (n < this.pending.length && (this.pending[n] as Pending).seq <= seq) {
      const p = this.pending[n] as Pending;
      if (p.inWindow) {
        this.run.lag.record(now - p.sentAt);
        this.run.ackedInWindow++;
      }
      this.run.acked++;
      n++;
    }
    if (n > 0) this.pending.splice(0, n);
  }

  /** This agent's turn in the schedule. */
  tick(now: number, inWindow: boolean): void {
    if (!this.ready || !this.ws) {
      if (inWindow) this.run.skippedDisconnected++;
      return;
    }
    if (this.pending.length >= this.run.opts.maxUnacked) {
      if (inWindow) this.run.skippedBackpressure++;
      return;
    }
    const seq = ++this.seq;
    const bytes = this.encode(seq);
    this.pending.push({ seq, sentAt: now, inWindow });
    this.ws.send(bytes, { binary: true });
    this.run.sent++;
    this.run.bytes = bytes.length;
    if (inWindow) this.run.sentInWindow++;
  }

  get outstandingInWindow(): number {
    let n = 0;
    for (const p of this.pending) if (p.inWindow) n++;
    return n;
  }

  private encode(seq: number): Uint8Array {
    const r = this.run;
    const o = r.opts;
    this.encoder ??= new BatchEncoder(simulatedPods(this.index, o.podsPerNode, o.containersPerPod), this.bootId);
    // Counters are a function of seq: a replayed batch carries exactly what it carried before.
    const elapsedUs = seq * r.intervalUs;
    let podSum = 0;
    for (let p = 0; p < o.podsPerNode; p++) {
      let pod = 0;
      for (let c = 0; c < o.containersPerPod; c++) {
        const i = p * o.containersPerPod + c;
        const usage = Math.floor(elapsedUs * (r.shares[i] as number));
        const base = i * COUNTERS_PER_CONTAINER;
        const periods = seq * 10;
        const throttled = i % 7 === 0 ? Math.floor(periods / 20) : 0;
        r.counters[base + Counter.usage] = usage;
        r.counters[base + Counter.user] = Math.floor(usage * 0.7);
        r.counters[base + Counter.system] = usage - Math.floor(usage * 0.7);
        r.counters[base + Counter.nrPeriods] = periods;
        r.counters[base + Counter.nrThrottled] = throttled;
        r.counters[base + Counter.throttled] = throttled * 2000;
        pod += usage;
      }
      r.podUsage[p] = pod + seq * 500;
      podSum += pod;
    }
    return this.encoder.encode({
      seq,
      collectedAtMs: Date.now(),
      monotonicUsec: this.monoBaseUsec + elapsedUs,
      node: { cpuBusyUsec: podSum + seq * 32 * r.intervalUs * 0.05, cpuTotalUsec: seq * 32 * r.intervalUs, cpuCores: 32, memoryTotalBytes: 128 * 2 ** 30, memoryAvailableBytes: 64 * 2 ** 30 },
      podUsageUsec: r.podUsage,
      containerCounters: r.counters,
      stats: { cgroupsScanned: o.podsPerNode * (o.containersPerPod + 1), readErrors: 0, durationUsec: 3000, droppedBatches: 0 },
    });
  }

  stop(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    const ws = this.ws;
    this.ws = undefined;
    this.ready = false;
    if (!ws) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => { ws.terminate(); resolve(); }, 2000);
      ws.once('close', () => { clearTimeout(t); resolve(); });
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'load test finished');
      else ws.terminate();
    });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs the fleet: connect (bounded concurrency and time), warm up, measure for `durationMs`,
 * drain outstanding acks (bounded), disconnect. Bounded in time whatever the aggregator does;
 * `signal` ends it early (the report then covers the part measured).
 */
export async function runSimulatedFleet(
  opts: SimulatedFleetOptions,
  hooks: { signal?: AbortSignal; onProgress?: (p: FleetProgress) => void } = {},
): Promise<FleetReport> {
  const run = new Run(opts);
  const agents = Array.from({ length: opts.nodes }, (_, i) => new SimAgent(run, i, `${opts.namePrefix}-${i}`));
  const { signal } = hooks;
  const progress = (): void => hooks.onProgress?.({
    phase: run.phase === 'stopped' ? 'draining' : run.phase, connected: agents.filter((a) => a.connected).length,
    sent: run.sent, acked: run.acked, ackLagP99Ms: run.lag.quantile(0.99),
  });
  const progressTimer = setInterval(progress, 5000);
  const enter = (phase: Phase): void => {
    run.phase = phase;
    progress();
  };

  // Connect, a bounded number of handshakes at a time.
  const connectStart = performance.now();
  const connectDeadline = connectStart + opts.connectTimeoutMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < agents.length && performance.now() < connectDeadline && !signal?.aborted) {
      const a = agents[next++] as SimAgent;
      for (let tries = 0; !(await a.connect()) && tries < 20 && performance.now() < connectDeadline && !signal?.aborted; tries++) {
        await sleep(Math.min(2000, 100 * 2 ** tries), signal);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.connectConcurrency, agents.length)) }, worker));
  const connectSeconds = (performance.now() - connectStart) / 1000;
  const connectedAfterConnect = agents.filter((a) => a.connected).length;
  // Nobody could connect (wrong address, token refused): nothing to measure, say so now.
  const skipRun = connectedAfterConnect === 0;

  // The schedule: agent i sends at t0 + (i / N) * interval + k * interval, spread like real agents.
  enter('warmup');
  for (const a of agents) a.keepTrying();
  const t0 = performance.now();
  run.windowStart = t0 + (skipRun ? 0 : opts.warmupMs);
  run.windowEnd = run.windowStart + (skipRun ? 0 : opts.durationMs);
  const elu = monitorEventLoopDelay({ resolution: 10 });
  let cpuAtStart = process.cpuUsage();
  let cpuUsed: NodeJS.CpuUsage | undefined;
  let windowStartEpochMs = 0;
  let windowEndEpochMs = 0;
  let idx = 0;
  let round = 0;
  const due = (): number => t0 + (idx / agents.length) * opts.intervalMs + round * opts.intervalMs;
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    signal?.addEventListener('abort', finish, { once: true });
    const pump = (): void => {
      const now = performance.now();
      if (run.phase === 'warmup' && now >= run.windowStart) {
        enter('measuring');
        windowStartEpochMs = Date.now();
        cpuAtStart = process.cpuUsage();
        elu.enable();
      }
      if (now >= run.windowEnd) {
        windowEndEpochMs = Date.now();
        cpuUsed = process.cpuUsage(cpuAtStart);
        elu.disable();
        return finish();
      }
      for (let d = due(); d <= now; d = due()) {
        const inWindow = d >= run.windowStart && d < run.windowEnd;
        if (inWindow) run.lateness.record(now - d);
        (agents[idx] as SimAgent).tick(now, inWindow);
        if (++idx === agents.length) {
          idx = 0;
          round++;
        }
      }
      timer = setTimeout(pump, Math.max(0, Math.min(due(), run.windowEnd) - performance.now()));
    };
    pump();
  });
  cpuUsed ??= process.cpuUsage(cpuAtStart);
  elu.disable();
  const windowMs = Math.max(1, Math.min(performance.now(), run.windowEnd) - Math.min(run.windowStart, performance.now()));

  windowEndEpochMs ||= Date.now();
  // Drain: outstanding acks of the window, bounded.
  enter('draining');
  const drainUntil = performance.now() + opts.drainMs;
  while (performance.now() < drainUntil && agents.some((a) => a.outstandingInWindow > 0) && !signal?.aborted) await sleep(50, undefined);
  const unackedAtEnd = agents.reduce((n, a) => n + a.outstandingInWindow, 0);
  if ((opts.holdMs ?? 0) > 0 && !signal?.aborted) {
    enter('holding');
    await sleep(opts.holdMs ?? 0, signal);
  }
  run.phase = 'stopped';
  clearInterval(progressTimer);
  await Promise.all(agents.map((a) => a.stop()));

  const perSec = (n: number): number => (n * 1000) / windowMs;
  const acked = perSec(run.ackedInWindow);
  return {
    url: opts.url,
    nodes: opts.nodes,
    podsPerNode: opts.podsPerNode,
    containersPerPod: opts.containersPerPod,
    intervalMs: opts.intervalMs,
    windowMs: Math.round(windowMs),
    windowStartEpochMs,
    windowEndEpochMs,
    connect: { connected: connectedAfterConnect, seconds: round3(connectSeconds), refused: run.refused, failed: agents.filter((a) => !a.everConnected).length },
    offeredBatchesPerSec: round3((opts.nodes * 1000) / opts.intervalMs),
    sentBatchesPerSec: round3(perSec(run.sentInWindow)),
    ackedBatchesPerSec: round3(acked),
    podSamplesPerSec: Math.round(acked * opts.podsPerNode),
    containerSamplesPerSec: Math.round(acked * opts.podsPerNode * opts.containersPerPod),
    bytesPerBatch: run.bytes,
    ackLagMs: {
      p50: round3(run.lag.quantile(0.5)), p90: round3(run.lag.quantile(0.9)), p99: round3(run.lag.quantile(0.99)),
      max: round3(run.lag.maxMs), mean: round3(run.lag.meanMs), count: run.lag.count, within250ms: round3(run.lag.shareAtMost(250)),
    },
    sendLatenessMs: { p50: round3(run.lateness.quantile(0.5)), p99: round3(run.lateness.quantile(0.99)), max: round3(run.lateness.maxMs) },
    skipped: { disconnected: run.skippedDisconnected, backpressure: run.skippedBackpressure },
    unackedAtEnd,
    reconnects: run.reconnects,
    errors: { closes: run.closes, http: run.http, socket: run.socketErrors, samples: run.samples },
    generator: {
      cpuPercent: round3(((cpuUsed.user + cpuUsed.system) / 1000 / windowMs) * 100),
      eventLoopP99Ms: round3(elu.count ? elu.percentile(99) / 1e6 : 0),
      eventLoopMaxMs: round3(elu.count ? elu.max / 1e6 : 0),
      rssBytes: process.memoryUsage.rss(),
    },
  };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
