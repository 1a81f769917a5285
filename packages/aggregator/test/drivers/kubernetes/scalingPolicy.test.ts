/**
 * Scaling rules as ScalingPolicy resources: the aggregator API (and `hms-sys autoscale
 * deployment`) writes them, resources applied directly (GitOps) become rules, deletions on either
 * side remove them, and a field the installed CRD does not know is refused, not silently lost.
 */
import { Writable } from 'node:stream';
import { parseOptions } from '@hms-sys/common';
import { afterEach, describe, expect, it } from 'vitest';
import { autoscaleCommand } from '../../../../cli/src/commands/autoscale.js';
import { autoscalerFromPolicySpec, policySpecFromAutoscaler } from '../../../src/drivers/kubernetes/scalingPolicySpec.js';
import { POLICY_SPEC_FIELDS } from '../../kit/fakeKubeApi/fakeKubeApi.js';
import { deployment, scalingPolicy } from '../../kit/fakeKubeApi/kubeObjects.js';
import { apiGet, startTestAggregator, type TestAggregator } from '../../kit/testAggregator.js';
import { Cluster, waitFor } from './harness.js';

let c: Cluster | undefined;
let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  await c?.close();
  c = undefined;
});

type Rule = { namespace: string; name: string; autoscaler: Record<string, unknown>; effective: { targetCPUUtilizationPercentage: number; minReplicas: number; maxReplicas: number } };

async function start(): Promise<{ c: Cluster; t: TestAggregator }> {
  c = await Cluster.start();
  c.api.put('deployments', deployment('default', 'web', 2));
  const driver = c.driver();
  t = await startTestAggregator({ driver });
  await waitFor(() => driver.synced(), 'driver synced');
  return { c, t };
}

async function api(tt: TestAggregator, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${tt.agg.url}${path}`, {
    method, headers: { authorization: `Bearer ${tt.tokens.operator}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

const rules = async (tt: TestAggregator): Promise<Rule[]> => (await apiGet<Rule[]>(tt, '/v1/autoscalers')).body;

describe('ScalingPolicy as the source of truth for rules', () => {
  it('`hms-sys autoscale deployment` creates a ScalingPolicy; PUT again replaces it; DELETE deletes it', async () => {
    const { c, t } = await start();
    const cmd = autoscaleCommand.subcommands?.find((s) => s.name === 'deployment');
    let out = '';
    const stdout = new Writable({ write(chunk: Buffer, _e, cb) { out += chunk.toString(); cb(); } });
    const argv = ['web', '--cpu-percent=60', '--min=2', '--max=10', '--server', t.agg.url, '--token', t.tokens.operator];
    const code = await cmd!.run!(parseOptions(cmd!.options ?? [], argv, {}), { stdout, stderr: stdout, env: {}, cwd: t.dataDir, signal: new AbortController().signal });
    expect(code).toBe(0);
    expect(out).toContain('autoscaled');

    const cr = c.api.get('scalingpolicies', 'default', 'web');
    expect(cr?.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(cr?.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'hms-sys' });
    expect(c.api.requestsTo('POST', /scalingpolicies$/)[0]?.query.fieldValidation).toBe('Strict');
    expect((await rules(t)).map((r) => [r.name, r.effective.targetCPUUtilizationPercentage])).toEqual([['web', 60]]);

    const put = await api(t, 'PUT', '/v1/autoscalers/default/web', { minReplicas: 1, maxReplicas: 20, targetCPUUtilizationPercentage: 70, tolerance: 0.05, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    expect(put.status).toBe(200);
    const replaced = c.api.get('scalingpolicies', 'default', 'web');
    expect(replaced?.metadata.generation).toBe(2);
    expect(replaced?.spec).toMatchObject({ maxReplicas: 20, tolerance: { scaleUp: 0.05, scaleDown: 0.05 }, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    // The echo of our own write through the watch changes nothing.
    await new Promise((r) => setTimeout(r, 200));
    expect((await rules(t))[0]?.autoscaler).toEqual({ minReplicas: 1, maxReplicas: 20, targetCPUUtilizationPercentage: 70, tolerance: 0.05, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });

    expect((await api(t, 'DELETE', '/v1/autoscalers/default/web')).status).toBe(200);
    expect(c.api.get('scalingpolicies', 'default', 'web')).toBeUndefined();
    expect(await rules(t)).toEqual([]);
    expect((await api(t, 'DELETE', '/v1/autoscalers/default/web')).status).toBe(404);
  });

  it('a ScalingPolicy applied directly (GitOps) becomes a rule, follows edits, and disappears when deleted', async () => {
    const { c, t } = await start();
    c.api.put('scalingpolicies', scalingPolicy('default', 'web-policy', {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 8,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 45 } } }],
    }));
    await waitFor(async () => (await rules(t)).length === 1, 'rule from the applied ScalingPolicy');
    const [rule] = await rules(t);
    expect(rule).toMatchObject({ namespace: 'default', name: 'web', effective: { targetCPUUtilizationPercentage: 45, minReplicas: 1, maxReplicas: 8 } });
    expect(t.agg.autoscaler.size).toBe(1);

    c.api.modify('scalingpolicies', 'default', 'web-policy', (o) => { o.spec.maxReplicas = 12; });
    await waitFor(async () => (await rules(t))[0]?.effective.maxReplicas === 12, 'edit followed');

    // PUT through the API updates that same resource (found by its target), not a second one.
    expect((await api(t, 'PUT', '/v1/autoscalers/default/web', { maxReplicas: 9, targetCPUUtilizationPercentage: 45 })).status).toBe(200);
    expect(c.api.get('scalingpolicies', 'default', 'web')).toBeUndefined();
    expect(c.api.get('scalingpolicies', 'default', 'web-policy')?.spec.maxReplicas).toBe(9);

    c.api.remove('scalingpolicies', 'default', 'web-policy');
    await waitFor(async () => (await rules(t)).length === 0, 'rule removed with its resource');
    expect(t.agg.autoscaler.size).toBe(0);
  });

  it('refuses, instead of silently dropping, a field the installed CRD does not define', async () => {
    const { c, t } = await start();
    c.api.policySpecFields = POLICY_SPEC_FIELDS.filter((f) => f !== 'tolerance');
    const res = await api(t, 'PUT', '/v1/autoscalers/default/web', { maxReplicas: 5, targetCPUUtilizationPercentage: 50, tolerance: 0.05 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'HMS_INPUT_INVALID' });
    expect(res.body.message).toContain('unknown field "spec.tolerance"');
    expect(c.api.get('scalingpolicies', 'default', 'web')).toBeUndefined();
    expect(await rules(t)).toEqual([]);
  });

  it('ignores a ScalingPolicy it cannot honour (another metric) rather than guessing', async () => {
    const { c, t } = await start();
    c.api.put('scalingpolicies', scalingPolicy('default', 'mem', {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } }],
    }));
    c.api.put('scalingpolicies', scalingPolicy('default', 'ok', { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 3 }));
    await waitFor(async () => (await rules(t)).length === 1, 'the valid one');
    expect((await rules(t))[0]?.name).toBe('api');
  });
});

describe('ScalingPolicy status', () => {
  const base = {
    currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40, lastScaleTimeMs: null,
    conditions: [{ type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }],
  };

  it('is written only when it changes, utilization-only changes at most once per interval, never by a standby', async () => {
    c = await Cluster.start();
    c.api.put('scalingpolicies', scalingPolicy('default', 'web', { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5 }));
    const d = await c.syncedDriver();
    const writes = () => c!.api.requestsTo('PATCH', /scalingpolicies\/web\/status$/);
    d.policies.writeStatus('default', 'web', base);
    await waitFor(() => c!.api.get('scalingpolicies', 'default', 'web')?.status?.currentCPUUtilizationPercentage === 40, 'first status');
    d.policies.writeStatus('default', 'web', base); // unchanged
    for (const u of [41, 42, 43]) d.policies.writeStatus('default', 'web', { ...base, currentCPUUtilizationPercentage: u }); // coalesced
    await new Promise((r) => setTimeout(r, 100));
    expect(writes()).toHaveLength(1);
    await waitFor(() => writes().length === 2, 'the coalesced write after the interval', 2000);
    expect(writes()[1]?.body.status.currentCPUUtilizationPercentage).toBe(43);
    const firstTransition = writes()[0]?.body.status.conditions[0].lastTransitionTime;

    d.policies.writeStatus('default', 'web', { ...base, currentCPUUtilizationPercentage: 43, desiredReplicas: 3 }); // a major change: at once
    await waitFor(() => writes().length === 3, 'immediate write');
    expect(writes()[2]?.body.status.conditions[0].lastTransitionTime).toBe(firstTransition); // same condition status: time kept

    const standby = c.driver({ leaderElection: { namespace: 'default', name: 'lease', identity: 'other', leaseDurationMs: 60_000, renewDeadlineMs: 30_000, retryPeriodMs: 10_000, releaseOnStop: false } });
    c.api.put('leases', { metadata: { name: 'lease', namespace: 'default' }, spec: { holderIdentity: 'someone-else', leaseDurationSeconds: 60 } });
    await standby.start();
    await waitFor(() => standby.synced(), 'standby synced');
    standby.policies.writeStatus('default', 'web', { ...base, desiredReplicas: 5 });
    await new Promise((r) => setTimeout(r, 100));
    expect(writes()).toHaveLength(3);
  });
});

describe('ScalingPolicy spec mapping', () => {
  it('round-trips a SPEC §5 autoscaler through the HPA v2 shape', () => {
    const autoscaler = {
      minReplicas: 2, maxReplicas: 9, targetCPUUtilizationPercentage: 55, tolerance: { scaleUp: 0.02, scaleDown: 0.2 },
      behavior: { scaleUp: { policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] } },
      cpuInitializationPeriodSeconds: 60, initialReadinessDelaySeconds: 5, downscaleStabilizationWindowSeconds: 120, scaleUpLimitFactor: 3, scaleUpLimitMinimum: 6,
    };
    const spec = policySpecFromAutoscaler('web', autoscaler);
    expect(autoscalerFromPolicySpec(spec)).toEqual({ ok: true, target: 'web', autoscaler });
    expect(autoscalerFromPolicySpec({ ...spec, scaleTargetRef: { kind: 'StatefulSet', name: 'db' } })).toMatchObject({ ok: false, error: expect.stringContaining('Deployment') });
    expect(autoscalerFromPolicySpec({ ...spec, metrics: [spec.metrics, spec.metrics].flat() })).toMatchObject({ ok: false });
  });
});
