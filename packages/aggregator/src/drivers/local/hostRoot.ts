import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The host root of a virtual node (`<dataDir>/nodes/<node>/host/`), given to its agent as
 * `--host-root`. Files a reboot or a kernel patch changes are real files here; everything else
 * the agent may read links to the real machine:
 *
 *   proc/sys/kernel/random/boot_id   file: the node's simulated boot id (new at every simulated reboot)
 *   proc/sys/kernel/osrelease        file: kernel release (the real one; `+hmsN` after simulated patches)
 *   etc/os-release                   file: copy of the real /etc/os-release
 *   proc/{stat,meminfo,cpuinfo,loadavg,uptime,mounts,self}  symlinks to the real /proc entries
 *   proc/<pid>                       symlinks to /proc/<pid> for this node's pods in process mode
 *   sys/fs/cgroup                    symlink to the real cgroup root
 *
 * Nothing here ever touches the real machine's boot or packages.
 */

const PROC_LINKS = ['stat', 'meminfo', 'cpuinfo', 'loadavg', 'uptime', 'mounts', 'self'];

export interface HostRootContent {
  readonly bootId: string;
  /** Kernel release, e.g. `6.18.44-fc-v782+hms1`. */
  readonly kernelRelease: string;
}

/** Writes a file atomically (readers never see a partial boot id). */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    const st = lstatSync(path);
    if (st.isSymbolicLink() || st.isFile()) unlinkSync(path);
    else rmSync(path, { recursive: true, force: true });
  } catch {
    /* absent */
  }
  symlinkSync(target, path);
}

/** Creates or refreshes the host root under `dir`. */
export function prepareHostRoot(dir: string, content: HostRootContent, opts: { cgroupRoot: string; realOsReleaseFile?: string }): void {
  mkdirSync(dir, { recursive: true });
  writeBootId(dir, content.bootId);
  writeKernelRelease(dir, content.kernelRelease);
  let osRelease = 'NAME="Linux"\nID=linux\nPRETTY_NAME="Linux"\n';
  try {
    osRelease = readFileSync(opts.realOsReleaseFile ?? '/etc/os-release', 'utf8');
  } catch {
    /* keep the generic one */
  }
  writeAtomic(join(dir, 'etc/os-release'), osRelease);
  for (const name of PROC_LINKS) link(`/proc/${name}`, join(dir, 'proc', name));
  link(opts.cgroupRoot, join(dir, 'sys/fs/cgroup'));
}

export function bootIdFile(hostRoot: string): string {
  return join(hostRoot, 'proc/sys/kernel/random/boot_id');
}

export function writeBootId(hostRoot: string, bootId: string): void {
  writeAtomic(bootIdFile(hostRoot), `${bootId}\n`);
}

export function writeKernelRelease(hostRoot: string, release: string): void {
  writeAtomic(join(hostRoot, 'proc/sys/kernel/osrelease'), `${release}\n`);
}

/** `6.1.0` -> `6.1.0+hms1` -> `6.1.0+hms2`: what a simulated kernel patch installs. Pure. */
export function bumpKernelRelease(release: string): string {
  const m = /^(.*)\+hms(\d+)$/.exec(release);
  return m ? `${m[1]}+hms${Number(m[2]) + 1}` : `${release}+hms1`;
}

/** The real machine's boot id ('' when unreadable). */
export function readRealBootId(procRoot = '/proc'): string {
  try {
    return readFileSync(join(procRoot, 'sys/kernel/random/boot_id'), 'utf8').trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME of an os-release file, e.g. `Debian GNU/Linux 12 (bookworm)`. */
export function readOsImage(file = '/etc/os-release'): string {
  try {
    const m = /^PRETTY_NAME=(.*)$/m.exec(readFileSync(file, 'utf8'));
    return m?.[1]?.replace(/^"(.*)"$/, '$1') ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

/** Makes `<hostRoot>/proc/<pid>` link to `/proc/<pid>` for exactly `pids` (process mode). */
export function syncPidLinks(hostRoot: string, pids: readonly number[]): void {
  const procDir = join(hostRoot, 'proc');
  if (!existsSync(procDir)) return;
  const want = new Set(pids.map(String));
  for (const name of readdirSync(procDir)) {
    if (/^\d+$/.test(name) && !want.has(name)) rmSync(join(procDir, name), { force: true });
  }
  for (const pid of want) {
    const path = join(procDir, pid);
    if (!existsSync(path)) {
      try {
        symlinkSync(`/proc/${pid}`, path);
      } catch {
        /* raced with another writer */
      }
    }
  }
}
