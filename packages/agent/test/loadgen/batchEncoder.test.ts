import { decodeAgentMessage, encodeAgentMessage, type IMetricsBatch } from '@hms-sys/protocol';
import { describe, expect, it } from 'vitest';
import { BatchEncoder, COUNTERS_PER_CONTAINER, type BatchValues, type TemplatePod } from '../../src/loadgen/batchEncoder.js';

/** The load generator's encoder must write exactly what the generated protobufjs encoder writes. */
const pods: TemplatePod[] = [
  { uid: '8d2f6c1a-0b3e-4d5f-9a7b-6c5d4e3f2a1b', namespace: '', name: '', qosClass: 'Burstable', cgroupPath: 'kubepods/burstable/pod8d2f6c1a', containers: [{ id: 'a'.repeat(64), name: '' }, { id: 'b'.repeat(64), name: 'sidecar' }] },
  { uid: 'ünïcødé-pod', namespace: 'ns-1', name: 'web-0', qosClass: '', cgroupPath: '', containers: [] },
  { uid: 'c0ffee', namespace: 'x', name: 'y', qosClass: 'Guaranteed', cgroupPath: 'p'.repeat(300), containers: [{ id: 'c', name: 'app' }] },
];

function values(seed: number): BatchValues {
  let x = seed;
  const next = (max: number): number => {
    x = (x * 1103515245 + 12345) % 2147483648;
    const pick = x % 5;
    return pick === 0 ? 0 : pick === 1 ? 127 : pick === 2 ? 128 : pick === 3 ? max : Math.floor((x / 2147483648) * max);
  };
  const big = Number.MAX_SAFE_INTEGER;
  return {
    seq: 1 + next(big - 1),
    collectedAtMs: next(big),
    monotonicUsec: next(big),
    node: { cpuBusyUsec: next(big), cpuTotalUsec: next(big), cpuCores: next(4096), memoryTotalBytes: next(big), memoryAvailableBytes: next(big) },
    podUsageUsec: pods.map(() => next(big)),
    containerCounters: Array.from({ length: 3 * COUNTERS_PER_CONTAINER }, () => next(big)),
    stats: { cgroupsScanned: next(0xffffffff), readErrors: next(100), durationUsec: next(0xffffffff), droppedBatches: next(big) },
  };
}

function asMessage(v: BatchValues): IMetricsBatch {
  let ci = 0;
  const c = (k: number): number => v.containerCounters[ci * COUNTERS_PER_CONTAINER + k] as number;
  return {
    seq: v.seq, collectedAtMs: v.collectedAtMs, nodeUsage: { ...v.node },
    pods: pods.map((p, i) => ({
      uid: p.uid, namespace: p.namespace, name: p.name, qosClass: p.qosClass,
      containers: p.containers.map((ct) => {
        const out = { id: ct.id, name: ct.name, cpuUsageUsec: c(0), cpuThrottledUsec: c(1), nrThrottled: c(2), nrPeriods: c(3), cpuUserUsec: c(4), cpuSystemUsec: c(5) };
        ci++;
        return out;
      }),
      cpuUsageUsec: v.podUsageUsec[i] as number, cgroupPath: p.cgroupPath, partial: false,
    })),
    monotonicUsec: v.monotonicUsec, bootId: 'boot-1', stats: { ...v.stats },
  };
}

describe('BatchEncoder', () => {
  it('writes the bytes of the generated encoder: zeros and empty strings left out, varint edges, values up to 2^53-1', () => {
    const enc = new BatchEncoder(pods, 'boot-1');
    for (let seed = 1; seed <= 200; seed++) {
      const v = values(seed);
      const ours = enc.encode(v);
      expect(Buffer.from(ours).equals(Buffer.from(encodeAgentMessage({ metrics: asMessage(v) }))), `seed ${seed}`).toBe(true);
    }
  });

  it('round-trips through the generated decoder', () => {
    const v = values(7);
    const decoded = decodeAgentMessage(new BatchEncoder(pods, 'boot-1').encode(v));
    expect(decoded.metrics?.seq).toBe(v.seq);
    expect(decoded.metrics?.pods?.[0]?.containers?.[1]?.name).toBe('sidecar');
    expect(decoded.metrics?.pods?.[1]?.uid).toBe('ünïcødé-pod');
  });
});
