import type { ContainerStatus } from './processSupervisor.js';

/**
 * What `hms-sys get pods` shows for a local pod (kubectl columns plus LAST-EXIT and CPU-REQUEST):
 * NAMESPACE NAME READY STATUS RESTARTS LAST-EXIT NODE CPU-REQUEST AGE.
 */
export interface PodStatusRow {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly deployment: string;
  /** `ready/total` containers, e.g. `1/1`. */
  readonly ready: string;
  /** Running, Pending, ContainerCreating, CrashLoopBackOff, Error, Completed, Terminating. */
  readonly status: string;
  /** Restarts summed over containers. */
  readonly restarts: number;
  /** Last container exit, e.g. `Error (exit 3)`; `-` when none. */
  readonly lastExit: string;
  /** Node name, `<none>` while unscheduled. */
  readonly node: string;
  /** Summed CPU request, e.g. `250m`; `-` when none. */
  readonly cpuRequest: string;
  /** kubectl-style age, e.g. `45s`, `5m`, `2d`. */
  readonly age: string;
  readonly createdMs: number;
  /** Why the pod is not running (Pending: the scheduler's message; back-off: the restart message). */
  readonly message?: string;
  /** Main pids of running containers. */
  readonly pids: readonly number[];
}

/** kubectl STATUS for a scheduled pod: the first container that is not running says why; else Running. Pure. */
export function podStatusText(containers: readonly ContainerStatus[]): string {
  let status = 'Running';
  for (const c of containers) {
    if (c.state === 'waiting' && c.reason) status = c.reason;
    else if (c.state === 'terminated' && c.reason) status = c.reason;
  }
  return status;
}

/** kubectl's HumanDuration for ages. Pure. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  const d = Math.floor(h / 24);
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return `${d}d`;
}
