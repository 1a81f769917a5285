import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { eventually, freePort, startCli, type Proc } from './cli.js';

/** A small host root (cgroup v2 fixture) for agents: real agent processes, predictable reads. */
export const FIXTURE_HOST_ROOT = fileURLToPath(new URL('../../../packages/agent/test/fixtures/v2-systemd-containerd', import.meta.url));

export const AGENT_TOKEN = 'e2e-agent-token-'.padEnd(48, 'a');
export const OPERATOR_TOKEN = 'e2e-operator-token-'.padEnd(48, 'o');
export const VIEWER_TOKEN = 'e2e-viewer-token-'.padEnd(48, 'v');

/**
 * `hms-sys aggregator --driver none` and `hms-sys agent` processes on loopback, with a data dir
 * of their own, for fault injection: kill -9, restarts on the same data dir, proxies in between.
 */
export class FaultStack {
  readonly dir: string;
  readonly dataDir: string;
  aggregator: Proc | undefined;
  readonly agents = new Map<string, Proc>();
  port = 0;

  constructor(opts: { dataDir?: string } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'hms-faults-'));
    this.dataDir = opts.dataDir ?? join(this.dir, 'data');
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(join(this.dir, 'agent-tokens'), `${AGENT_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(this.dir, 'agent-token'), `${AGENT_TOKEN}\n`, { mode: 0o600 });
    writeFileSync(join(this.dir, 'api-tokens'), `operator ${OPERATOR_TOKEN} e2e-operator\nviewer ${VIEWER_TOKEN} e2e-viewer\n`, { mode: 0o600 });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get streamUrl(): string {
    return `ws://127.0.0.1:${this.port}/v1/agents/stream`;
  }

  /** Starts (or restarts, same port and data dir) the aggregator and waits for /readyz. */
  async startAggregator(extra: readonly string[] = []): Promise<Proc> {
    if (!this.port) this.port = await freePort();
    const p = startCli([
      'aggregator', '--listen', `127.0.0.1:${this.port}`, '--data-dir', this.dataDir, '--driver', 'none',
      '--agent-token-file', join(this.dir, 'agent-tokens'), '--api-token-file', join(this.dir, 'api-tokens'),
      '--stale-after', '1s', '--summary-interval', '0s', ...extra,
    ]);
    this.aggregator = p;
    await eventually(async () => {
      if (p.child.exitCode !== null) throw new Error(`aggregator exited ${p.child.exitCode}: ${p.output().slice(-2000)}`);
      return (await fetch(`${this.url}/readyz`)).status === 200 ? true : undefined;
    }, 'the aggregator to be ready', 15_000, 100);
    return p;
  }

  /** Starts a real agent for `node` (interval 100 ms) against `url` (default: the aggregator). */
  startAgent(node: string, url = this.streamUrl, extra: readonly string[] = []): Proc {
    const p = startCli([
      'agent', '--node', node, '--aggregator', url, '--token-file', join(this.dir, 'agent-token'),
      '--interval', '100ms', '--state-dir', join(this.dir, 'agents', node), '--metrics-listen', 'none',
      '--host-root', FIXTURE_HOST_ROOT, ...extra,
    ]);
    this.agents.set(node, p);
    return p;
  }

  async api<T>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${VIEWER_TOKEN}` }, signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  async nodes(): Promise<{ name: string; connected: boolean }[]> {
    return this.api('/v1/nodes');
  }

  async metric(name: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    return line ? Number(line.split(' ')[1]) : 0;
  }

  /** Read-only view of the journal: seqs per (node, stream). */
  journal(): Map<string, number[]> {
    const db = new Database(join(this.dataDir, 'aggregator.db'), { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      const rows = db.prepare('SELECT node, stream_id AS stream, seq FROM batches ORDER BY node, stream_id, seq').all() as { node: string; stream: string; seq: number }[];
      const out = new Map<string, number[]>();
      for (const r of rows) {
        const key = `${r.node}/${r.stream}`;
        out.set(key, [...(out.get(key) ?? []), r.seq]);
      }
      return out;
    } finally {
      db.close();
    }
  }

  /** Journal rows the aggregator received at or after `ms` (its wall clock). */
  rowsReceivedSince(ms: number): number {
    const db = new Database(join(this.dataDir, 'aggregator.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM batches WHERE received_ms >= ?').pluck().get(ms) as number;
    } finally {
      db.close();
    }
  }

  integrityCheck(): string {
    const db = new Database(join(this.dataDir, 'aggregator.db'), { readonly: true, fileMustExist: true });
    try {
      return String(db.pragma('integrity_check', { simple: true }));
    } finally {
      db.close();
    }
  }

  /** Every process's output, for failure messages. */
  output(): string {
    return [`--- aggregator\n${this.aggregator?.output().slice(-3000) ?? ''}`, ...[...this.agents].map(([n, p]) => `--- agent ${n}\n${p.output().slice(-1500)}`)].join('\n');
  }

  async stopAgents(): Promise<void> {
    await Promise.all([...this.agents.values()].map((p) => p.stop()));
  }

  async cleanup(): Promise<void> {
    await this.stopAgents();
    await this.aggregator?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Asserts-friendly summary: for each stream, whether its seqs are exactly 1..max. */
export function gaps(journal: Map<string, number[]>): string[] {
  const problems: string[] = [];
  for (const [stream, seqs] of journal) {
    const max = seqs[seqs.length - 1] ?? 0;
    if (seqs.length !== max || seqs.some((s, i) => s !== i + 1)) {
      const missing: number[] = [];
      const have = new Set(seqs);
      for (let s = 1; s <= max && missing.length < 10; s++) if (!have.has(s)) missing.push(s);
      problems.push(`${stream}: ${seqs.length} rows for seqs 1..${max}, missing ${missing.join(',')}`);
    }
  }
  return problems;
}

/**
 * A loopback TCP proxy between agents and the aggregator that can cut a connection in the
 * middle of a frame: the next chunk from the agent is forwarded only half, then both sides drop.
 */
export class CuttingProxy {
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; cut: boolean }>();
  port = 0;
  cuts = 0;

  constructor(private readonly upstreamPort: () => number) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.upstreamPort(), '127.0.0.1');
      const pair = { client, upstream, cut: false };
      this.pairs.add(pair);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      upstream.on('data', (d: Buffer) => client.write(d));
      client.on('data', (d: Buffer) => {
        if (!pair.cut) {
          upstream.write(d);
          return;
        }
        // Half a frame, then the link is gone.
        upstream.write(d.subarray(0, Math.max(1, Math.floor(d.length / 2))), () => {
          this.cuts++;
          drop();
        });
        pair.cut = false;
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Cuts every open connection at the next chunk the agent sends. */
  cutNext(): void {
    for (const p of this.pairs) p.cut = true;
  }

  get open(): number {
    return this.pairs.size;
  }

  async stop(): Promise<void> {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

/** RSS of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}
