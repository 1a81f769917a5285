/**
 * computeCpuReplicas details the SPEC output does not show: Kubernetes' error messages and the raw
 * average (expectedRawValue in kubernetes/kubernetes pkg/controller/podautoscaler/replica_calculator_test.go).
 */
import { describe, expect, it } from 'vitest';
import { truncDiv } from '../../src/autoscaler/intMath.js';
import { computeCpuReplicas, type CpuReplicasInput } from '../../src/autoscaler/replicaCalculator.js';
import type { PodMetricInput } from '../../src/autoscaler/types.js';
import { MINUTE, SECOND, mkPod } from './podFixtures.js';

function run(pods: PodMetricInput[], currentReplicas: number, target: number, over: Partial<CpuReplicasInput> = {}) {
  return computeCpuReplicas({
    pods,
    currentReplicas,
    targetUtilizationPercent: target,
    tolerance: { scaleUp: 0.1, scaleDown: 0.1 },
    nowMs: 0,
    cpuInitializationPeriodMs: 2 * MINUTE,
    initialReadinessDelayMs: 10 * SECOND,
    ...over,
  });
}
/** Upstream pods: two containers requesting `request` each, each using `level`. */
const two = (name: string, request: number | null, level: number | null, over: Partial<PodMetricInput> = {}) =>
  mkPod(name, { containers: [{ name: 'container1', cpuRequestMilli: request }, { name: 'container2', cpuRequestMilli: request }], cpuUsageMilli: level === null ? null : 2 * level, ...over });

describe('computeCpuReplicas', () => {
  it('TestReplicaCalcResourceScale/scale up: raw value is the average per pod of the first pass', () => {
    expect(run([two('p0', 1000, 300), two('p1', 1000, 500), two('p2', 1000, 700)], 3, 30)).toEqual({ ok: true, replicas: 5, utilizationPercent: 50, rawAverageMilli: 1000 });
  });

  it('TestReplicaCalcMissingMetrics: raw value over the pods with metrics only (495)', () => {
    const pods = [two('p0', 1000, 400), two('p1', 1000, 95), two('p2', 1000, null), two('p3', 1000, null)];
    expect(run(pods, 4, 100)).toEqual({ ok: true, replicas: 3, utilizationPercent: 24, rawAverageMilli: 495 });
  });

  it('TestReplicaCalcEmptyMetrics: no metric at all', () => {
    const pods = [two('p0', 1000, null), two('p1', 1000, null), two('p2', 1000, null), two('p3', null, null)];
    expect(run(pods, 4, 100)).toEqual({ ok: false, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
  });

  it('TestReplicaCalcEmptyCPURequest: names the container and the pod', () => {
    expect(run([two('test-pod-0', null, 200)], 1, 100)).toEqual({ ok: false, error: 'missing request for cpu in container container1 of Pod test-pod-0' });
  });

  it('a Failed pod without a request still fails the calculation, as in Kubernetes', () => {
    const r = run([two('ok', 1000, 500), two('gone', null, null, { phase: 'Failed' })], 1, 50);
    expect(r).toEqual({ ok: false, error: 'missing request for cpu in container container1 of Pod gone' });
  });

  it('only unready metrics: did not receive metrics for targeted pods', () => {
    expect(run([two('p0', 1000, 500, { ready: false }), two('p1', 1000, null)], 2, 50)).toEqual({ ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' });
  });

  it('requests summing to 0: no metrics returned matched known pods', () => {
    expect(run([mkPod('p0', { containers: [] })], 1, 50)).toEqual({ ok: false, error: 'no metrics returned matched known pods' });
  });

  it('a pod-level request replaces the containers (and their missing requests)', () => {
    const p = mkPod('p', { containers: [{ name: 'a', cpuRequestMilli: null }], podCpuRequestMilli: 1000, cpuUsageMilli: 1000 });
    expect(run([p], 1, 50)).toMatchObject({ ok: true, replicas: 2, utilizationPercent: 100 });
  });
});

describe('truncDiv', () => {
  it('truncates like Go int64 division', () => {
    expect(truncDiv(570 * 100, 2000)).toBe(28);
    expect(truncDiv(7, -2)).toBe(-3);
    expect(truncDiv(0, -5)).toBe(0);
    expect(Object.is(truncDiv(0, -5), -0)).toBe(false);
  });
  it('is exact up to 2^53', () => {
    expect(truncDiv(2 ** 53 - 1, 2)).toBe(2 ** 52 - 1);
    expect(truncDiv(2 ** 53 - 1, 2 ** 53 - 2)).toBe(1);
  });
  it('goes through BigInt beyond 2^53', () => {
    expect(truncDiv(2 ** 60, 3)).toBe(Number(2n ** 60n / 3n));
  });
});
