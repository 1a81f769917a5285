/**
 * Stored recommendations and limit functions, ported from kubernetes/kubernetes
 * pkg/controller/podautoscaler/horizontal_test.go: TestNormalizeDesiredReplicas (log length),
 * TestNormalizeDesiredReplicasWithBehavior (stored recommendations), and the two cases of
 * TestConvertDesiredReplicasWithRules / TestScalingWithRules whose current count lies above max
 * (a reconcile never normalizes those, so they are checked on the functions). now = 0.
 */
import { describe, expect, it } from 'vitest';
import { completeBehavior } from '../../src/autoscaler/defaults.js';
import { clampLegacy, stabilizeLegacy } from '../../src/autoscaler/normalizeLegacy.js';
import { limitWithBehavior, stabilizeWithBehavior } from '../../src/autoscaler/normalizeWithBehavior.js';
import type { TimestampedRecommendation } from '../../src/autoscaler/types.js';

const recs = (...list: [number, number][]): TimestampedRecommendation[] => list.map(([replicas, ageSeconds]) => ({ replicas, timestampMs: -ageSeconds * 1000 }));
const MIN = 60;

describe('stabilizeLegacy (TestNormalizeDesiredReplicas)', () => {
  const cases: [string, TimestampedRecommendation[], number, number, number][] = [
    ['empty log', [], 5, 5, 1],
    ['stabilize', recs([4, 2 * MIN], [5, MIN]), 3, 5, 3],
    ['no stabilize', recs([1, 2 * MIN], [2, MIN]), 3, 3, 3],
    ['no stabilize - old recommendations', recs([10, 10 * MIN], [9, 9 * MIN]), 3, 3, 2],
    ['stabilize - old recommendations', recs([10, 10 * MIN], [4, MIN], [5, 2 * MIN], [9, 9 * MIN]), 3, 5, 4],
  ];
  it.each(cases)('%s', (_name, history, proposal, stabilized, logLength) => {
    const r = stabilizeLegacy(history, proposal, 0, 300);
    expect(r.stabilized).toBe(stabilized);
    expect(r.recommendations).toHaveLength(logLength);
    expect(r.recommendations).toContainEqual({ replicas: proposal, timestampMs: 0 });
  });

  it('overwrites the last entry older than the window', () => {
    expect(stabilizeLegacy(recs([10, 10 * MIN], [9, 9 * MIN]), 3, 0, 300).recommendations.map((r) => r.replicas)).toEqual([10, 3]);
  });
});

describe('stabilizeWithBehavior (TestNormalizeDesiredReplicasWithBehavior)', () => {
  const cases: [string, TimestampedRecommendation[], number, number, number, number, number, number[] | null][] = [
    // name, recommendations, current, proposal, up window, down window, stabilized, stored replicas
    ['empty recommendations for scaling down', [], 100, 5, 0, 0, 5, [5]],
    ['simple scale down stabilization', recs([4, 2 * MIN], [5, MIN]), 100, 3, 0, 3 * MIN, 5, [4, 5, 3]],
    ['simple scale up stabilization', recs([4, 2 * MIN], [5, MIN]), 1, 7, 5 * MIN, 0, 4, [4, 5, 7]],
    ['no scale down stabilization', recs([1, 2 * MIN], [2, MIN]), 100, 3, 5 * MIN, 0, 3, [1, 2, 3]],
    ['no scale up stabilization', recs([4, 2 * MIN], [5, MIN]), 1, 3, 0, 5 * MIN, 3, [4, 5, 3]],
    ['no scale down stabilization, reuse recommendation element', recs([10, 10 * MIN], [9, 9 * MIN]), 100, 3, 0, 0, 3, [10, 3]],
    ['no scale up stabilization, reuse recommendation element', recs([10, 10 * MIN], [9, 9 * MIN]), 1, 100, 0, 0, 100, [10, 100]],
    ['scale down stabilization, reuse one of obsolete recommendation element', recs([10, 10 * MIN], [4, MIN], [5, 2 * MIN], [9, 9 * MIN]), 100, 3, 0, 3 * MIN, 5, [10, 4, 5, 3]],
    ['scale up stabilization, reuse one of obsolete recommendation element', recs([10, 100 * MIN], [6, MIN], [5, 2 * MIN], [9, 3 * MIN]), 1, 100, 300, 0, 5, [100, 6, 5, 9]],
    ['scale up and down stabilization, do not scale up when prenormalized rec goes down', recs([2, 100 * MIN], [3, 3 * MIN]), 2, 1, 300, 300, 2, null],
    ['scale up and down stabilization, do not scale down when prenormalized rec goes up', recs([2, 100 * MIN], [1, 3 * MIN]), 2, 3, 300, 300, 2, null],
  ];
  it.each(cases)('%s', (_name, history, current, proposal, up, down, stabilized, stored) => {
    const behavior = completeBehavior({ scaleUp: { stabilizationWindowSeconds: up }, scaleDown: { stabilizationWindowSeconds: down } }, 300);
    const r = stabilizeWithBehavior(history, proposal, current, 0, behavior);
    expect(r.stabilized).toBe(stabilized);
    if (stored) expect(r.recommendations.map((x) => x.replicas)).toEqual(stored);
  });
});

describe('limits when current is above max (functions only)', () => {
  it('TestConvertDesiredReplicasWithRules/maxReplicas is the limit because maxReplicas < scaleUpLimit', () => {
    expect(clampLegacy(20, 1000, 1, 10, 8, 4)).toEqual({ replicas: 10, reason: 'TooManyReplicas' });
  });
  it('TestScalingWithRules/maxReplicas is the limit because maxReplicas < scaleUpLimit', () => {
    const behavior = completeBehavior({}, 300);
    const history = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
    expect(limitWithBehavior({ currentReplicas: 20, desired: 1000, minReplicas: 1, maxReplicas: 10, nowMs: 0, behavior, history })).toEqual({ replicas: 10, reason: 'TooManyReplicas' });
  });
});
