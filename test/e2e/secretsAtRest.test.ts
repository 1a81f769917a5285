/**
 * Issue 8.3, end to end: `hms-sys up --nodes 2` (aggregator, two real agents, the local driver)
 * is driven with every credential it has — operator writes (a rule, a Deployment whose env holds
 * a value, a delete, a dry-run patch run), viewer reads, agents streaming, near misses of each
 * token refused — then the raw bytes of every SQLite file in the data dir (aggregator and agent
 * databases, their -wal and -shm), live and after a clean stop, hold none of the tokens, and the
 * logs hold none either (the viewer token is printed once, on purpose, in the status-page line).
 */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUpStack, idleDeployment, type UpStack } from './kit/upStack.js';

let stack: UpStack;
let tokens: Record<string, string>;
// `hms-sys up` records its operator token in $XDG_CONFIG_HOME/hms-sys: keep it out of the real home.
const configHome = mkdtempSync(join(tmpdir(), 'hms-xdg-'));
const previousConfigHome = process.env.XDG_CONFIG_HOME;

function tokenFiles(dataDir: string): Record<string, string> {
  const api = readFileSync(join(dataDir, 'api-tokens'), 'utf8').split('\n');
  const find = (role: string): string => api.find((l) => l.startsWith(`${role} `))?.split(/\s+/)[1] ?? '';
  const agent = readFileSync(join(dataDir, 'agent-tokens'), 'utf8').split('\n').find((l) => l.trim() && !l.startsWith('#'))?.split(/\s+/)[0] ?? '';
  return { operator: find('operator'), viewer: find('viewer'), agent };
}

const nearMiss = (t: string): string => t.slice(0, -1) + (t.endsWith('0') ? '1' : '0');

/** Every SQLite file (and its WAL / shared memory) below dir; symlinks (virtual nodes link /proc and /sys) are not followed. */
function sqliteFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      let st;
      try { st = lstatSync(p); } catch { continue; }
      if (st.isSymbolicLink()) continue;
      if (st.isDirectory()) walk(p);
      else if (/\.(db|sqlite)(-wal|-shm|-journal)?$/.test(e)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function leaks(files: string[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const [name, s] of Object.entries(secrets)) {
      if (bytes.includes(Buffer.from(s, 'utf8')) || bytes.includes(Buffer.from(s, 'utf16le'))) found.push(`${name} in ${f}`);
    }
  }
  return found;
}

beforeAll(async () => {
  process.env.XDG_CONFIG_HOME = configHome;
  stack = await createUpStack({ nodes: 2 });
  await stack.start();
  tokens = tokenFiles(stack.dataDir);
  expect(Object.values(tokens).every((t) => t.length >= 32)).toBe(true);

  // Operator writes through the CLI and the API.
  await stack.apply('web', idleDeployment('web', 2).replace('          resources:', '          env: [{ name: DB_PASSWORD, value: not-a-token-but-stored-as-given }]\n          resources:'));
  expect((await stack.api('PUT', '/v1/autoscalers/default/web', { minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 })).status).toBe(201);
  const plan = await stack.cli(['patch', 'schedule', '--window=now/10m', '--kind=kernel', '--strategy=rolling', '--dry-run']);
  expect(plan.code, plan.stderr).toBe(0);
  expect((await stack.api('DELETE', '/v1/autoscalers/default/web')).status).toBe(200);
  // Reads, and refused attempts with near misses of every token.
  for (const t of Object.values(tokens)) {
    for (const candidate of [t, nearMiss(t)]) {
      await fetch(`${stack.base}/v1/nodes`, { headers: { authorization: `Bearer ${candidate}` } });
      await fetch(`${stack.base}/v1/autoscalers/default/x`, { method: 'PUT', headers: { authorization: `Bearer ${candidate}`, 'content-type': 'application/json' }, body: '{}' });
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${stack.port}/v1/agents/stream`, { headers: { authorization: `Bearer ${candidate}` } });
        const done = (): void => { ws.terminate(); resolve(); };
        ws.on('open', () => setTimeout(done, 50));
        ws.on('unexpected-response', done);
        ws.on('error', done);
      });
    }
  }
  await new Promise((r) => setTimeout(r, 1500)); // a few more batches and summaries
}, 120_000);

afterAll(async () => {
  await stack?.cleanup();
  if (previousConfigHome === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = previousConfigHome;
  rmSync(configHome, { recursive: true, force: true });
});

describe('secrets at rest and in logs, on the real stack', () => {
  it('no token (nor a near miss) in any SQLite file, live and after a clean stop', async () => {
    const secrets = Object.fromEntries(Object.entries(tokens).flatMap(([k, v]) => [[k, v], [`${k} near miss`, nearMiss(v)]]));
    const live = sqliteFiles(stack.dataDir);
    expect(live.some((f) => f.endsWith('aggregator.db-wal'))).toBe(true);
    expect(live.filter((f) => f.endsWith('.db')).length).toBeGreaterThanOrEqual(3); // aggregator + two agents
    const all = Buffer.concat(live.map((f) => readFileSync(f)));
    expect(all.includes('not-a-token-but-stored-as-given')).toBe(true); // the scan sees what is stored
    expect(all.includes('local-operator')).toBe(true); // the audit names the caller
    expect(leaks(live, secrets)).toEqual([]);

    await stack.stop();
    expect(leaks(sqliteFiles(stack.dataDir), secrets)).toEqual([]);
  });

  it('no operator or agent token in the logs; the viewer token only in the status-page line', () => {
    const out = stack.output();
    expect(out).toContain('agent connection refused');
    for (const name of ['operator', 'agent']) {
      expect(out.includes(tokens[name]!), `${name} token in the output`).toBe(false);
      expect(out.includes(nearMiss(tokens[name]!))).toBe(false);
    }
    const viewerLines = out.split('\n').filter((l) => l.includes(tokens.viewer!));
    expect(viewerLines.every((l) => l.includes('status page'))).toBe(true);
  });
});
