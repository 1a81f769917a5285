/**
 * decideReplicas across reconciles: what the caller persists (recommendations, scale events), the
 * rescale reasons and messages, and purity. Expected values follow reference §2, §7 and §8.
 */
import { describe, expect, it } from 'vitest';
import { completeBehavior } from '../../src/autoscaler/defaults.js';
import { decideReplicas, type DecideReplicasInput } from '../../src/autoscaler/decideReplicas.js';
import type { AutoscalerSpec, PodMetricInput } from '../../src/autoscaler/types.js';
import { mkPod, SECOND } from './podFixtures.js';

const legacySpec: AutoscalerSpec = {
  minReplicas: 1,
  maxReplicas: 100,
  targetCPUUtilizationPercentage: 50,
  tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
  behavior: null,
  cpuInitializationPeriodSeconds: 300,
  initialReadinessDelaySeconds: 30,
  downscaleStabilizationWindowSeconds: 300,
  scaleUpLimitFactor: 2,
  scaleUpLimitMinimum: 4,
};
const behaviorSpec: AutoscalerSpec = { ...legacySpec, behavior: completeBehavior({}, 300) };
/** n pods at `usage` of 1000m each. */
const pods = (n: number, usage: number): PodMetricInput[] => Array.from({ length: n }, (_, i) => mkPod(`p${i}`, { cpuUsageMilli: usage }));
const decide = (over: Partial<DecideReplicasInput>) => decideReplicas({ spec: legacySpec, currentReplicas: 1, pods: [], nowMs: 0, history: null, ...over });

describe('decideReplicas', () => {
  it('records {current, now} on first sight, then the new recommendation', () => {
    const d = decide({ currentReplicas: 3, pods: pods(3, 1000), nowMs: 5000 });
    expect(d.recommendation).toBe(6);
    expect(d.desiredReplicas).toBe(6);
    expect(d.history.recommendations).toEqual([
      { replicas: 3, timestampMs: 5000 },
      { replicas: 6, timestampMs: 5000 },
    ]);
    expect(d.rescaleReason).toBe('cpu resource utilization (percentage of request) above target');
    expect(d.rawAverageMilli).toBe(1000);
  });

  it('stores scale events only with behavior', () => {
    const legacy = decide({ currentReplicas: 2, pods: pods(2, 1000), history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(legacy.rescale).toBe(true);
    expect(legacy.history.scaleUpEvents).toEqual([]);
    const withBehavior = decide({ spec: behaviorSpec, currentReplicas: 2, pods: pods(2, 1000), history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(withBehavior.desiredReplicas).toBe(4);
    expect(withBehavior.history.scaleUpEvents).toEqual([{ replicaChange: 2, timestampMs: 0, outdated: false }]);
    expect(withBehavior.history.scaleDownEvents).toEqual([]);
  });

  it('a stored event limits the next reconcile within its period, and no longer once the period has passed', () => {
    const first = decide({ spec: behaviorSpec, currentReplicas: 1, pods: pods(1, 10_000), history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(first.desiredReplicas).toBe(5); // max(1 + 4, ceil(1 * 2))
    const busy = pods(5, 10_000);
    // 14.999 s later the +4 still counts: the period started at 1 replica.
    const soon = decide({ spec: behaviorSpec, currentReplicas: 5, pods: busy, nowMs: 14_999, history: first.history });
    expect(soon).toMatchObject({ desiredReplicas: 5, rescale: false, limitReason: 'ScaleUpLimit' });
    // 15 s later it does not (strictly newer than now - 15 s): the period starts at 5.
    const later = decide({ spec: behaviorSpec, currentReplicas: 5, pods: busy, nowMs: 15 * SECOND, history: first.history });
    expect(later).toMatchObject({ desiredReplicas: 10, rescale: true, limitReason: 'ScaleUpLimit' });
    expect(later.history.scaleUpEvents.map((e) => e.replicaChange)).toEqual([4, 5]);
  });

  it('records a scale event in the current-above-max branch too (behavior set)', () => {
    const d = decide({ spec: { ...behaviorSpec, maxReplicas: 4 }, currentReplicas: 7, history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(d).toMatchObject({ desiredReplicas: 4, rescaleReason: 'Current number of replicas above Spec.MaxReplicas', limitReason: null });
    expect(d.history.scaleDownEvents).toEqual([{ replicaChange: 3, timestampMs: 0, outdated: false }]);
  });

  it('explains a scale-down and a below-min correction', () => {
    expect(decide({ currentReplicas: 4, pods: pods(4, 100), history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } }).rescaleReason).toBe('All metrics below target');
    expect(decide({ spec: { ...legacySpec, minReplicas: 3 }, currentReplicas: 2 }).rescaleReason).toBe('Current number of replicas below Spec.MinReplicas');
  });

  it('reports a metric error with FailedGetResourceMetric and changes nothing', () => {
    const d = decide({ currentReplicas: 2, pods: [mkPod('a'), mkPod('b', { request: null })] });
    expect(d.error).toBe('missing request for cpu in container c of Pod b');
    expect(d.desiredReplicas).toBe(2);
    expect(d.conditions[1]).toEqual({
      type: 'ScalingActive',
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container c of Pod b',
    });
  });

  it("carries Kubernetes' condition messages", () => {
    const d = decide({ currentReplicas: 3, pods: pods(3, 1000), history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(d.conditions).toEqual([
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 6' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' },
      { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' },
    ]);
  });

  it('with a recommendation override reads no pods', () => {
    const d = decide({ currentReplicas: 3, recommendationOverride: 5, history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] } });
    expect(d).toMatchObject({ desiredReplicas: 5, recommendation: 5, cpuUtilizationPercent: null, limitReason: 'DesiredWithinRange' });
  });

  it('does not mutate its inputs', () => {
    const history = Object.freeze({
      recommendations: Object.freeze([Object.freeze({ replicas: 9, timestampMs: -1_000_000 })]),
      scaleUpEvents: Object.freeze([]),
      scaleDownEvents: Object.freeze([Object.freeze({ replicaChange: 1, timestampMs: -1_000_000, outdated: false })]),
    });
    const input = Object.freeze({ spec: behaviorSpec, currentReplicas: 4, pods: Object.freeze(pods(4, 100)), nowMs: 0, history });
    const d = decideReplicas(input);
    expect(d.desiredReplicas).toBe(1);
    expect(d.history.scaleDownEvents).toEqual([{ replicaChange: 3, timestampMs: 0, outdated: false }]);
    expect(history.recommendations).toEqual([{ replicas: 9, timestampMs: -1_000_000 }]);
  });
});
