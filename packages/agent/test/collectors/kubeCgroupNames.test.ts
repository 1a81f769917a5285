import { describe, expect, it } from 'vitest';
import { classifyKubepodsChild, classifyPodChild, podUidFromDirName } from '../../src/collectors/kubeCgroupNames.js';

const UID = '2fc932ce-fdcc-454b-97bd-aadfdeb4c340';
const ID = 'aaef'.repeat(16);

describe('pod cgroup names', () => {
  it('reads the UID from cgroupfs and systemd names, turning systemd _ back into -', () => {
    expect(podUidFromDirName(`pod${UID}`, 'cgroupfs')).toBe(UID);
    expect(podUidFromDirName(`kubepods-burstable-pod${UID.replaceAll('-', '_')}.slice`, 'systemd')).toBe(UID);
    expect(podUidFromDirName(`kubepods-pod${UID.replaceAll('-', '_')}.slice`, 'systemd')).toBe(UID);
  });

  it('accepts a static pod UID (32 hex, no dashes)', () => {
    expect(podUidFromDirName('pod6e1f8a2b3c4d5e6f7a8b9c0d1e2f3a4b', 'cgroupfs')).toBe('6e1f8a2b3c4d5e6f7a8b9c0d1e2f3a4b');
    expect(podUidFromDirName('kubepods-besteffort-pod6e1f8a2b3c4d5e6f7a8b9c0d1e2f3a4b.slice', 'systemd')).toBe('6e1f8a2b3c4d5e6f7a8b9c0d1e2f3a4b');
  });

  it.each([
    ['podnot-a-uid', 'cgroupfs'],
    [`pod${UID}.slice`, 'cgroupfs'],
    [`kubepods-pod${UID}`, 'systemd'],
    ['kubepods-burstable.slice', 'systemd'],
    ['burstable', 'cgroupfs'],
  ] as const)('%s (%s) is not a pod', (name, driver) => {
    expect(podUidFromDirName(name, driver)).toBeUndefined();
  });

  it('tells QoS cgroups from Guaranteed pods directly under kubepods', () => {
    expect(classifyKubepodsChild('burstable', 'cgroupfs')).toEqual({ kind: 'qos', qos: 'Burstable' });
    expect(classifyKubepodsChild('besteffort', 'cgroupfs')).toEqual({ kind: 'qos', qos: 'BestEffort' });
    expect(classifyKubepodsChild('kubepods-burstable.slice', 'systemd')).toEqual({ kind: 'qos', qos: 'Burstable' });
    expect(classifyKubepodsChild('kubepods-besteffort.slice', 'systemd')).toEqual({ kind: 'qos', qos: 'BestEffort' });
    expect(classifyKubepodsChild(`pod${UID}`, 'cgroupfs')).toEqual({ kind: 'pod', uid: UID });
    expect(classifyKubepodsChild('system.slice', 'systemd')).toEqual({ kind: 'other' });
  });
});

describe('container cgroup names', () => {
  it.each([
    [`cri-containerd-${ID}.scope`, 'systemd'],
    [`crio-${ID}.scope`, 'systemd'],
    [`docker-${ID}.scope`, 'systemd'],
    [ID, 'cgroupfs'],
    [`crio-${ID}`, 'cgroupfs'],
  ] as const)('%s (%s) is container %s', (name, driver) => {
    expect(classifyPodChild(name, driver)).toEqual({ kind: 'container', id: ID });
  });

  it('skips what cAdvisor skips', () => {
    expect(classifyPodChild(`crio-conmon-${ID}.scope`, 'systemd')).toEqual({ kind: 'skip', reason: 'conmon' });
    expect(classifyPodChild(`crio-conmon-${ID}`, 'cgroupfs')).toEqual({ kind: 'skip', reason: 'conmon' });
    expect(classifyPodChild(`run-containerd-${ID}-rootfs.mount`, 'systemd')).toEqual({ kind: 'skip', reason: 'mount' });
    expect(classifyPodChild(`crio-${ID}`, 'systemd')).toEqual({ kind: 'skip', reason: 'sandbox' });
    expect(classifyPodChild('container', 'systemd')).toEqual({ kind: 'skip', reason: 'unrecognised' });
    expect(classifyPodChild(`cri-containerd-${ID.slice(1)}.scope`, 'systemd')).toEqual({ kind: 'skip', reason: 'unrecognised' });
  });
});
