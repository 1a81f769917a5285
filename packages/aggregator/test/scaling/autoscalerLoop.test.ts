import { afterEach, describe, expect, it } from 'vitest';
import { FakeDriver } from '../kit/fakeDriver.js';
import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function api(t: TestAggregator, method: string, path: string, body?: unknown, token = t.tokens.operator): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.agg.url}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Sends batches where every listed pod uses `cores` (cumulative counters growing accordingly). */
async function feed(agent: RawAgent, uids: string[], cores: number, seqs: number[]): Promise<void> {
  for (const seq of seqs) {
    agent.send({
      metrics: {
        seq, collectedAtMs: Date.now(), monotonicUsec: seq * 1_000_000, bootId: 'boot-1',
        pods: uids.map((uid) => ({ uid, containers: [{ id: 'c', cpuUsageUsec: Math.round(seq * cores * 1_000_000) }] })),
      },
    });
  }
  await agent.until(() => agent.acks().includes(seqs[seqs.length - 1]!), `ack ${seqs.at(-1)}`);
}

describe('autoscaler loop', () => {
  it('scales a Deployment from fresh metrics with HPA semantics and records why', async () => {
    const driver = new FakeDriver();
    const pods = driver.addDeployment('web', 2, 500);
    t = await startTestAggregator({ driver });
    const put = await api(t, 'PUT', '/v1/autoscalers/default/web', { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(put.status).toBe(201);
    const agent = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    agent.hello('node-a');
    // 0.9 core per pod over 500m requests = 180 % against 50 % → ceil(2 × 3.6) = 8, legacy cap max(2×2, 4) = 4.
    await feed(agent, pods.map((p) => p.uid), 0.9, [1, 2, 3]);
    const deadline = Date.now() + 10_000;
    while (driver.scaleCalls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(driver.scaleCalls[0]).toEqual({ namespace: 'default', name: 'web', replicas: 4 });

    const got = await api(t, 'GET', '/v1/autoscalers/default/web?decisions=5', undefined, t.tokens.viewer);
    expect(got.body.status).toMatchObject({ currentReplicas: 2, desiredReplicas: 4, currentCPUUtilizationPercentage: 180 });
    expect(got.body.status.conditions.map((c: { reason: string }) => c.reason)).toEqual(['SucceededRescale', 'ValidMetricFound', 'ScaleUpLimit']);
    expect(got.body.decisions[0]).toMatchObject({ current: 2, desired: 4, recommendation: 8, utilization: 180, limitReason: 'ScaleUpLimit' });
    expect(got.body.decisions[0].reason).toMatch(/above target/);
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_autoscaler_cpu_utilization_ratio{namespace="default",deployment="web"} 1.8');
    expect(metrics).toContain('hms_sys_autoscaler_target_utilization_ratio{namespace="default",deployment="web"} 0.5');
    expect(metrics).toContain('hms_sys_autoscaler_scale_events_total{namespace="default",deployment="web",direction="up"} 1');
    const types = t.agg.events.since(0).map((e) => e.type);
    expect(types).toContain('scale.decision');
    expect(types).toContain('api.write');
    agent.close();
  });

  it('keeps the replica count when utilization is within tolerance', async () => {
    const driver = new FakeDriver();
    const pods = driver.addDeployment('calm', 3, 1000);
    t = await startTestAggregator({ driver });
    await api(t, 'PUT', '/v1/autoscalers/default/calm', { maxReplicas: 5, targetCPUUtilizationPercentage: 60 });
    const agent = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    agent.hello('node-a');
    await feed(agent, pods.map((p) => p.uid), 0.62, [1, 2, 3, 4]); // 62 % vs 60 %: within 10 %
    let got = await api(t, 'GET', '/v1/autoscalers/default/calm', undefined, t.tokens.viewer);
    for (let i = 0; i < 50 && got.body.status.currentCPUUtilizationPercentage === null; i++) {
      await new Promise((r) => setTimeout(r, 100));
      got = await api(t, 'GET', '/v1/autoscalers/default/calm', undefined, t.tokens.viewer);
    }
    expect(driver.scaleCalls).toEqual([]);
    expect(got.body.status).toMatchObject({ currentReplicas: 3, desiredReplicas: 3, currentCPUUtilizationPercentage: 62 });
    agent.close();
  });

  it('validates rules, answers 404 for unknown ones and forbids viewers to write', async () => {
    t = await startTestAggregator({ driver: new FakeDriver() });
    const bad = await api(t, 'PUT', '/v1/autoscalers/default/web', { maxReplica: 3, targetCPUUtilizationPercentage: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('HMS_INPUT_INVALID');
    expect(bad.body.message).toMatch(/maxReplica.*did you mean "maxReplicas"/);
    expect((await api(t, 'PUT', '/v1/autoscalers/default/web', { maxReplicas: 3 }, t.tokens.viewer)).status).toBe(403);
    expect((await api(t, 'GET', '/v1/autoscalers/default/nope', undefined, t.tokens.viewer)).status).toBe(404);
    expect((await api(t, 'DELETE', '/v1/autoscalers/default/nope')).status).toBe(404);
    const notJson = await fetch(`${t.agg.url}/v1/autoscalers/default/web`, { method: 'PUT', headers: { authorization: `Bearer ${t.tokens.operator}` }, body: '{oops' });
    expect(notJson.status).toBe(400);
  });

  it('keeps rules and their stabilization history across a restart', async () => {
    const driver = new FakeDriver();
    driver.addDeployment('keep', 2, 500);
    t = await startTestAggregator({ driver });
    await api(t, 'PUT', '/v1/autoscalers/default/keep', { maxReplicas: 9, targetCPUUtilizationPercentage: 70 });
    await new Promise((r) => setTimeout(r, 1200)); // one evaluation records the first-sight recommendation
    t = await t.restart();
    const list = await api(t, 'GET', '/v1/autoscalers', undefined, t.tokens.viewer);
    expect(list.body).toHaveLength(1);
    expect(list.body[0]).toMatchObject({ namespace: 'default', name: 'keep', autoscaler: { maxReplicas: 9, targetCPUUtilizationPercentage: 70 } });
    const state = t.agg.db.prepare("SELECT history FROM autoscaler_state WHERE name = 'keep'").pluck().get() as string;
    expect(JSON.parse(state).recommendations.length).toBeGreaterThan(0);
  });
});
