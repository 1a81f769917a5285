/**
 * Issue 8.3: secrets never in logs, never in SQLite in plain text. A real aggregator logs at
 * trace level into a buffer while every token (operator, viewer, agent, node-bound, and near
 * misses of each) is used on every path that handles one — API, agent upgrade, feed, an API
 * handler that fails with the request attached — then neither the log nor the raw bytes of the
 * database files (main, -wal) contain any of them.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@hms-sys/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator;
let logText = '';
const BOUND = 'n'.repeat(24) + '-bound-to-node-a';
const tokens = (): string[] => [...Object.values(t.tokens), BOUND];
/** What a confused client might send: a real token with one character changed. */
const nearMiss = (tok: string): string => tok.slice(0, -1) + (tok.endsWith('0') ? '1' : '0');

beforeAll(async () => {
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { logText += chunk.toString(); cb(); } });
  t = await startTestAggregator({ logger: createLogger({ format: 'json', level: 'trace', destination: sink }) });
  appendFileSync(join(t.dataDir, 'agent-tokens'), `${BOUND} node-a\n`);
  // A handler that fails with the request attached to its error (as HTTP client errors do).
  t.agg.router.add('GET', '/v1/test-failure', 'viewer', (req) => {
    throw Object.assign(new Error('upstream failed'), { req: { method: req.method, headers: req.raw.headers } });
  });

  const api = async (method: string, path: string, token: string, body?: string): Promise<number> =>
    (await fetch(`${t.agg.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, cookie: `session=${token}`, 'content-type': 'application/json' }, ...(body ? { body } : {}) })).status;
  for (const tok of tokens()) {
    for (const candidate of [tok, nearMiss(tok)]) {
      await api('GET', '/v1/nodes', candidate);
      await api('GET', '/v1/test-failure', candidate);
      await api('PUT', '/v1/autoscalers/default/web', candidate, JSON.stringify({ minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50, note: 'x' }));
      await api('PUT', '/v1/autoscalers/default/web', candidate, '{"broken": ');
      await api('POST', '/v1/patches', candidate, JSON.stringify({ window: 'now/1h', kind: 'kernel' }));
      await api('DELETE', '/v1/autoscalers/default/web', candidate);
      // Agent stream: accepted, refused, bound to another node.
      const agent = await RawAgent.connect(t.wsUrl, candidate).catch(() => undefined);
      if (agent) {
        agent.hello(candidate === BOUND ? 'node-b' : 'node-a');
        agent.send(batch(1, 1, 1_000_000));
        await agent.until(() => agent.acks().length > 0 || agent.closeCode !== undefined, 'ack or close');
        agent.close();
      }
      // Feed over WebSocket and SSE.
      await new Promise<void>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${t.agg.port}/v1/feed?since=0`, { headers: { authorization: `Bearer ${candidate}` } });
        const done = (): void => { ws.terminate(); resolve(); };
        ws.on('open', () => setTimeout(done, 50));
        ws.on('unexpected-response', done);
        ws.on('error', done);
      });
      const ctl = new AbortController();
      await fetch(`${t.agg.url}/v1/feed`, { headers: { authorization: `Bearer ${candidate}`, accept: 'text/event-stream' }, signal: ctl.signal }).catch(() => undefined);
      ctl.abort();
    }
  }
  await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => {
  await t?.close();
});

describe('secrets', () => {
  it('never appear in the log, at trace level, on any path', () => {
    expect(logText).toContain('agent connection refused'); // the paths above did log
    expect(logText).toContain('API handler failed');
    for (const tok of tokens()) {
      expect(logText).not.toContain(tok);
      expect(logText).not.toContain(nearMiss(tok));
    }
  });

  it('never appear in the SQLite files (main database and WAL), not even refused ones', () => {
    const files = readdirSync(t.dataDir).filter((f) => /\.db(-wal|-shm)?$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['aggregator.db', 'aggregator.db-wal']));
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(t.dataDir, f))));
    expect(bytes.includes('api.write')).toBe(true); // the writes above were recorded…
    expect(bytes.includes('local-operator')).toBe(true); // …with the caller's name
    for (const tok of tokens()) {
      for (const s of [tok, nearMiss(tok)]) {
        expect(bytes.includes(Buffer.from(s, 'utf8')), `${s.slice(0, 6)}… found in the database`).toBe(false);
        expect(bytes.includes(Buffer.from(s, 'utf16le'))).toBe(false);
      }
    }
  });
});
