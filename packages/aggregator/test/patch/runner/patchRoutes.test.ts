import { statSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '@hms-sys/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAggregator, type TestAggregator } from '../../kit/testAggregator.js';
import { FakeCluster } from './fakeWorld.js';

/** SPEC §3 /v1/patches on a real aggregator (HTTP, tokens, status codes, shapes). */
describe('/v1/patches', () => {
  let t: TestAggregator;
  const call = async (method: string, path: string, body?: unknown, token: string | null = t.tokens.operator): Promise<{ status: number; body: Record<string, unknown> & { message?: string; error?: string } }> => {
    const res = await fetch(`${t.agg.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    t = await startTestAggregator({ driver: new FakeCluster(['n1', 'n2', 'n3'], { name: 'web', replicas: 3 }), clock: systemClock });
  });
  afterAll(async () => {
    await t.close();
  });

  it('generates the command-signing key pair in the data dir (private key 0600)', () => {
    expect((statSync(join(t.dataDir, 'command-signing.key')).mode & 0o777).toString(8)).toBe('600');
    expect(statSync(join(t.dataDir, 'command-signing.pub')).isFile()).toBe(true);
  });

  it('plans without changing anything (viewer), and refuses bad input with 400 naming the problem', async () => {
    const plan = await call('POST', '/v1/patches/plan', { windows: ['now/1h'], concurrency: 1 }, t.tokens.viewer);
    expect(plan.status).toBe(200);
    expect(plan.body.order).toHaveLength(3);
    expect(plan.body).toMatchObject({ kind: 'kernel', totals: { nodes: 3, blocked: 0 } });
    const bad = await call('POST', '/v1/patches', { windows: ['tomorrow'], kind: 'kernel' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('HMS_INPUT_INVALID');
    expect(bad.body.message).toMatch(/invalid window start in "tomorrow"/);
    const sel = await call('POST', '/v1/patches', { windows: ['now/1h'], selector: 'pool=nowhere' });
    expect(sel.status).toBe(400);
    expect(sel.body.message).toMatch(/no node matches the selector "pool=nowhere"/);
    expect((await call('POST', '/v1/patches', '{nope')).status).toBe(400);
    expect((await call('POST', '/v1/patches', { windows: ['now/1h'] }, t.tokens.viewer)).status).toBe(403);
    expect((await call('GET', '/v1/patches', undefined, null)).status).toBe(401);
    expect((await call('GET', '/v1/patches/latest', undefined, t.tokens.viewer)).status).toBe(404);
  });

  it('creates (201), lists, shows, pauses, resumes and cancels a run; 409 where an action does not apply', async () => {
    const created = await call('POST', '/v1/patches', { windows: ['now/1h'], kind: 'kernel', strategy: 'rolling', concurrency: 1, failureBudget: 2, drainTimeout: '5m' });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(id).toMatch(/^p-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(created.body).toMatchObject({ state: 'running', kind: 'kernel', concurrency: 1, failureBudget: 2, drainTimeoutMs: 300_000 });
    expect((created.body.nodes as { name: string; state: string }[]).map((n) => n.name).sort()).toEqual(['n1', 'n2', 'n3']);
    expect((await call('POST', '/v1/patches', { windows: ['now/1h'] })).status).toBe(409);

    const list = await call('GET', '/v1/patches', undefined, t.tokens.viewer);
    expect((list.body as unknown as { id: string }[])[0]?.id).toBe(id);
    const one = await call('GET', `/v1/patches/${id}`, undefined, t.tokens.viewer);
    expect(one.body).toMatchObject({ id, state: 'running' });
    expect((await call('GET', '/v1/patches/latest', undefined, t.tokens.viewer)).body.id).toBe(id);

    expect((await call('POST', `/v1/patches/${id}/resume`)).status).toBe(409);
    expect((await call('POST', `/v1/patches/${id}/pause`, { reason: 'investigating' })).body).toMatchObject({ state: 'paused', reason: 'investigating' });
    expect((await call('POST', `/v1/patches/${id}/pause`)).status).toBe(409);
    expect((await call('POST', `/v1/patches/${id}/resume`)).body).toMatchObject({ state: 'running' });
    expect((await call('POST', `/v1/patches/${id}/cancel`)).body).toMatchObject({ state: 'cancelled' });
    expect((await call('POST', `/v1/patches/${id}/cancel`)).status).toBe(409);
    expect((await call('POST', `/v1/patches/${id}/reboot`)).status).toBe(404);
    expect((await call('POST', '/v1/patches/p-nope/pause')).status).toBe(404);

    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toMatch(/hms_sys_patch_node_state\{run="[^"]+",node="n\d",state="[a-z-]+"\} 1/);
    for (const r of ['done', 'partial', 'halted']) expect(metrics).toContain(`hms_sys_patch_runs_total{result="${r}"} 0`);
  });
});
