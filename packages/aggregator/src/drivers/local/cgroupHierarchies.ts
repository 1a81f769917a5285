import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Which cgroup hierarchies matter for CPU on this host, found from /proc/self/mountinfo:
 *   - cgroup v2 (the unified tree: pure v2 at /sys/fs/cgroup, or hybrid at /sys/fs/cgroup/unified),
 *   - cgroup v1 hierarchies carrying `cpu` and/or `cpuacct` (separate mounts or a combined `cpu,cpuacct`).
 * Only mounts at or under `cgroupRoot` count, so the driver writes where the agent reads.
 */
export interface CgroupHierarchy {
  readonly version: 1 | 2;
  /** Absolute mount point, e.g. `/sys/fs/cgroup/cpu,cpuacct` or `/sys/fs/cgroup/unified`. */
  readonly mountPoint: string;
  /** v1: the mount's controllers among cpu/cpuacct. v2: controllers available at the root (`cgroup.controllers`). */
  readonly controllers: readonly string[];
}

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
  readonly superOptions: readonly string[];
}

/** Parses /proc/<pid>/mountinfo text. Pure. */
export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    const mountPoint = left[4];
    const fsType = right[0];
    if (mountPoint === undefined || fsType === undefined) continue;
    out.push({ mountPoint: unescapeMount(mountPoint), fsType, superOptions: (right[2] ?? '').split(',') });
  }
  return out;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

function under(path: string, root: string): boolean {
  const r = root.endsWith('/') && root.length > 1 ? root.slice(0, -1) : root;
  return path === r || path.startsWith(r + '/');
}

/**
 * The CPU-relevant hierarchies among `mounts` (v2 first, then v1), one per distinct hierarchy.
 * `v2Controllers(mountPoint)` supplies the root's `cgroup.controllers`.
 */
export function selectCpuHierarchies(mounts: readonly MountEntry[], cgroupRoot: string, v2Controllers: (mountPoint: string) => readonly string[]): CgroupHierarchy[] {
  const v2: CgroupHierarchy[] = [];
  const v1: CgroupHierarchy[] = [];
  const seenV1 = new Set<string>();
  for (const m of mounts) {
    if (!under(m.mountPoint, cgroupRoot)) continue;
    if (m.fsType === 'cgroup2') {
      if (v2.length === 0) v2.push({ version: 2, mountPoint: m.mountPoint, controllers: v2Controllers(m.mountPoint) });
    } else if (m.fsType === 'cgroup') {
      const ctrls = m.superOptions.filter((o) => o === 'cpu' || o === 'cpuacct').sort();
      if (ctrls.length === 0) continue;
      const key = ctrls.join(',');
      if (seenV1.has(key)) continue; // the same hierarchy mounted twice
      seenV1.add(key);
      v1.push({ version: 1, mountPoint: m.mountPoint, controllers: ctrls });
    }
  }
  return [...v2, ...v1];
}

/** Reads the mount table and returns the CPU hierarchies under `cgroupRoot` (I/O). */
export function detectCgroupHierarchies(cgroupRoot = '/sys/fs/cgroup', mountInfoPath = '/proc/self/mountinfo'): CgroupHierarchy[] {
  let text: string;
  try {
    text = readFileSync(mountInfoPath, 'utf8');
  } catch {
    return [];
  }
  return selectCpuHierarchies(parseMountInfo(text), cgroupRoot, (mp) => {
    try {
      return readFileSync(join(mp, 'cgroup.controllers'), 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      return [];
    }
  });
}

/** One-line description for logs: `v2 /sys/fs/cgroup/unified (no cpu controller), v1 cpu /sys/fs/cgroup/cpu, …`. */
export function describeHierarchies(hs: readonly CgroupHierarchy[]): string {
  if (hs.length === 0) return 'none';
  return hs
    .map((h) => (h.version === 2 ? `v2 ${h.mountPoint}${h.controllers.includes('cpu') ? '' : ' (cpu controller not available)'}` : `v1 ${h.controllers.join(',')} ${h.mountPoint}`))
    .join(', ');
}
