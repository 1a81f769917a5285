/**
 * Issue 8.3: the API's access rules, route by route — 401 without a token or with an agent token
 * (agent tokens are never API tokens), 403 for a viewer writing, 400 with `{error, message}` for
 * a malformed body — and the audit log: every write, done or refused, is an `api.write` event
 * naming the caller (never its token).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';
import { WorkloadFakeDriver } from '../kit/workloadFakeDriver.js';

const RULE = { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 };
const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: { name: web }',
  'spec:',
  '  replicas: 1',
  '  selector: { matchLabels: { app: web } }',
  '  template:',
  '    metadata: { labels: { app: web } }',
  '    spec:',
  '      containers:',
  '        - name: web',
  '          image: example/web:1',
  '          command: ["sleep", "3600"]',
  '          env: [{ name: DB_PASSWORD, value: hunter2 }]',
  '',
].join('\n');

/** Every write route, with a body that the operator may send. */
const WRITES: { method: string; path: string; body?: string; contentType?: string }[] = [
  { method: 'PUT', path: '/v1/autoscalers/default/web', body: JSON.stringify(RULE) },
  { method: 'DELETE', path: '/v1/autoscalers/default/web' },
  { method: 'POST', path: '/v1/apply', body: MANIFEST, contentType: 'application/yaml' },
  { method: 'DELETE', path: '/v1/deployments/default/web' },
  { method: 'POST', path: '/v1/patches', body: JSON.stringify({ window: 'now/1h', kind: 'kernel', strategy: 'rolling' }) },
  { method: 'POST', path: '/v1/patches/p-none/pause' },
];
const READS = ['/v1/nodes', '/v1/pods', '/v1/autoscalers', '/v1/events', '/v1/deployments', '/v1/patches'];

let t: TestAggregator;
beforeAll(async () => {
  t = await startTestAggregator({ driver: new WorkloadFakeDriver() });
});
afterAll(async () => {
  await t?.close();
});

async function call(method: string, path: string, token: string | null, body?: string, contentType = 'application/json'): Promise<{ status: number; body: { error?: string; message?: string } & Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${t.agg.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let parsed: unknown = { raw: text };
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: parsed as { error?: string } };
}

type Ev = { seq: number; type: string; caller?: string; role?: string; method?: string; path?: string; status?: number };
const events = async (): Promise<Ev[]> => (await call('GET', '/v1/events?limit=1000', t.tokens.viewer)).body as unknown as Ev[];

describe('API access', () => {
  it('401 without a token, with an unknown token and with an agent token, on every route', async () => {
    for (const token of [null, 'not-a-token-at-all-0000', t.tokens.agent]) {
      for (const path of READS) {
        const r = await call('GET', path, token);
        expect([path, r.status, r.body.error]).toEqual([path, 401, 'HMS_UNAUTHORIZED']);
      }
      for (const w of WRITES) {
        const r = await call(w.method, w.path, token, w.body, w.contentType);
        expect([w.method, w.path, r.status]).toEqual([w.method, w.path, 401]);
      }
    }
    // The feed too, over SSE and WebSocket.
    const sse = await fetch(`${t.agg.url}/v1/feed`, { headers: { authorization: `Bearer ${t.tokens.agent}`, accept: 'text/event-stream' } });
    expect(sse.status).toBe(401);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.agg.port}/v1/feed`, { headers: { authorization: `Bearer ${t.tokens.agent}` } });
      ws.on('unexpected-response', (_q, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
      ws.on('open', () => { resolve(101); ws.close(); });
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('viewers read and get 403 on every write; the refused write is audited with the viewer', async () => {
    for (const path of READS) expect([path, (await call('GET', path, t.tokens.viewer)).status]).toEqual([path, 200]);
    const before = (await events()).at(-1)?.seq ?? 0;
    for (const w of WRITES) {
      const r = await call(w.method, w.path, t.tokens.viewer, w.body, w.contentType);
      expect([w.method, w.path, r.status, r.body.error]).toEqual([w.method, w.path, 403, 'HMS_FORBIDDEN']);
    }
    const audited = (await events()).filter((e) => e.seq > before && e.type === 'api.write');
    expect(audited.map((e) => [e.caller, e.role, e.method, e.path, e.status])).toEqual(WRITES.map((w) => ['local-viewer', 'viewer', w.method, w.path, 403]));
  });

  it('malformed bodies are 400 with {error, message}, and the process stays up', async () => {
    const bad: [string, string, string, string][] = [
      ['PUT', '/v1/autoscalers/default/web', '{"minReplicas": 1,', 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', '', 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', '[1,2,3]', 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', '{"minReplicas": "one", "maxReplicas": 5}', 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', '{"minReplicas": 1e308, "maxReplicas": -1}', 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, 'application/json'],
      ['PUT', '/v1/autoscalers/default/web', JSON.stringify({ ...RULE, pad: 'x'.repeat(1_100_000) }), 'application/json'],
      ['PUT', '/v1/autoscalers/Not_A_Namespace/web', JSON.stringify(RULE), 'application/json'],
      ['POST', '/v1/apply', 'kind: Deployment\n  bad: indentation:\n- [', 'application/yaml'],
      ['POST', '/v1/apply', '{"apiVersion": "apps/v1", "kind": "Deployment"', 'application/json'],
      ['POST', '/v1/apply', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n', 'application/yaml'],
      ['POST', '/v1/apply', '', 'application/yaml'],
      ['POST', '/v1/apply', 'a: &a [*a]\n', 'application/yaml'],
      ['POST', '/v1/patches', '{"window": ', 'application/json'],
      ['POST', '/v1/patches', '{"window": "yesterday", "kind": "firmware"}', 'application/json'],
    ];
    for (const [method, path, body, type] of bad) {
      const r = await call(method, path, t.tokens.operator, body, type);
      expect([method, path, body.slice(0, 40), r.status, r.body.error]).toEqual([method, path, body.slice(0, 40), 400, 'HMS_INPUT_INVALID']);
      expect(typeof r.body.message).toBe('string');
      expect(String(r.body.message)).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect((await call('GET', '/healthz', null)).status).toBe(200);
  });

  it('every operator write is an api.write event with the caller, method, path and status — never a token', async () => {
    const before = (await events()).at(-1)?.seq ?? 0;
    const done: [string, string, number][] = [];
    for (const w of WRITES.slice(0, 4)) {
      const r = await call(w.method, w.path, t.tokens.operator, w.body, w.contentType);
      expect([w.method, w.path, r.status]).toEqual([w.method, w.path, w.method === 'PUT' ? 201 : 200]);
      done.push([w.method, w.path, r.status]);
    }
    // Writes the server refuses (unknown run, invalid request) are audited as well.
    for (const w of WRITES.slice(4)) {
      const r = await call(w.method, w.path, t.tokens.operator, w.body, w.contentType);
      expect(r.status).toBeGreaterThanOrEqual(400);
      done.push([w.method, w.path, r.status]);
    }
    const all = await events();
    const audited = all.filter((e) => e.seq > before && e.type === 'api.write');
    expect(audited.map((e) => [e.method, e.path, e.status])).toEqual(done);
    expect(new Set(audited.map((e) => `${e.caller}/${e.role}`))).toEqual(new Set(['local-operator/operator']));
    const text = JSON.stringify(all);
    for (const token of Object.values(t.tokens)) expect(text).not.toContain(token);
  });
});
