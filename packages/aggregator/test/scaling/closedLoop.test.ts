/**
 * The control loop closed over a simulated cluster: a Deployment whose pods share a fixed total
 * CPU demand (so each pod's usage is demand / replicas, as with vote-api behind the shared queue).
 * The real aggregator (ingest, loop, API) scales it; it must settle at the replica count the HPA
 * formula predicts and stay there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DriverPod } from '../../src/drivers/types.js';
import { FakeDriver } from '../kit/fakeDriver.js';
import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Keeps the fake Deployment's pods equal to spec.replicas, as a ReplicaSet would. */
function reconcilePods(driver: FakeDriver, name: string, requestMilli: number): void {
  const want = driver.deploymentList.find((d) => d.name === name)?.replicas ?? 0;
  const have = driver.podList.filter((p) => p.owner?.name === name);
  if (have.length === want) return;
  const pods: DriverPod[] = have.slice(0, want);
  for (let i = have.length; i < want; i++) {
    pods.push({
      uid: `${name}-uid-${i}`, namespace: 'default', name: `${name}-${i}`, node: 'node-a', phase: 'Running', deleted: false,
      ready: true, readyTransitionMs: Date.now() - 600_000, startTimeMs: Date.now() - 900_000,
      containers: [{ name: 'app', id: 'c', cpuRequestMilli: requestMilli }], owner: { kind: 'Deployment', name },
    });
  }
  driver.podList = [...driver.podList.filter((p) => p.owner?.name !== name), ...pods];
  driver.changed('pods');
}

describe('closed loop', () => {
  it('settles a fixed total demand at ceil(demand / (request x target)) replicas and stays there', async () => {
    const demandCores = 1.2;
    const requestMilli = 100;
    const target = 60;
    const predicted = Math.ceil((demandCores * 1000) / ((requestMilli * target) / 100)); // 20
    const driver = new FakeDriver();
    driver.addDeployment('vote', 1, requestMilli);
    t = await startTestAggregator({ driver });
    const put = await fetch(`${t.agg.url}/v1/autoscalers/default/vote`, {
      method: 'PUT', headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ minReplicas: 1, maxReplicas: 50, targetCPUUtilizationPercentage: target }),
    });
    expect(put.status).toBe(201);
    const agent = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    agent.hello('node-a');

    const cumulative = new Map<string, number>();
    const history: number[] = [];
    // One simulated second per 250 ms of real time (bounded: 40 steps).
    for (let seq = 1; seq <= 40; seq++) {
      reconcilePods(driver, 'vote', requestMilli);
      const pods = driver.podList.filter((p) => p.owner?.name === 'vote');
      const perPodUsec = (demandCores * 1_000_000) / pods.length;
      agent.send({
        metrics: {
          seq, collectedAtMs: Date.now(), monotonicUsec: seq * 1_000_000, bootId: 'b',
          pods: pods.map((p) => {
            const u = (cumulative.get(p.uid) ?? 0) + perPodUsec;
            cumulative.set(p.uid, u);
            return { uid: p.uid, containers: [{ id: 'c', cpuUsageUsec: Math.round(u) }] };
          }),
        },
      });
      await agent.until(() => agent.acks().includes(seq), `ack ${seq}`);
      await new Promise((r) => setTimeout(r, 250));
      history.push(driver.deploymentList.find((d) => d.name === 'vote')!.replicas);
    }
    // Up fast (legacy path: at most x2 or +4 per evaluation), then no change at all.
    expect(history.at(-1)).toBe(predicted);
    const firstAtPrediction = history.indexOf(predicted);
    expect(firstAtPrediction).toBeGreaterThan(0);
    expect(history.slice(firstAtPrediction).every((n) => n === predicted)).toBe(true);
    // Every rescale went up (no overshoot and back): 4, 8, 16, 20 under the legacy limits.
    const steps = driver.scaleCalls.map((c) => c.replicas);
    expect(steps.every((n, i) => i === 0 || n > (steps[i - 1] as number))).toBe(true);
    expect(steps.at(-1)).toBe(predicted);
    const status = (await (await fetch(`${t.agg.url}/v1/autoscalers/default/vote`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } })).json()) as { status: { currentCPUUtilizationPercentage: number } };
    expect(status.status.currentCPUUtilizationPercentage).toBe(target);
    agent.close();
  });
});
