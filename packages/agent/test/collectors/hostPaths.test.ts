import { describe, expect, it } from 'vitest';
import { isHmsError } from '@hms-sys/common';
import { createHostPaths } from '../../src/host/hostPaths.js';

describe('createHostPaths', () => {
  it('reads the host itself by default', () => {
    const p = createHostPaths();
    expect(p.hostRoot).toBe('/');
    expect(p.cgroupRoot).toBe('/sys/fs/cgroup');
    expect(p.host('/proc/stat')).toBe('/proc/stat');
    expect(p.cgroup('kubepods.slice')).toBe('/sys/fs/cgroup/kubepods.slice');
  });

  it('prefixes every host path and the default cgroup root with --host-root', () => {
    const p = createHostPaths({ hostRoot: '/host/' });
    expect(p.host('/proc/sys/kernel/random/boot_id')).toBe('/host/proc/sys/kernel/random/boot_id');
    expect(p.host('etc/os-release')).toBe('/host/etc/os-release');
    expect(p.cgroupRoot).toBe('/host/sys/fs/cgroup');
    expect(p.cgroup('')).toBe('/host/sys/fs/cgroup');
  });

  it('uses an explicit --cgroup-root as is, not under the host root', () => {
    const p = createHostPaths({ hostRoot: '/host', cgroupRoot: '/sys/fs/cgroup/unified' });
    expect(p.cgroup('system.slice')).toBe('/sys/fs/cgroup/unified/system.slice');
    expect(p.host('proc/stat')).toBe('/host/proc/stat');
  });

  it('refuses a path that climbs out of its root', () => {
    const p = createHostPaths({ hostRoot: '/host' });
    let caught: unknown;
    try {
      p.host('../etc/shadow');
    } catch (err) {
      caught = err;
    }
    expect(isHmsError(caught, 'HMS_CONFIG_INVALID')).toBe(true);
  });

  it('is an immutable value: two agents in one process do not share roots', () => {
    const a = createHostPaths({ hostRoot: '/nodes/a' });
    const b = createHostPaths({ hostRoot: '/nodes/b' });
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.host('proc/stat')).not.toBe(b.host('proc/stat'));
  });
});
