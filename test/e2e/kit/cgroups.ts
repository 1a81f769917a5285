import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The hierarchies this machine mounts that account CPU: v1 cpuacct (+ cpu for throttling) and v2. */
export function cpuHierarchies(root = '/sys/fs/cgroup'): { v1: { cpuacct: string; cpu?: string } | undefined; v2: string | undefined } {
  const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' '));
  let cpuacct: string | undefined;
  let cpu: string | undefined;
  let v2: string | undefined;
  for (const [, mnt, type, options] of mounts) {
    if (!mnt?.startsWith(root)) continue;
    const opts = (options ?? '').split(',');
    if (type === 'cgroup2') v2 ??= mnt;
    if (type === 'cgroup' && opts.includes('cpuacct')) cpuacct = mnt;
    if (type === 'cgroup' && opts.includes('cpu')) cpu = mnt;
  }
  return { v1: cpuacct ? { cpuacct, ...(cpu ? { cpu } : {}) } : undefined, v2 };
}

/** A hand-made Kubernetes pod cgroup (cgroupfs layout) with a CPU-burning process in it. */
export class HandMadePod {
  readonly dirs: string[];
  private proc: ChildProcess | undefined;

  constructor(
    /** Hierarchy mount points to create the pod in (one or more). */
    readonly mounts: readonly string[],
    readonly uid: string,
    readonly containerId: string,
    readonly qos: 'burstable' | 'besteffort' | '' = 'burstable',
  ) {
    this.dirs = mounts.map((m) => join(m, 'kubepods', ...(qos ? [qos] : []), `pod${uid}`, containerId));
  }

  /** Creates the cgroups and starts a busy loop inside them. Returns its pid. */
  start(): number {
    for (const d of this.dirs) mkdirSync(d, { recursive: true });
    this.proc = spawn('/bin/sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    const pid = this.proc.pid as number;
    for (const d of this.dirs) writeFileSync(join(d, 'cgroup.procs'), String(pid));
    return pid;
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) the busy process, so one pod at a time burns CPU. */
  pause(paused: boolean): void {
    this.proc?.kill(paused ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Cumulative CPU of the container cgroup in µs, as the kernel counts it. */
  usageUsec(mount: string): number {
    const dir = this.dirs[this.mounts.indexOf(mount)] as string;
    if (existsSync(join(dir, 'cpuacct.usage'))) return Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1000;
    const m = /usage_usec (\d+)/.exec(readFileSync(join(dir, 'cpu.stat'), 'utf8'));
    return Number(m?.[1]);
  }

  async stop(): Promise<void> {
    this.proc?.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    for (const d of this.dirs) {
      // container, pod, qos, kubepods — remove what is empty; leave what others use.
      let dir = d;
      for (let i = 0; i < (this.qos ? 4 : 3); i++) {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            rmdirSync(dir);
            break;
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            if (code === 'ENOENT' || code === 'ENOTEMPTY') break;
            await new Promise((r) => setTimeout(r, 50)); // EBUSY: the process is still exiting
          }
        }
        dir = join(dir, '..');
      }
    }
  }
}
