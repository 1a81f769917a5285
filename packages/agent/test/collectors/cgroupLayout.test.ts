import { describe, expect, it } from 'vitest';
import { isHmsError } from '@hms-sys/common';
import { detectCgroupLayout } from '../../src/collectors/cgroupLayout.js';
import { createHostPaths } from '../../src/host/hostPaths.js';
import { FakeHostReader } from './fakeHostReader.js';

const paths = createHostPaths({ hostRoot: '/host' });
const CG = '/host/sys/fs/cgroup';

describe('detectCgroupLayout', () => {
  it('sees a pure v2 tree by cgroup.controllers at the root', () => {
    const fake = new FakeHostReader().file(`${CG}/cgroup.controllers`, 'cpu io memory\n');
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v2', accountingDir: '', throttlingDir: '' });
  });

  it('finds a combined cpu,cpuacct v1 mount', () => {
    const fake = new FakeHostReader().file(`${CG}/cpu,cpuacct/cpuacct.usage`, '1\n').file(`${CG}/cpu,cpuacct/cpu.stat`, '');
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v1', accountingDir: 'cpu,cpuacct', throttlingDir: 'cpu,cpuacct' });
  });

  it('finds the cpuacct,cpu spelling too', () => {
    const fake = new FakeHostReader().file(`${CG}/cpuacct,cpu/cpuacct.usage`, '1\n').file(`${CG}/cpuacct,cpu/cpu.stat`, '');
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v1', accountingDir: 'cpuacct,cpu', throttlingDir: 'cpuacct,cpu' });
  });

  it('finds separate cpu and cpuacct mounts, preferring v1 over a hybrid unified/ tree (like this build machine)', () => {
    const fake = new FakeHostReader()
      .file(`${CG}/cpuacct/cpuacct.usage`, '1\n')
      .file(`${CG}/cpu/cpu.stat`, '')
      .file(`${CG}/unified/cgroup.controllers`, '\n');
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v1', accountingDir: 'cpuacct', throttlingDir: 'cpu' });
  });

  it('runs without throttling stats when v1 has no cpu hierarchy', () => {
    const fake = new FakeHostReader().file(`${CG}/cpuacct/cpuacct.usage`, '1\n');
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v1', accountingDir: 'cpuacct', throttlingDir: undefined });
  });

  it('accepts --cgroup-root pointing straight at a v1 cpuacct hierarchy', () => {
    const direct = createHostPaths({ cgroupRoot: '/sys/fs/cgroup/cpu,cpuacct' });
    const fake = new FakeHostReader().file('/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage', '1\n').file('/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us', '100000\n');
    expect(detectCgroupLayout(direct, fake)).toEqual({ version: 'v1', accountingDir: '', throttlingDir: '' });
  });

  it('falls back to a hybrid unified/ tree when v1 has no cpuacct', () => {
    const fake = new FakeHostReader().file(`${CG}/unified/cgroup.controllers`, '\n').dir(`${CG}/memory`);
    expect(detectCgroupLayout(paths, fake)).toEqual({ version: 'v2', accountingDir: 'unified', throttlingDir: 'unified' });
  });

  it('says clearly when there is nothing to measure', () => {
    let caught: unknown;
    try {
      detectCgroupLayout(paths, new FakeHostReader().dir(CG));
    } catch (err) {
      caught = err;
    }
    expect(isHmsError(caught, 'HMS_CGROUP_UNAVAILABLE')).toBe(true);
    expect((caught as Error).message).toContain(CG);
  });
});
