/**
 * An autoscaling run end to end through the Kubernetes driver: a real aggregator on the fake API
 * server, a Deployment with two pods (requests 500m), a ScalingPolicy at 50 % applied as a
 * resource, and agent batches over the real agent WebSocket showing each pod burning 0.9 core.
 * The HPA formula: utilization 180 %, ceil(2 x 180/50) = 8, capped by the legacy scale-up limit
 * max(2 x 2, 4) = 4 in the first step. Expected: a merge patch of the scale subresource to 4
 * and the ScalingPolicy status written.
 */
import { afterEach, expect, it } from 'vitest';
import { deployment, node, pod, replicaSet, scalingPolicy } from '../../kit/fakeKubeApi/kubeObjects.js';
import { apiGet, RawAgent, startTestAggregator, type TestAggregator } from '../../kit/testAggregator.js';
import { Cluster, waitFor } from './harness.js';

let c: Cluster | undefined;
let t: TestAggregator | undefined;
let agent: RawAgent | undefined;
afterEach(async () => {
  agent?.close();
  await t?.close();
  await c?.close();
  agent = undefined;
  t = undefined;
  c = undefined;
});

const PODS = [
  { uid: '0b7e6f3a-0001-4c1e-9a55-000000000001', name: 'web-5d8f7-a' },
  { uid: '0b7e6f3a-0002-4c1e-9a55-000000000002', name: 'web-5d8f7-b' },
];

/** One batch: both pods' cumulative usage after `seq` seconds at 0.9 core each. */
function batch(seq: number) {
  const monoUsec = 1_000_000_000 + seq * 1_000_000;
  return {
    metrics: {
      seq, collectedAtMs: Date.now(), monotonicUsec: monoUsec, bootId: 'boot-node-a',
      nodeUsage: { cpuBusyUsec: seq * 1_800_000, cpuTotalUsec: seq * 4_000_000, cpuCores: 4, memoryTotalBytes: 16e9, memoryAvailableBytes: 8e9 },
      pods: PODS.map((p) => ({
        uid: p.uid, namespace: 'default', name: p.name, qosClass: 'Burstable', cgroupPath: `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${p.uid.replace(/-/g, '_')}.slice`,
        containers: [{ id: `${p.name}-c0ffee`, name: 'main', cpuUsageUsec: seq * 900_000 }],
      })),
    },
  };
}

it('scales a Deployment through the scale subresource and writes the ScalingPolicy status', async () => {
  c = await Cluster.start();
  c.api.put('nodes', node('node-a'));
  c.api.put('deployments', deployment('default', 'web', 2));
  c.api.put('replicasets', replicaSet('default', 'web-5d8f7', 'web'));
  for (const p of PODS) c.api.put('pods', pod('default', p.name, { uid: p.uid, node: 'node-a', cpu: '500m', labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: 'web-5d8f7' } }));
  c.api.put('scalingpolicies', scalingPolicy('default', 'web', {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  }));

  const driver = c.driver();
  t = await startTestAggregator({ driver });
  await waitFor(() => driver.synced() && t!.agg.autoscaler.size === 1, 'driver synced and the rule loaded from the ScalingPolicy');
  expect((await apiGet(t, '/readyz', null)).status).toBe(200);

  agent = await RawAgent.connect(t.wsUrl, t.tokens.agent);
  agent.hello('node-a', 'stream-1', 'boot-node-a');
  await agent.until(() => agent!.received.some((m) => m.welcome), 'welcome');
  let seq = 0;
  const scalePatches = () => c!.api.requestsTo('PATCH', /^\/apis\/apps\/v1\/namespaces\/default\/deployments\/web\/scale$/);
  await waitFor(async () => {
    agent!.send(batch(++seq));
    await new Promise((r) => setTimeout(r, 100));
    return scalePatches().length > 0;
  }, 'a scale patch', 15_000);

  const [first] = scalePatches();
  expect(first).toMatchObject({ contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } });
  expect(c.api.requests.some((r) => r.method === 'PUT' && r.path.includes('/deployments/'))).toBe(false); // never a whole-Deployment replace
  expect(c.api.requests.some((r) => r.path.includes('horizontalpodautoscalers'))).toBe(false);
  expect(c.api.get('deployments', 'default', 'web')?.spec.replicas).toBeGreaterThanOrEqual(4);

  await waitFor(() => c!.api.get('scalingpolicies', 'default', 'web')?.status?.desiredReplicas === 4, 'status written');
  const status = c.api.get('scalingpolicies', 'default', 'web')?.status;
  expect(status).toMatchObject({ observedGeneration: 1, currentReplicas: 2, desiredReplicas: 4, currentCPUUtilizationPercentage: 180 });
  expect(status.lastScaleTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(status.conditions.map((x: { type: string; status: string; reason: string }) => `${x.type}=${x.status}/${x.reason}`)).toEqual([
    'AbleToScale=True/SucceededRescale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=True/ScaleUpLimit',
  ]);
  const statusWrites = c.api.requestsTo('PATCH', /scalingpolicies\/web\/status$/);
  expect(statusWrites[0]?.contentType).toBe('application/merge-patch+json');

  const [rule] = (await apiGet<{ status: { desiredReplicas: number } }[]>(t, '/v1/autoscalers')).body;
  expect(rule?.status.desiredReplicas).toBeGreaterThanOrEqual(4);

  // `kubectl describe deployment web` shows the rescale as it shows the HPA's: an Event on the
  // Deployment (matched by uid), with the HPA controller's reason and wording.
  const uid = c.api.get('deployments', 'default', 'web')?.metadata.uid;
  const rescale = () => c!.api.list('events', 'default').find((e) => e.reason === 'SuccessfulRescale');
  await waitFor(() => rescale() !== undefined, 'a SuccessfulRescale event');
  const event = rescale();
  expect(event).toMatchObject({
    type: 'Normal',
    message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target',
    involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'web', uid },
    source: { component: 'hms-sys-aggregator' },
  });
  expect(event?.metadata.name).toMatch(/^web\./);
});
