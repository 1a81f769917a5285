import { hmsError } from '@hms-sys/common';
import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';

/**
 * Where CPU accounting lives under the cgroup root. Directories are relative to the cgroup root
 * ('' = the root itself), so the same relative cgroup path is looked up in each of them.
 */
export interface CgroupLayout {
  /** 'v2' when usage comes from the unified tree, 'v1' when from a `cpuacct` hierarchy. */
  readonly version: 'v1' | 'v2';
  /** The hierarchy holding usage (v2 tree, or v1 `cpuacct`); pods and containers are discovered here. */
  readonly accountingDir: string;
  /** The hierarchy holding throttling (`cpu.stat`): v2 = accountingDir; v1 `cpu`; undefined when v1 has none. */
  readonly throttlingDir: string | undefined;
}

/** v1 mount names holding `cpuacct.usage`, most specific first (`cpu` and `cpuacct` are often symlinks to the combined one). */
const V1_CPUACCT_DIRS = ['cpu,cpuacct', 'cpuacct,cpu', 'cpuacct'] as const;
/** v1 mount names holding CFS `cpu.stat`. */
const V1_CPU_DIRS = ['cpu,cpuacct', 'cpuacct,cpu', 'cpu'] as const;
/** Where systemd's hybrid mode mounts the v2 tree next to v1 controllers. */
const HYBRID_UNIFIED_DIR = 'unified';

/**
 * Detects the layout once at start-up.
 *
 * - `cgroup.controllers` at the root: pure v2.
 * - Else a v1 `cpuacct` hierarchy (combined `cpu,cpuacct` or separate `cpu` + `cpuacct` mounts, or
 *   the root itself when --cgroup-root points straight at one). This wins over a hybrid
 *   `unified/` tree: in hybrid mode the kubelet and runtimes account CPU in v1.
 * - Else a hybrid `unified/` tree without v1 cpuacct: v2 there.
 *
 * Throws HMS_CGROUP_UNAVAILABLE when none is found (nothing to measure: a start-up error).
 */
export function detectCgroupLayout(paths: HostPaths, reader: HostReader): CgroupLayout {
  const has = (dir: string, file: string): boolean => reader.exists(paths.cgroup(dir === '' ? file : `${dir}/${file}`));
  if (has('', 'cgroup.controllers')) return { version: 'v2', accountingDir: '', throttlingDir: '' };

  const cpuacct = has('', 'cpuacct.usage') ? '' : V1_CPUACCT_DIRS.find((d) => has(d, 'cpuacct.usage'));
  if (cpuacct !== undefined) {
    const cpu = has('', 'cpu.cfs_period_us') ? '' : V1_CPU_DIRS.find((d) => has(d, 'cpu.stat'));
    return { version: 'v1', accountingDir: cpuacct, throttlingDir: cpu };
  }

  if (has(HYBRID_UNIFIED_DIR, 'cgroup.controllers')) {
    return { version: 'v2', accountingDir: HYBRID_UNIFIED_DIR, throttlingDir: HYBRID_UNIFIED_DIR };
  }
  throw hmsError('HMS_CGROUP_UNAVAILABLE', `no cgroup v2 tree or v1 cpuacct hierarchy under ${paths.cgroupRoot}`, {
    details: { cgroupRoot: paths.cgroupRoot },
  });
}
