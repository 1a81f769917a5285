/**
 * simulateScenario as a contract (SPEC §5): output shape, defaults, and clear errors for invalid
 * scenarios.
 */
import { describe, expect, it } from 'vitest';
import { parseAutoscalerSpec } from '../../src/autoscaler/parseAutoscaler.js';
import { simulateScenario } from '../../src/autoscaler/simulate.js';

const valid = {
  autoscaler: { maxReplicas: 10 },
  currentReplicas: 2,
  pods: [
    { name: 'a', cpuRequestMilli: 1000, cpuUsageMilli: 1000 },
    { name: 'b', cpuRequestMilli: 1000, cpuUsageMilli: 1000 },
  ],
};
const errorOf = (input: unknown): string => {
  const out = simulateScenario(input);
  if (!('error' in out)) throw new Error(`expected an error, got ${JSON.stringify(out)}`);
  return out.error;
};

describe('simulateScenario output', () => {
  it('has exactly the SPEC §5 fields', () => {
    const out = simulateScenario(valid);
    expect(Object.keys(out).sort()).toEqual(['conditions', 'cpuUtilizationPercent', 'desiredReplicas', 'limitReason', 'recommendation']);
    for (const c of (out as unknown as { conditions: object[] }).conditions) expect(Object.keys(c).sort()).toEqual(['reason', 'status', 'type']);
  });

  it('applies Kubernetes defaults: target 80 %, min 1, legacy path, first sight', () => {
    // 100 % of an 80 % target: ratio 1.25, ceil(1.25 * 2) = 3; legacy cap max(2 * 2, 4) = 4.
    expect(simulateScenario(valid)).toEqual({
      desiredReplicas: 3,
      recommendation: 3,
      cpuUtilizationPercent: 100,
      limitReason: 'DesiredWithinRange',
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
        { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
      ],
    });
  });

  it('defaults omitted pod fields to a healthy pod that started long ago', () => {
    // Ready and past initialization: both samples count. 40 % of 80 %: ceil(0.5 * 2) = 1.
    const out = simulateScenario({ ...valid, pods: [{ cpuRequestMilli: 1000, cpuUsageMilli: 400 }, { cpuRequestMilli: 1000, cpuUsageMilli: 400 }] });
    expect(out).toMatchObject({ recommendation: 1, cpuUtilizationPercent: 40 });
  });

  it('a pod without request makes the metric fail (no request is the default)', () => {
    expect(simulateScenario({ ...valid, pods: [{ cpuUsageMilli: 400 }] })).toMatchObject({
      desiredReplicas: 2,
      conditions: [{ reason: 'SucceededGetScale' }, { type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }],
    });
  });

  it('rounds fractional millicores up, like Quantity.MilliValue()', () => {
    // 0.5m of 1m is 1m of 1m after rounding: 100 %, not 50 %.
    expect(simulateScenario({ autoscaler: { maxReplicas: 10, targetCPUUtilizationPercentage: 100 }, currentReplicas: 1, pods: [{ cpuRequestMilli: 0.5, cpuUsageMilli: 0.5 }] })).toMatchObject({ cpuUtilizationPercent: 100 });
  });

  it('containers give per-container requests; cpuRequestMilli beside them is the pod-level request', () => {
    const pod = { name: 'p', cpuUsageMilli: 1000, containers: [{ name: 'app', cpuRequestMilli: 400 }, { name: 'sidecar', cpuRequestMilli: 100 }] };
    expect(simulateScenario({ ...valid, currentReplicas: 1, pods: [pod] })).toMatchObject({ cpuUtilizationPercent: 200 });
    expect(simulateScenario({ ...valid, currentReplicas: 1, pods: [{ ...pod, cpuRequestMilli: 2000 }] })).toMatchObject({ cpuUtilizationPercent: 50 });
  });

  it('history null (first sight) and an empty history differ for a scale-down', () => {
    const idle = { ...valid, currentReplicas: 4, pods: [1, 2, 3, 4].map((i) => ({ name: `p${i}`, cpuRequestMilli: 1000, cpuUsageMilli: 100 })) };
    expect(simulateScenario({ ...idle, history: null })).toMatchObject({ desiredReplicas: 4, recommendation: 1 });
    expect(simulateScenario({ ...idle, history: { recommendations: [] } })).toMatchObject({ desiredReplicas: 1 });
  });

  it('behavior {} selects the behavior path with every default', () => {
    const up = { autoscaler: { maxReplicas: 100 }, currentReplicas: 1, recommendation: 50, history: {} };
    expect(simulateScenario(up)).toMatchObject({ desiredReplicas: 4 });
    expect(simulateScenario({ ...up, autoscaler: { maxReplicas: 100, behavior: {} } })).toMatchObject({ desiredReplicas: 5 });
  });

  it('scale events: ageSeconds < period counts, = period does not', () => {
    const s = (ageSeconds: number) => ({
      autoscaler: { maxReplicas: 100, behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } },
      currentReplicas: 10,
      recommendation: 50,
      history: { scaleEvents: [{ change: 2, ageSeconds }] },
    });
    expect(simulateScenario(s(59))).toMatchObject({ desiredReplicas: 10, limitReason: 'ScaleUpLimit' });
    expect(simulateScenario(s(60))).toMatchObject({ desiredReplicas: 12, limitReason: 'ScaleUpLimit' });
  });
});

describe('simulateScenario errors', () => {
  it('never throws, whatever the input', () => {
    for (const input of [null, undefined, 42, 'x', [], {}, { autoscaler: null }, { autoscaler: [], pods: 'x', history: 5 }]) {
      expect(() => simulateScenario(input)).not.toThrow();
      expect(simulateScenario(input)).toHaveProperty('error');
    }
  });

  it('names the bad field', () => {
    const pods = [{}, {}, { cpuRequestMilli: -1 }];
    expect(errorOf({ ...valid, pods })).toBe('pods[2].cpuRequestMilli must be a number >= 0 or null');
  });

  it('rejects typos and suggests the field', () => {
    expect(errorOf({ autoscaler: { maxReplica: 5 }, currentReplicas: 1 })).toBe(
      'unknown field autoscaler.maxReplica (did you mean "maxReplicas"?); autoscaler.maxReplicas is required (an integer >= 1)',
    );
    expect(errorOf({ ...valid, currentReplica: 1 })).toContain('unknown field currentReplica (did you mean "currentReplicas"?)');
    expect(errorOf({ ...valid, pods: [{ cpuUsage: 5 }] })).toContain('unknown field pods[0].cpuUsage (did you mean "cpuUsageMilli"?)');
  });

  it('reports every problem at once', () => {
    const e = errorOf({ autoscaler: { minReplicas: 5, maxReplicas: 3, tolerance: 'x' }, currentReplicas: -1 });
    expect(e.split('; ')).toEqual([
      'autoscaler.maxReplicas (3) must be >= autoscaler.minReplicas (5)',
      'autoscaler.tolerance must be a number >= 0 or an object {scaleUp, scaleDown}',
      'currentReplicas must be an integer >= 0',
    ]);
  });

  it.each([
    [{ autoscaler: { maxReplicas: 2, behavior: { scaleUp: { selectPolicy: 'Fastest' } } } }, 'autoscaler.behavior.scaleUp.selectPolicy must be one of "Max", "Min", "Disabled"'],
    [{ autoscaler: { maxReplicas: 2, behavior: { scaleDown: { policies: [] } } } }, 'autoscaler.behavior.scaleDown.policies must list at least one policy'],
    [{ autoscaler: { maxReplicas: 2, behavior: { scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 3600 }] } } } }, 'autoscaler.behavior.scaleDown.policies[0].periodSeconds must be an integer from 1 to 1800'],
    [{ autoscaler: { maxReplicas: 2, behavior: { scaleUp: { stabilizationWindowSeconds: -1 } } } }, 'autoscaler.behavior.scaleUp.stabilizationWindowSeconds must be an integer from 0 to 3600'],
    [{ autoscaler: { maxReplicas: 2, targetCPUUtilizationPercentage: 0 } }, 'autoscaler.targetCPUUtilizationPercentage must be an integer >= 1'],
    [{ autoscaler: { maxReplicas: 2 }, history: { scaleEvents: [{ change: 0, ageSeconds: 1 }] } }, 'history.scaleEvents[0].change must not be 0 (> 0 = replicas added, < 0 = removed)'],
    [{ autoscaler: { maxReplicas: 2 }, history: { recommendations: [{ replicas: 1, ageSeconds: -5 }] } }, 'history.recommendations[0].ageSeconds must be a number >= 0'],
    [{ autoscaler: { maxReplicas: 2 }, pods: [{ ready: 'yes' }] }, 'pods[0].ready must be true, false or null'],
    [{ autoscaler: { maxReplicas: 2 }, pods: [{ phase: 'Runing' }] }, 'pods[0].phase must be one of "Pending", "Running", "Succeeded", "Failed", "Unknown"'],
    [{ autoscaler: { maxReplicas: 2 }, pods: [{ name: 'x' }, { name: 'x' }] }, 'pods[1].name "x" is used by an earlier pod (names must be unique)'],
    [{ autoscaler: { maxReplicas: 2 }, recommendation: 1.5 }, 'recommendation must be an integer >= 0 or null'],
  ])('%j', (input, message) => {
    expect(errorOf({ currentReplicas: 1, ...input })).toBe(message);
  });

  it('requires autoscaler and currentReplicas', () => {
    expect(errorOf({})).toBe(
      'autoscaler is required (an object with at least maxReplicas); autoscaler.maxReplicas is required (an integer >= 1); currentReplicas is required (an integer >= 0)',
    );
  });
});

describe('parseAutoscalerSpec', () => {
  it('applies the Kubernetes defaults', () => {
    expect(parseAutoscalerSpec({ maxReplicas: 5 })).toEqual({
      ok: true,
      spec: {
        minReplicas: 1,
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 80,
        tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
        behavior: null,
        cpuInitializationPeriodSeconds: 300,
        initialReadinessDelaySeconds: 30,
        downscaleStabilizationWindowSeconds: 300,
        scaleUpLimitFactor: 2,
        scaleUpLimitMinimum: 4,
      },
    });
  });

  it('completes behavior field by field; the scale-down window comes from downscaleStabilizationWindowSeconds', () => {
    const r = parseAutoscalerSpec({ maxReplicas: 5, downscaleStabilizationWindowSeconds: 60, behavior: { scaleUp: { selectPolicy: 'Min' } } });
    expect(r.ok && r.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('reports problems with their paths', () => {
    expect(parseAutoscalerSpec({ maxReplicas: 0 })).toEqual({ ok: false, error: 'autoscaler.maxReplicas must be an integer >= 1' });
  });
});
