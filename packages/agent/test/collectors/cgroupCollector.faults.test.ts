import { describe, expect, it } from 'vitest';
import { isHmsError } from '@hms-sys/common';
import { CgroupCollector } from '../../src/collectors/cgroupCollector.js';
import type { CgroupLayout } from '../../src/collectors/cgroupLayout.js';
import { createHostPaths } from '../../src/host/hostPaths.js';
import { cid, cpuStatV2, FakeHostReader } from './fakeHostReader.js';

/**
 * What a user sees when cgroups change or break under the agent: partial pods, counted read
 * errors, never an exception, never a container reported with a made-up 0.
 */
const paths = createHostPaths({ hostRoot: '/host' });
const CG = '/host/sys/fs/cgroup';
const V2: CgroupLayout = { version: 'v2', accountingDir: '', throttlingDir: '' };
const UID = '8d2f6c1a-0b3e-4d5f-9a7b-6c5d4e3f2a1b';
const UID2 = '3f1e2d4c-5b6a-4789-8a0b-1c2d3e4f5a6b';
const POD = `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`;
const POD2 = `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID2.replaceAll('-', '_')}.slice`;
const ctr = (pod: string, digit: string): string => `${CG}/${pod}/cri-containerd-${cid(digit)}.scope`;

/** A v2 node with two Burstable pods: POD (containers a, b) and POD2 (container c). */
function node(): FakeHostReader {
  return new FakeHostReader()
    .file(`${CG}/cgroup.controllers`, 'cpu\n')
    .file(`${CG}/${POD}/cpu.stat`, cpuStatV2(3_000_000))
    .file(`${ctr(POD, 'a')}/cpu.stat`, cpuStatV2(1_000_000))
    .file(`${ctr(POD, 'b')}/cpu.stat`, cpuStatV2(1_500_000))
    .file(`${CG}/${POD2}/cpu.stat`, cpuStatV2(700_000))
    .file(`${ctr(POD2, 'c')}/cpu.stat`, cpuStatV2(600_000));
}

const collector = (reader: FakeHostReader, workloadParents: string[] = [], maxProblemDetails?: number): CgroupCollector =>
  new CgroupCollector({ paths, reader, layout: V2, workloadParents, ...(maxProblemDetails === undefined ? {} : { maxProblemDetails }) });

const containerIds = (pod: { containers: readonly { id: string }[] } | undefined): string[] => pod?.containers.map((c) => c.id) ?? [];

describe('CgroupCollector when cgroups change or break mid-read', () => {
  it('reports a container that vanished between listing and reading as missing, the pod as partial, and counts it', () => {
    const fake = node();
    fake.afterReaddir = (p) => {
      if (p === `${CG}/${POD}`) fake.remove(ctr(POD, 'b'));
    };
    const out = collector(fake).collect();
    const pod = out.pods.find((p) => p.uid === UID);
    expect(pod?.partial).toBe(true);
    expect(containerIds(pod)).toEqual([cid('a')]);
    expect(pod?.cpuUsageUsec).toBe(3_000_000);
    expect(out.readErrors).toBe(1);
    expect(out.errors).toEqual([{ path: `${POD}/cri-containerd-${cid('b')}.scope/cpu.stat`, reason: 'vanished', detail: 'ENOENT' }]);
    expect(out.pods.find((p) => p.uid === UID2)?.partial).toBe(false);
  });

  it('drops a pod that vanished mid-read without calling it an error', () => {
    const fake = node();
    fake.afterReaddir = (p) => {
      if (p === `${CG}/${POD}`) fake.remove(`${CG}/${POD}`);
    };
    const out = collector(fake).collect();
    expect(out.pods.map((p) => p.uid)).toEqual([UID2]);
    expect(out.readErrors).toBe(0);
  });

  it('drops a pod removed between the QoS listing and its own listing', () => {
    const fake = node();
    fake.afterReaddir = (p) => {
      if (p.endsWith('kubepods-burstable.slice')) fake.remove(`${CG}/${POD2}`);
    };
    const out = collector(fake).collect();
    expect(out.pods.map((p) => p.uid)).toEqual([UID]);
    expect(out.readErrors).toBe(0);
  });

  it('omits a container whose cpu.stat is unreadable (EACCES), keeps the rest', () => {
    const fake = node().fail(`${ctr(POD, 'a')}/cpu.stat`, 'EACCES');
    const out = collector(fake).collect();
    const pod = out.pods.find((p) => p.uid === UID);
    expect(containerIds(pod)).toEqual([cid('b')]);
    expect(pod?.partial).toBe(true);
    expect(out.errors).toEqual([{ path: `${POD}/cri-containerd-${cid('a')}.scope/cpu.stat`, reason: 'unreadable', detail: 'EACCES' }]);
  });

  it('keeps a pod whose own cpu.stat is unreadable, with usage 0 and partial', () => {
    const fake = node().fail(`${CG}/${POD}/cpu.stat`, 'EACCES');
    const pod = collector(fake).collect().pods.find((p) => p.uid === UID);
    expect(pod).toMatchObject({ cpuUsageUsec: 0, partial: true });
    expect(containerIds(pod)).toEqual([cid('a'), cid('b')]);
  });

  it('keeps a pod whose directory cannot be listed, without containers, partial', () => {
    const fake = node().fail(`${CG}/${POD}`, 'EACCES');
    const out = collector(fake).collect();
    const pod = out.pods.find((p) => p.uid === UID);
    expect(pod).toMatchObject({ cpuUsageUsec: 3_000_000, partial: true, containers: [] });
    expect(out.errors[0]).toMatchObject({ path: POD, reason: 'unreadable', detail: 'EACCES' });
  });

  it('omits a container with malformed cpu.stat', () => {
    const fake = node().file(`${ctr(POD, 'b')}/cpu.stat`, 'usage_usec twelve\n');
    const out = collector(fake).collect();
    expect(containerIds(out.pods.find((p) => p.uid === UID))).toEqual([cid('a')]);
    expect(out.errors).toEqual([{ path: `${POD}/cri-containerd-${cid('b')}.scope/cpu.stat`, reason: 'malformed', detail: 'no usable usage_usec' }]);
  });

  it('never throws, whatever the reader throws', () => {
    const fake = node();
    fake.beforeReadFile = (p) => {
      if (p.includes(cid('c'))) throw new TypeError('not an errno error');
    };
    const out = collector(fake).collect();
    expect(out.readErrors).toBe(1);
    expect(out.errors[0]).toMatchObject({ reason: 'unreadable', detail: 'EUNKNOWN' });
  });

  it('counts every problem but keeps only the first few descriptions', () => {
    const fake = node();
    for (const p of [`${ctr(POD, 'a')}/cpu.stat`, `${ctr(POD, 'b')}/cpu.stat`, `${ctr(POD2, 'c')}/cpu.stat`]) fake.fail(p, 'EIO');
    const out = collector(fake, [], 2).collect();
    expect(out.readErrors).toBe(3);
    expect(out.errors).toHaveLength(2);
  });

  it('finds nothing and reports nothing on a node without Kubernetes', () => {
    const out = collector(new FakeHostReader().file(`${CG}/cgroup.controllers`, '\n')).collect();
    expect(out).toEqual({ pods: [], cgroupsScanned: 0, readErrors: 0, errors: [] });
  });
});

describe('CgroupCollector with v1 secondary files failing', () => {
  const V1: CgroupLayout = { version: 'v1', accountingDir: 'cpuacct', throttlingDir: 'cpu' };
  const pod = `kubepods/pod${UID}`;
  const c = `${pod}/${cid('a')}`;
  const v1 = (): FakeHostReader =>
    new FakeHostReader()
      .file(`${CG}/cpuacct/${pod}/cpuacct.usage`, '5000000\n')
      .file(`${CG}/cpuacct/${pod}/cpuacct.stat`, 'user 300\nsystem 100\n')
      .file(`${CG}/cpu/${pod}/cpu.stat`, 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n')
      .file(`${CG}/cpuacct/${c}/cpuacct.usage`, '4000000\n')
      .file(`${CG}/cpuacct/${c}/cpuacct.stat`, 'user 300\nsystem 100\n')
      .file(`${CG}/cpu/${c}/cpu.stat`, 'nr_periods 9\nnr_throttled 2\nthrottled_time 3000\n');

  it('keeps a container whose usage was read when its cpu.stat is unreadable, throttling 0, pod partial', () => {
    const fake = v1().fail(`${CG}/cpu/${c}/cpu.stat`, 'EACCES');
    const out = new CgroupCollector({ paths, reader: fake, layout: V1 }).collect();
    expect(out.pods[0]).toMatchObject({ uid: UID, qosClass: 'Guaranteed', cpuUsageUsec: 5000, partial: true });
    expect(out.pods[0]?.containers).toEqual([
      { id: cid('a'), name: '', cpuUsageUsec: 4000, cpuThrottledUsec: 0, nrThrottled: 0, nrPeriods: 0, cpuUserUsec: 3_000_000, cpuSystemUsec: 1_000_000 },
    ]);
    expect(out.errors).toEqual([{ path: `cpu/${c}/cpu.stat`, reason: 'unreadable', detail: 'EACCES' }]);
  });

  it('reads throttling 0 without complaint when the node has no v1 cpu hierarchy', () => {
    const out = new CgroupCollector({ paths, reader: v1(), layout: { ...V1, throttlingDir: undefined } }).collect();
    expect(out.pods[0]?.partial).toBe(false);
    expect(out.pods[0]?.containers[0]).toMatchObject({ cpuUsageUsec: 4000, nrPeriods: 0 });
    expect(out.readErrors).toBe(0);
  });
});

describe('--workload-parent', () => {
  it('yields no pods and no error for a parent that does not exist yet, and finds it once created', () => {
    const fake = new FakeHostReader().file(`${CG}/cgroup.controllers`, '\n');
    const c = collector(fake, ['hms-sys/node-1']);
    expect(c.collect()).toEqual({ pods: [], cgroupsScanned: 0, readErrors: 0, errors: [] });

    fake.file(`${CG}/hms-sys/node-1/web-0/cpu.stat`, cpuStatV2(500)).file(`${CG}/hms-sys/node-1/web-0/app/cpu.stat`, cpuStatV2(400));
    const out = c.collect();
    expect(out.pods).toEqual([
      {
        uid: 'web-0',
        namespace: 'node-1',
        name: 'web-0',
        qosClass: '',
        cgroupPath: 'hms-sys/node-1/web-0',
        cpuUsageUsec: 500,
        partial: false,
        containers: [{ id: 'app', name: 'app', cpuUsageUsec: 400, cpuThrottledUsec: 0, nrThrottled: 0, nrPeriods: 0, cpuUserUsec: 280, cpuSystemUsec: 120 }],
      },
    ]);
  });

  it('accepts slashes around the path and refuses the cgroup root itself', () => {
    const fake = new FakeHostReader().file(`${CG}/system.slice/nginx.service/cpu.stat`, cpuStatV2(9));
    expect(collector(fake, ['/system.slice/']).collect().pods.map((p) => p.uid)).toEqual(['nginx.service']);
    let caught: unknown;
    try {
      collector(fake, ['/../']);
    } catch (err) {
      caught = err;
    }
    expect(isHmsError(caught, 'HMS_CONFIG_INVALID')).toBe(true);
  });

  it('reports a pod once when a workload parent overlaps the Kubernetes tree', () => {
    const out = collector(node(), ['kubepods.slice/kubepods-burstable.slice']).collect();
    expect(out.pods.map((p) => [p.uid, p.qosClass]).sort()).toEqual([
      [UID2, 'Burstable'],
      [UID, 'Burstable'],
    ]);
  });
});
