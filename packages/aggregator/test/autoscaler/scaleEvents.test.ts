/**
 * Ported from kubernetes/kubernetes pkg/controller/podautoscaler/horizontal_test.go
 * TestStoreScaleEvents: storage with outdated marking, in both directions. now = 0.
 */
import { describe, expect, it } from 'vitest';
import { completeBehavior } from '../../src/autoscaler/defaults.js';
import { replicaChangeInPeriod, storeScaleEvent } from '../../src/autoscaler/scaleEvents.js';
import type { AutoscalerHistory, ScaleEvent, ScalingPolicy } from '../../src/autoscaler/types.js';
import { SECOND } from './podFixtures.js';

const ev = (replicaChange: number, ageSeconds: number, outdated = false): ScaleEvent => ({ replicaChange, timestampMs: -ageSeconds * SECOND, outdated });
/** generateScalingRules(pods, podsPeriod, percent, percentPeriod, window). */
function rules(pods: number, podsPeriod: number, percent: number, percentPeriod: number) {
  const policies: ScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: 0, selectPolicy: 'Max' as const, policies };
}

const cases: { name: string; prev: ScaleEvent[]; rules: ReturnType<typeof rules> | null; want: [number, boolean][]; change60: number }[] = [
  { name: 'empty entries with default behavior', prev: [], rules: null, want: [], change60: 0 },
  { name: 'empty entries with two-policy-behavior', prev: [], rules: rules(10, 60, 100, 60), want: [[5, false]], change60: 0 },
  { name: 'one outdated entry to be kept untouched without behavior', prev: [ev(7, 61)], rules: null, want: [[7, false]], change60: 0 },
  { name: 'one outdated entry to be replaced with behavior', prev: [ev(7, 61)], rules: rules(10, 60, 100, 60), want: [[5, false]], change60: 0 },
  { name: 'one actual entry to be not touched with behavior', prev: [ev(7, 58)], rules: rules(10, 60, 100, 60), want: [[7, false], [5, false]], change60: 7 },
  { name: 'two entries, one of them to be replaced', prev: [ev(7, 61), ev(6, 59)], rules: rules(10, 60, 0, 0), want: [[5, false], [6, false]], change60: 6 },
  {
    name: 'replace one entry, use policies with different periods',
    prev: [ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)],
    rules: rules(10, 60, 100, 30),
    want: [[8, false], [6, false], [7, true], [5, false]],
    change60: 14,
  },
  { name: 'two entries, both actual', prev: [ev(7, 58), ev(6, 59)], rules: rules(10, 120, 100, 30), want: [[7, false], [6, false], [5, false]], change60: 13 },
];

describe('storeScaleEvent (TestStoreScaleEvents)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(replicaChangeInPeriod(c.prev, 60, 0)).toBe(c.change60);
      const empty: AutoscalerHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
      // Scale up from 10 to 15.
      const upBehavior = c.rules && completeBehavior({ scaleUp: c.rules }, 300);
      const up = storeScaleEvent({ ...empty, scaleUpEvents: c.prev }, upBehavior, 10, 15, 0);
      expect(up.scaleUpEvents.map((e) => [e.replicaChange, e.outdated])).toEqual(c.want);
      expect(up.scaleDownEvents).toEqual([]);
      // Scale down from 10 to 5.
      const downBehavior = c.rules && completeBehavior({ scaleDown: c.rules }, 300);
      const down = storeScaleEvent({ ...empty, scaleDownEvents: c.prev }, downBehavior, 10, 5, 0);
      expect(down.scaleDownEvents.map((e) => [e.replicaChange, e.outdated])).toEqual(c.want);
      expect(down.scaleUpEvents).toEqual([]);
    });
  }

  it('does not mutate the history it is given', () => {
    const prev = [ev(7, 61)];
    const history: AutoscalerHistory = { recommendations: [], scaleUpEvents: prev, scaleDownEvents: [] };
    storeScaleEvent(history, completeBehavior({ scaleUp: rules(10, 60, 0, 0) }, 300), 1, 2, 0);
    expect(prev).toEqual([ev(7, 61)]);
  });
});

describe('replicaChangeInPeriod', () => {
  it('counts only events strictly newer than now - period, outdated or not', () => {
    expect(replicaChangeInPeriod([ev(1, 59.999), ev(2, 60), ev(4, 10, true)], 60, 0)).toBe(5);
  });
});
