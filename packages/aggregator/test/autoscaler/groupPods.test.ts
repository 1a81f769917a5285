/**
 * Ported from kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator_test.go
 * TestGroupPods (CPU cases; the memory case does not apply). now = 0, CPU initialization period
 * 2 min, initial readiness delay 10 s (the upstream test constants).
 */
import { describe, expect, it } from 'vitest';
import { groupPods } from '../../src/autoscaler/groupPods.js';
import type { PodMetricInput } from '../../src/autoscaler/types.js';
import { GO_ZERO_MS, MINUTE, SECOND, mkPod } from './podFixtures.js';

const timing = { nowMs: 0, cpuInitializationPeriodMs: 2 * MINUTE, initialReadinessDelayMs: 10 * SECOND };
const group = (pods: PodMetricInput[]) => {
  const g = groupPods(pods, timing);
  return { ready: g.readyPodCount, unready: [...g.unready].sort(), missing: [...g.missing].sort(), ignored: [...g.ignored].sort() };
};
const none: string[] = [];

describe('groupPods (TestGroupPods)', () => {
  it('void', () => {
    expect(group([])).toEqual({ ready: 0, unready: none, missing: none, ignored: none });
  });

  it('unready a pod without ready condition - CPU', () => {
    const p = mkPod('lucretius', { phase: 'Succeeded', startTimeMs: 0, ready: null, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 0, unready: ['lucretius'], missing: none, ignored: none });
  });

  it('count in a ready pod with fresh metrics during initialization period - CPU (equal times are fresh)', () => {
    const p = mkPod('bentham', { phase: 'Succeeded', startTimeMs: -MINUTE, readyTransitionMs: -30 * SECOND, cpuUsageMilli: 1, metricTimestampMs: 0, metricWindowMs: 30 * SECOND });
    expect(group([p])).toEqual({ ready: 1, unready: none, missing: none, ignored: none });
  });

  it('unready a ready pod without fresh metrics during initialization period - CPU', () => {
    const p = mkPod('bentham', { phase: 'Succeeded', startTimeMs: -MINUTE, readyTransitionMs: -30 * SECOND, cpuUsageMilli: 1, metricTimestampMs: 0, metricWindowMs: 60 * SECOND });
    expect(group([p])).toEqual({ ready: 0, unready: ['bentham'], missing: none, ignored: none });
  });

  it('unready an unready pod during initialization period - CPU', () => {
    const p = mkPod('lucretius', { phase: 'Succeeded', startTimeMs: -10 * MINUTE, ready: false, readyTransitionMs: -9 * MINUTE - 54 * SECOND, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 0, unready: ['lucretius'], missing: none, ignored: none });
  });

  it('count in a ready pod without fresh metrics after initialization period - CPU', () => {
    const p = mkPod('bentham', { phase: 'Succeeded', startTimeMs: -3 * MINUTE, readyTransitionMs: -3 * MINUTE, cpuUsageMilli: 1, metricTimestampMs: -2 * MINUTE, metricWindowMs: MINUTE });
    expect(group([p])).toEqual({ ready: 1, unready: none, missing: none, ignored: none });
  });

  it('count in an unready pod that was ready after initialization period - CPU', () => {
    const p = mkPod('lucretius', { phase: 'Succeeded', startTimeMs: -10 * MINUTE, ready: false, readyTransitionMs: -9 * MINUTE, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 1, unready: none, missing: none, ignored: none });
  });

  it('unready pod that has never been ready after initialization period - CPU (equality counts as ready)', () => {
    const p = mkPod('lucretius', { phase: 'Succeeded', startTimeMs: -10 * MINUTE, ready: false, readyTransitionMs: -9 * MINUTE - 50 * SECOND, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 1, unready: none, missing: none, ignored: none });
  });

  it('a missing pod', () => {
    const p = mkPod('epicurus', { phase: 'Succeeded', startTimeMs: -3 * MINUTE, ready: null, cpuUsageMilli: null });
    expect(group([p])).toEqual({ ready: 0, unready: none, missing: ['epicurus'], ignored: none });
  });

  it('several pods', () => {
    const pods = [
      mkPod('lucretius', { phase: 'Succeeded', startTimeMs: 0, ready: null, cpuUsageMilli: 1 }),
      mkPod('niccolo', { phase: 'Succeeded', startTimeMs: -3 * MINUTE, readyTransitionMs: -3 * MINUTE, cpuUsageMilli: 1 }),
      mkPod('epicurus', { phase: 'Succeeded', startTimeMs: -3 * MINUTE, ready: null, cpuUsageMilli: null }),
    ];
    expect(group(pods)).toEqual({ ready: 1, unready: ['lucretius'], missing: ['epicurus'], ignored: none });
  });

  it('pending pods are unreadied (even without a metric)', () => {
    const p = mkPod('unscheduled', { phase: 'Pending', ready: null, startTimeMs: null, cpuUsageMilli: null });
    expect(group([p])).toEqual({ ready: 0, unready: ['unscheduled'], missing: none, ignored: none });
  });

  it('ignore pods with deletion timestamps', () => {
    const p = mkPod('deleted', { phase: 'Pending', deleted: true, ready: null, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 0, unready: none, missing: none, ignored: ['deleted'] });
  });

  it('ignore pods in a failed state', () => {
    const p = mkPod('failed', { phase: 'Failed', ready: null, cpuUsageMilli: 1 });
    expect(group([p])).toEqual({ ready: 0, unready: none, missing: none, ignored: ['failed'] });
  });
});

describe('groupPods: order of the checks (reference §3.3)', () => {
  it('an unready Running pod without a metric is missing, not unready', () => {
    expect(group([mkPod('p', { ready: false, cpuUsageMilli: null })])).toMatchObject({ missing: ['p'], unready: none });
  });

  it('a pod without start time is unready for CPU', () => {
    expect(group([mkPod('p', { startTimeMs: null })])).toMatchObject({ ready: 0, unready: ['p'] });
  });

  it('Ready unknown is treated like true: ready=true with a stale transition still counts past initialization', () => {
    expect(group([mkPod('p', { startTimeMs: GO_ZERO_MS, readyTransitionMs: GO_ZERO_MS })])).toMatchObject({ ready: 1 });
  });

  it('the initialization period boundary is strict: start + period == now is past it', () => {
    // At exactly now = start + period the pod is past initialization, so a stale sample no longer matters.
    const p = mkPod('p', { startTimeMs: -2 * MINUTE, readyTransitionMs: -2 * MINUTE, metricTimestampMs: -2 * MINUTE, metricWindowMs: MINUTE });
    expect(group([p])).toMatchObject({ ready: 1 });
    const q = mkPod('q', { startTimeMs: -2 * MINUTE + 1, readyTransitionMs: -2 * MINUTE, metricTimestampMs: -2 * MINUTE, metricWindowMs: MINUTE });
    expect(group([q])).toMatchObject({ ready: 0, unready: ['q'] });
  });
});
