import path from 'node:path';
import { hmsError } from '@hms-sys/common';

/** `--host-root` default: the agent reads the host it runs on. */
export const DEFAULT_HOST_ROOT = '/';
/** Where the cgroup hierarchy is mounted, relative to the host root. */
export const CGROUP_MOUNT_SUBPATH = 'sys/fs/cgroup';

export interface HostPathsOptions {
  /** Prefix of every host path the agent reads (`/proc`, `/etc`, boot id, sentinel files). Default `/`. */
  hostRoot?: string;
  /** The cgroup mount. Default `<hostRoot>/sys/fs/cgroup`; when given it is used as is (not prefixed). */
  cgroupRoot?: string;
}

/**
 * Where the agent finds the host, as a value (GUIDE §1): one object per agent, passed to every
 * collector, so tests run in parallel on their own fixture roots. Both roots are absolute and
 * normalised. Invariant: a path built here never leaves its root (`..` is refused).
 */
export interface HostPaths {
  readonly hostRoot: string;
  readonly cgroupRoot: string;
  /** A host path, e.g. `host('/proc/stat')` -> `<hostRoot>/proc/stat`. */
  host(p: string): string;
  /** A path under the cgroup root, e.g. `cgroup('kubepods.slice')`; `cgroup('')` is the root. */
  cgroup(rel: string): string;
}

/** Builds the HostPaths of one agent. Relative roots are resolved against the working directory. */
export function createHostPaths(opts: HostPathsOptions = {}): HostPaths {
  const hostRoot = path.resolve(opts.hostRoot ?? DEFAULT_HOST_ROOT);
  const cgroupRoot = opts.cgroupRoot === undefined ? path.join(hostRoot, CGROUP_MOUNT_SUBPATH) : path.resolve(opts.cgroupRoot);
  return Object.freeze({
    hostRoot,
    cgroupRoot,
    host: (p: string) => under(hostRoot, p),
    cgroup: (rel: string) => under(cgroupRoot, rel),
  });
}

function under(root: string, p: string): string {
  const joined = path.join(root, p);
  // Paths come from constants, directory listings and --workload-parent; a `..` that escapes the
  // root would silently read another host's (or the agent container's) files.
  if (joined !== root && !joined.startsWith(root === '/' ? '/' : root + '/')) {
    throw hmsError('HMS_CONFIG_INVALID', `path ${JSON.stringify(p)} leaves ${root}`, { details: { root, path: p } });
  }
  return joined;
}
