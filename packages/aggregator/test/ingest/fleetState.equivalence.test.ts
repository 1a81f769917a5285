/**
 * FleetState keeps pods and containers in flat, in-place-updated arrays for fleet-scale ingest.
 * Whatever it does inside, every batch must leave exactly the state — pods in the same order,
 * containers in the same order, the same rates to the last bit — and report the same effects as
 * the straightforward implementation it replaced (referenceFleetState.ts). Random batch scripts
 * cover pods moving between nodes, duplicates, containers coming, going and reordering, counter
 * resets, time not advancing, boot changes, implausible rates and disconnects.
 */
import type { IMetricsBatch, IPodSample } from '@hms-sys/protocol';
import { describe, expect, it } from 'vitest';
import { FleetState, podCpu, type PodState } from '../../src/ingest/fleetState.js';
import { ReferenceFleetState, referencePodCpu, type PodState as RefPodState } from './referenceFleetState.js';
import { Rng } from '../kit/rng.js';

const NODES = ['node-a', 'node-b', 'node-c'];
const UIDS = Array.from({ length: 12 }, (_, i) => `uid-${i}`);
const CIDS = ['c0', 'c1', 'c2', 'c3', 'c4'];

/** Per node: monotonic clock, boot, counters that mostly grow. */
class Script {
  private readonly mono = new Map<string, number>();
  private readonly boot = new Map<string, string>();
  private readonly usage = new Map<string, number>();
  private seq = 0;
  constructor(private readonly rng: Rng) {}

  batch(node: string): IMetricsBatch {
    const r = this.rng;
    let mono = this.mono.get(node) ?? 1_000_000;
    mono += r.chance(0.08) ? 0 : r.chance(0.04) ? -500_000 : 1_000_000 + r.int(2000);
    this.mono.set(node, mono);
    if (r.chance(0.04) || !this.boot.has(node)) this.boot.set(node, `boot-${node}-${r.int(3)}`);
    const uids = r.shuffle([...UIDS]).slice(0, r.int(UIDS.length + 1));
    if (!r.chance(0.2)) uids.sort();
    if (r.chance(0.1) && uids.length) uids.push(uids[0] as string); // duplicate pod
    if (r.chance(0.05)) uids.push('');
    const pods: IPodSample[] = uids.map((uid) => {
      const cids = r.shuffle([...CIDS]).slice(0, r.int(4));
      if (!r.chance(0.15)) cids.sort();
      if (r.chance(0.1) && cids.length) cids.push(cids[0] as string);
      if (r.chance(0.05)) cids.push('');
      const podKey = `${node}/${uid}`;
      const podUsage = r.chance(0.15) ? 0 : this.bump(podKey, r);
      return {
        uid, namespace: r.chance(0.1) ? 'other' : 'default', name: `pod-${uid}`, qosClass: r.chance(0.5) ? 'Burstable' : '',
        cgroupPath: `kubepods/${uid}`, partial: r.chance(0.1), cpuUsageUsec: podUsage,
        containers: cids.map((id) => ({
          id, name: r.chance(0.3) ? `name-${id}` : '', cpuUsageUsec: this.bump(`${podKey}/${id}`, r),
          cpuThrottledUsec: r.int(1000), nrThrottled: r.int(10), nrPeriods: r.int(100),
        })),
      };
    });
    return {
      seq: ++this.seq, collectedAtMs: 1, monotonicUsec: mono, bootId: r.chance(0.05) ? '' : this.boot.get(node),
      nodeUsage: r.chance(0.8) ? { cpuBusyUsec: this.seq * 1000 + r.int(500), cpuTotalUsec: this.seq * 4000, cpuCores: r.chance(0.5) ? 2 : 0, memoryTotalBytes: 8e9, memoryAvailableBytes: r.int(8e9) } : null,
      stats: r.chance(0.5) ? { readErrors: r.int(2), droppedBatches: r.int(3) } : null,
      pods,
    };
  }

  private bump(key: string, r: Rng): number {
    let v = this.usage.get(key) ?? 0;
    if (r.chance(0.05)) v = 0;
    else if (r.chance(0.05)) v = Math.max(0, v - 100_000);
    else v += r.int(r.chance(0.05) ? 5_000_000 : 900_000);
    this.usage.set(key, v);
    return v;
  }
}

function podView(p: PodState | RefPodState, cpu: ReturnType<typeof podCpu>) {
  return {
    uid: p.uid, node: p.node, namespace: p.namespace, name: p.name, qosClass: p.qosClass, cgroupPath: p.cgroupPath,
    partial: p.partial, sampleTimeMs: p.sampleTimeMs, podSample: p.podSample, podRate: p.podRate, cpu,
    containers: [...p.containers.values()].map((c) => ({ id: c.id, name: c.name, sample: c.sample, rate: c.rate, t: c.throttledUsec, n: c.nrThrottled, p: c.nrPeriods })),
  };
}

function fleetView(f: FleetState | ReferenceFleetState, cpu: (p: never) => ReturnType<typeof podCpu>) {
  return {
    pods: [...f.pods()].map((p) => podView(p, cpu(p as never))),
    nodes: [...f.nodes()].map((n) => ({
      name: n.name, connected: n.connected, cpu: n.cpuUsageCores, mem: n.memoryAvailableBytes, readErrors: n.readErrors, dropped: n.droppedBatches,
      pods: [...n.pods].sort(), lastSeen: n.lastSeenMs,
    })),
  };
}

describe('FleetState (flat, in place) against the reference implementation', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random batch script %i: same effects and state after every step', (seed) => {
    const rng = new Rng(seed * 7919);
    const script = new Script(rng);
    const fast = new FleetState();
    const ref = new ReferenceFleetState();
    for (const n of NODES) {
      const hello = { info: { bootId: `boot-${n}-0`, cpuCores: 2, memoryBytes: 8e9 }, agentVersion: 't', streamId: 's', intervalMs: 1000 };
      fast.connect(n, hello, 0);
      ref.connect(n, hello, 0);
    }
    for (let step = 1; step <= 400; step++) {
      const node = NODES[rng.int(NODES.length)] as string;
      if (rng.chance(0.03)) {
        const a = fast.disconnect(node).map((p) => p.uid);
        const b = ref.disconnect(node).map((p) => p.uid);
        expect(a, `disconnect at step ${step}`).toEqual(b);
        const hello = { info: { bootId: `boot-${node}-0`, cpuCores: 2, memoryBytes: 8e9 }, agentVersion: 't', streamId: `s${step}`, intervalMs: 1000 };
        fast.connect(node, hello, step);
        ref.connect(node, hello, step);
        continue;
      }
      const batch = script.batch(node);
      const ef = fast.applyBatch(node, batch, step * 1000);
      const er = ref.applyBatch(node, batch, step * 1000);
      expect({ samples: ef.samples, added: ef.addedPods, removed: ef.removedPods.map((p) => p.uid), cpu: ef.nodeCpuCores }, `effect at step ${step}`)
        .toEqual({ samples: er.samples, added: er.addedPods, removed: er.removedPods.map((p) => p.uid), cpu: er.nodeCpuCores });
      expect(fleetView(fast, podCpu as never), `state at step ${step}`).toEqual(fleetView(ref, referencePodCpu as never));
    }
  });

  it('a steady node (same pods, same order) updates in place: the pod objects stay the same', () => {
    const f = new FleetState();
    f.connect('n', { info: { bootId: 'b', cpuCores: 4 }, agentVersion: 't', streamId: 's', intervalMs: 1000 }, 0);
    const batch = (i: number): IMetricsBatch => ({
      seq: i, monotonicUsec: i * 1_000_000, bootId: 'b',
      pods: [{ uid: 'p1', cpuUsageUsec: i * 500_000, containers: [{ id: 'a', cpuUsageUsec: i * 250_000 }, { id: 'b', cpuUsageUsec: i * 100_000 }] }],
    });
    f.applyBatch('n', batch(1), 1000);
    const pod = f.pod('p1');
    f.applyBatch('n', batch(2), 2000);
    expect(f.pod('p1')).toBe(pod);
    expect(podCpu(pod!)).toEqual({ cores: 0.5, windowMs: 1000 });
    expect([...pod!.containers.values()].map((c) => c.rate?.cores)).toEqual([0.25, 0.1]);
  });
});
