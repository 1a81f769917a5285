import type { IMetricsBatch, IPodSample } from '@hms-sys/protocol';
import type { CgroupCollection } from '../collectors/cgroupSample.js';
import type { NodeUsage } from '../collectors/collectNodeUsage.js';

/** Everything one collection cycle produced. */
export interface Collection {
  readonly pods: CgroupCollection['pods'];
  readonly nodeUsage: NodeUsage | undefined;
  readonly cgroupsScanned: number;
  readonly readErrors: number;
  readonly durationUsec: number;
  /** Wall clock at the start of the cycle, ms. */
  readonly collectedAtMs: number;
  /** CLOCK_MONOTONIC at the start of the cycle, µs. */
  readonly monotonicUsec: number;
}

/** Maps one collection onto the wire batch (SPEC §4): cumulative counters only, never rates. */
export function buildBatch(seq: number, c: Collection, bootId: string, droppedBatches: number): IMetricsBatch {
  const pods: IPodSample[] = c.pods.map((p) => ({
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    qosClass: p.qosClass,
    cgroupPath: p.cgroupPath,
    cpuUsageUsec: p.cpuUsageUsec,
    partial: p.partial,
    containers: p.containers.map((ct) => ({
      id: ct.id,
      name: ct.name,
      cpuUsageUsec: ct.cpuUsageUsec,
      cpuThrottledUsec: ct.cpuThrottledUsec,
      nrThrottled: ct.nrThrottled,
      nrPeriods: ct.nrPeriods,
      cpuUserUsec: ct.cpuUserUsec,
      cpuSystemUsec: ct.cpuSystemUsec,
    })),
  }));
  return {
    seq,
    collectedAtMs: c.collectedAtMs,
    monotonicUsec: c.monotonicUsec,
    bootId,
    nodeUsage: c.nodeUsage,
    pods,
    stats: {
      cgroupsScanned: c.cgroupsScanned,
      readErrors: c.readErrors,
      durationUsec: Math.min(c.durationUsec, 0xffffffff),
      droppedBatches,
    },
  };
}
