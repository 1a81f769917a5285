import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock, type Clock, type Logger } from '@hms-sys/common';
import { encodeAgentMessage, decodeAggregatorMessage, PROTOCOL_VERSION, type IAgentMessage, type AggregatorMessage } from '@hms-sys/protocol';
import WebSocket from 'ws';
import { startAggregator, type Aggregator } from '../../src/aggregator.js';
import { ensureCredentials } from '../../src/credentials.js';
import { NoopDriver } from '../../src/drivers/noopDriver.js';
import type { ClusterDriver } from '../../src/drivers/types.js';
import type { AggregatorConfig } from '../../src/config.js';

export interface TestAggregator {
  readonly agg: Aggregator;
  readonly dataDir: string;
  readonly tokens: { operator: string; viewer: string; agent: string };
  readonly wsUrl: string;
  restart(): Promise<TestAggregator>;
  close(): Promise<void>;
}

/** Starts a real aggregator on 127.0.0.1:0 with a temp data dir (kept across restart()). */
export async function startTestAggregator(opts: { dataDir?: string; driver?: ClusterDriver; clock?: Clock; config?: Partial<AggregatorConfig>; logger?: Logger } = {}): Promise<TestAggregator> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'hms-agg-'));
  const tokens = ensureCredentials(dataDir);
  const config: AggregatorConfig = {
    host: '127.0.0.1', port: 0, dataDir, driver: 'none', agentTokenFile: undefined, apiTokenFile: undefined,
    maxFrameBytes: 256 * 1024, staleAfterMs: 1500, eventRetentionMs: 86_400_000, batchRetentionMs: 3_600_000,
    podSeries: true, maxPodSeries: 1000, autoscaleIntervalMs: 1000, feedMaxLagEvents: 100_000, summaryIntervalMs: 0, forgetNodesAfterMs: 3_600_000, ...opts.config,
  };
  const agg = await startAggregator(config, { clock: opts.clock ?? systemClock, logger: opts.logger ?? silentLogger(), driver: opts.driver ?? new NoopDriver() });
  const self: TestAggregator = {
    agg, dataDir, tokens,
    wsUrl: `${agg.url.replace(/^http/, 'ws')}/v1/agents/stream`,
    async restart() {
      await agg.stop();
      return startTestAggregator({ ...opts, dataDir });
    },
    async close() {
      await agg.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return self;
}

/** A raw protocol peer: sends frames you build, records what comes back. */
export class RawAgent {
  readonly received: AggregatorMessage[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      this.received.push(decodeAggregatorMessage(d));
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = reason.toString();
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  /** `tls`: CA, client certificate and key for wss:// (issue 8). */
  static connect(url: string, token: string | undefined, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer } = {}): Promise<RawAgent> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, perMessageDeflate: false, ...tls });
      ws.once('open', () => resolve(new RawAgent(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: IAgentMessage): void {
    this.ws.send(encodeAgentMessage(msg), { binary: true });
  }

  hello(node: string, streamId = 's1', bootId = 'boot-1'): void {
    this.send({ hello: { nodeName: node, agentVersion: 'test', protocolVersion: PROTOCOL_VERSION, streamId, intervalMs: 1000, node: { bootId, kernelVersion: '6.1.0', osImage: 'Test OS', cpuCores: 4, memoryBytes: 8e9 } } });
  }

  /** Waits (bounded) until pred holds. */
  async until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
  }

  acks(): number[] {
    return this.received.filter((m) => m.ack).map((m) => Number(m.ack?.seq));
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** A batch with one pod of one container at the given cumulative usage. */
export function batch(seq: number, usageUsec: number, monoUsec: number, opts: { uid?: string; bootId?: string; busy?: number; total?: number } = {}) {
  return {
    metrics: {
      seq, collectedAtMs: Date.now(), monotonicUsec: monoUsec, bootId: opts.bootId ?? 'boot-1',
      nodeUsage: { cpuBusyUsec: opts.busy ?? seq * 1_000_000, cpuTotalUsec: opts.total ?? seq * 4_000_000, cpuCores: 4, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9 },
      pods: [{ uid: opts.uid ?? 'pod-uid-1', namespace: 'default', name: 'web-1', qosClass: 'Burstable', cgroupPath: 'kubepods/burstable/podx', containers: [{ id: 'c1', name: 'web', cpuUsageUsec: usageUsec }] }],
    },
  };
}

export async function apiGet<T>(t: TestAggregator, path: string, token: string | null = t.tokens.viewer): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.agg.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: body as T };
}
