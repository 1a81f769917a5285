import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';
import type { PodCpuSample } from './cgroupSample.js';
import { USER_HZ } from './cgroupCpuParsers.js';

/** Fields of /proc/<pid>/stat used for per-process accounting. */
export interface PidCpu {
  /** utime+stime+cutime+cstime, µs. */
  readonly cpuUsec: number;
  readonly userUsec: number;
  readonly systemUsec: number;
  /** Field 22, clock ticks after boot: identifies the process across pid reuse. */
  readonly startTicks: number;
}

const TICK_USEC = 1_000_000 / USER_HZ;

/** Parses /proc/<pid>/stat. The comm field may hold spaces and ')': fields count from the last ')'. */
export function parsePidStat(text: string): PidCpu | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).trim().split(/\s+/);
  const n = (field: number): number => Number(f[field - 3]);
  const user = n(14) + n(16);
  const system = n(15) + n(17);
  const start = n(22);
  if (![user, system, start].every(Number.isFinite)) return undefined;
  return { cpuUsec: (user + system) * TICK_USEC, userUsec: user * TICK_USEC, systemUsec: system * TICK_USEC, startTicks: start };
}

interface Workload {
  uid: string;
  namespace: string;
  name: string;
  containers: { name: string; pid: number; startTicks?: number }[];
}

/**
 * Per-process accounting for the local driver when it cannot create cgroups (not root): the
 * driver writes `process-workloads.json` ([{uid, namespace, name, containers: [{name, pid,
 * startTicks?}]}]) and this collector reads each pid's CPU from <host-root>/proc/<pid>/stat.
 * Only the main process and children it has reaped are counted — said plainly in the README.
 */
export class ProcessWorkloadCollector {
  constructor(
    private readonly file: string,
    private readonly paths: HostPaths,
    private readonly reader: HostReader,
  ) {}

  collect(): { pods: PodCpuSample[]; readErrors: number } {
    let list: Workload[];
    try {
      const parsed = JSON.parse(this.reader.readFile(this.file)) as unknown;
      list = Array.isArray(parsed) ? (parsed as Workload[]) : [];
    } catch {
      return { pods: [], readErrors: 0 }; // not written yet: no workloads
    }
    const pods: PodCpuSample[] = [];
    let readErrors = 0;
    for (const w of list) {
      if (typeof w?.uid !== 'string' || !Array.isArray(w.containers)) continue;
      const containers = [];
      for (const c of w.containers) {
        if (!Number.isInteger(c?.pid) || c.pid <= 0) continue;
        let stat: PidCpu | undefined;
        try {
          stat = parsePidStat(this.reader.readFile(this.paths.host(`proc/${c.pid}/stat`)));
        } catch {
          continue; // exited between the driver's write and this read
        }
        if (!stat) {
          readErrors++;
          continue;
        }
        if (c.startTicks !== undefined && c.startTicks !== stat.startTicks) continue; // pid reused
        containers.push({
          id: c.name, name: c.name, cpuUsageUsec: Math.round(stat.cpuUsec), cpuThrottledUsec: 0, nrThrottled: 0, nrPeriods: 0,
          cpuUserUsec: Math.round(stat.userUsec), cpuSystemUsec: Math.round(stat.systemUsec),
        });
      }
      pods.push({ uid: w.uid, namespace: w.namespace ?? '', name: w.name ?? '', qosClass: '', cgroupPath: '', cpuUsageUsec: 0, partial: false, containers });
    }
    return { pods, readErrors };
  }
}
