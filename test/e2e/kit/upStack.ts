import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, freePort, runCli } from './cli.js';

/**
 * `hms-sys up --nodes N --simulate-reboots` as a real process in its OWN process group (so a test
 * can `kill -9` the whole group, as an operator's `kill -9 -PGID` would), on a free loopback port,
 * a temp data dir and a unique cgroup parent. Agents and pods run in process groups of their own
 * (the local driver detaches them): a killed stack leaves them behind exactly like a crash does,
 * and the next start on the same data dir must clean them up.
 */
export interface UpStack {
  readonly dataDir: string;
  readonly port: number;
  readonly base: string;
  readonly cgroupParent: string;
  /** Output of every start so far (JSON log lines), for failure messages. */
  output(): string;
  /** Starts (again) on the same data dir and port; resolves once `nodes` agents are connected. */
  start(): Promise<void>;
  /** SIGKILL to the whole process group of `hms-sys up` (the aggregator dies mid-whatever). */
  killGroup(): Promise<void>;
  /** Clean stop (SIGTERM): pods, agents and cgroups are removed. */
  stop(): Promise<void>;
  /** Stops whatever runs (restarting on the data dir first if the last start was killed, so it cleans up), removes the data dir. */
  cleanup(): Promise<void>;
  operatorToken(): string;
  /** `hms-sys ...args --server … --data-dir …`. */
  cli(args: readonly string[], timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Every stored event (paged). */
  events(): Promise<FeedEvent[]>;
  /** Writes a manifest file into the data dir and applies it. */
  apply(name: string, yaml: string): Promise<void>;
  nodeDir(node: string): string;
  /** Pid of a node's agent (from its pid file). */
  agentPid(node: string): number | undefined;
}

export type FeedEvent = { seq: number; time: string; type: string; [k: string]: unknown };

export interface UpStackOptions {
  readonly nodes?: number;
  readonly extraArgs?: readonly string[];
  /** Deadline for the stack to come up with every agent connected (ms). */
  readonly readyTimeoutMs?: number;
}

export async function createUpStack(opts: UpStackOptions = {}): Promise<UpStack> {
  const nodes = opts.nodes ?? 3;
  const dataDir = mkdtempSync(join(tmpdir(), 'hms-e2e-patch-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const cgroupParent = `hms-sys-e2e-${randomBytes(4).toString('hex')}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let out = '';
  let killed = false;
  const client = ['--server', base, '--data-dir', dataDir];

  const api = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.operatorToken()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* text */
    }
    return { status: res.status, body: parsed as T };
  };

  const stack: UpStack = {
    dataDir, port, base, cgroupParent,
    output: () => out,
    async start() {
      killed = false;
      child = spawn(process.execPath, [
        CLI, 'up', '--nodes', String(nodes), '--simulate-reboots', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`,
        '--cgroup-parent', cgroupParent, '--node-cpu', '2000', ...(opts.extraArgs ?? []),
      ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HMS_SYS_LOG_FORMAT: 'json' } });
      const c = child;
      c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      exited = new Promise((r) => c.once('exit', () => r()));
      const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
      for (;;) {
        if (c.exitCode !== null) throw new Error(`hms-sys up exited with ${c.exitCode}:\n${out.slice(-3000)}`);
        try {
          const r = await api<{ name: string; connected: boolean }[]>('GET', '/v1/nodes');
          if (r.status === 200 && r.body.filter((n) => n.connected).length >= nodes) return;
        } catch {
          /* not up yet */
        }
        if (Date.now() > deadline) throw new Error(`hms-sys up did not get ${nodes} agents connected in time:\n${out.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async killGroup() {
      if (!child?.pid) return;
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      await exited;
    },
    async stop() {
      if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child?.pid && process.kill(-child.pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
    async cleanup() {
      try {
        if (killed || !child || child.exitCode !== null || child.signalCode !== null) {
          // Leftovers of a crash (agents, pods, cgroups) are removed by a start on the same data dir.
          await stack.start().catch(() => undefined);
        }
        await stack.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    operatorToken() {
      const line = readFileSync(join(dataDir, 'api-tokens'), 'utf8').split('\n').find((l) => l.startsWith('operator '));
      return (line ?? '').split(/\s+/)[1] ?? '';
    },
    cli: (args, timeoutMs = 30_000) => runCli([...args, ...client], {}, timeoutMs),
    api,
    async events() {
      const all: FeedEvent[] = [];
      let since = 0;
      for (;;) {
        const page = (await api<FeedEvent[]>('GET', `/v1/events?since=${since}&limit=1000`)).body;
        all.push(...page);
        if (page.length < 1000) return all;
        since = page[page.length - 1]!.seq;
      }
    },
    async apply(name, yaml) {
      const file = join(dataDir, `${name}.yaml`);
      writeFileSync(file, yaml);
      const r = await stack.cli(['apply', '-f', file]);
      if (r.code !== 0) throw new Error(`apply ${name} failed: ${r.stderr}`);
    },
    nodeDir: (node) => join(dataDir, 'nodes', node),
    agentPid(node) {
      const file = join(dataDir, 'nodes', node, 'agent.pid');
      if (!existsSync(file)) return undefined;
      try {
        return (JSON.parse(readFileSync(file, 'utf8')) as { pid?: number }).pid;
      } catch {
        return undefined;
      }
    },
  };
  return stack;
}

/** A Deployment of `replicas` idle shell loops (100m each), optionally ignoring SIGTERM for `graceSeconds`. */
export function idleDeployment(name: string, replicas: number, opts: { graceSeconds?: number; ignoreTerm?: boolean; labels?: Record<string, string>; command?: string } = {}): string {
  const labels = { app: name, ...(opts.labels ?? {}) };
  const lbl = Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ');
  const script = opts.command ?? (opts.ignoreTerm ? 'trap "" TERM; while true; do sleep 0.2; done' : 'while true; do sleep 1; done');
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    `metadata: { name: ${name} }`,
    'spec:',
    `  replicas: ${replicas}`,
    `  selector: { matchLabels: { app: ${name} } }`,
    '  template:',
    `    metadata: { labels: { ${lbl} } }`,
    '    spec:',
    `      terminationGracePeriodSeconds: ${opts.graceSeconds ?? 1}`,
    '      containers:',
    `        - name: ${name}`,
    '          image: example/idle:1',
    `          command: ["sh", "-c", ${JSON.stringify(script)}]`,
    '          resources:',
    '            requests: { cpu: 100m }',
    '',
  ].join('\n');
}

/** Polls fn until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface RunNode {
  name: string;
  state: string;
  bootIdBefore: string | null;
  bootId: string | null;
  rebooted: boolean;
  simulated: boolean;
  agentConnected: boolean | null;
  failure: { code: string; message: string; leftCordoned: boolean } | null;
  blockers: { code: string; message: string; budget?: string }[] | null;
  reason: string | null;
}
export interface RunJson {
  id: string;
  state: string;
  result: string | null;
  settled: boolean;
  reason: string | null;
  nodes: RunNode[];
}

/** Schedules a run through the CLI; returns its id (the last word of the output). */
export async function schedule(stack: UpStack, args: readonly string[]): Promise<string> {
  const r = await stack.cli(['patch', 'schedule', '--kind=kernel', '--strategy=rolling', ...args]);
  if (r.code !== 0) throw new Error(`patch schedule failed (${r.code}): ${r.stderr}${r.stdout}`);
  const id = r.stdout.trim().split(/\s+/).at(-1) as string;
  if (!/^p-\d{8}-\d{6}-[0-9a-f]{4}$/.test(id)) throw new Error(`unexpected last word of patch schedule: ${JSON.stringify(r.stdout)}`);
  return id;
}

export async function getRun(stack: UpStack, id: string): Promise<RunJson> {
  const r = await stack.api<RunJson>('GET', `/v1/patches/${id}`);
  if (r.status !== 200) throw new Error(`GET /v1/patches/${id}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Waits until the run has settled; returns it. */
export function settled(stack: UpStack, id: string, timeoutMs: number): Promise<RunJson> {
  return waitFor(async () => {
    const run = await getRun(stack, id);
    return run.settled ? run : undefined;
  }, `run ${id} to settle`, timeoutMs, 300);
}

/** Boot ids per node as the aggregator sees them now. */
export async function bootIds(stack: UpStack): Promise<Record<string, string>> {
  const nodes = (await stack.api<{ name: string; bootId: string }[]>('GET', '/v1/nodes')).body;
  return Object.fromEntries(nodes.map((n) => [n.name, n.bootId]));
}
