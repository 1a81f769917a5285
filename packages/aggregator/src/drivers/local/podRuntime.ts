import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import type { CgroupManager } from './cgroupManager.js';
import { defaultCliBin } from './agentLauncher.js';
import { containerArgv, containerEnv, workloadPath } from './containerEnv.js';
import type { CrashLoopPolicy } from './crashLoopBackoff.js';
import { boundLogFile, DEFAULT_LOG_MAX_BYTES } from './logRotation.js';
import type { ContainerSpec } from './manifests.js';
import type { ProcessLauncher } from './processLauncher.js';
import { ContainerSupervisor, type ContainerHooks, type ContainerStatus } from './processSupervisor.js';
import { cpuSettings, podCpuSettings } from './quantity.js';
import type { ProbeRunner } from './readinessProbe.js';
import { processGroupMembers } from './procStat.js';

/** What the controller asks the runtime to run. */
export interface PodLaunch {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
  readonly containers: readonly ContainerSpec[];
}

/** A started pod. */
export interface RunningPod {
  containers(): ContainerStatus[];
  /** SIGTERM, `graceMs` (ms), SIGKILL; then removes the pod's cgroups. Resolves when nothing is left. */
  stop(graceMs: number): Promise<void>;
  /** Stops supervising without touching processes or cgroups (a simulated crash of the driver). */
  abandon(): void;
}

/** The port between the Deployment controller and processes. */
export interface PodRuntime {
  /** Starts every container of the pod; `onChange` is called whenever a container status changes. */
  start(pod: PodLaunch, onChange: () => void): RunningPod;
}

export interface LocalPodRuntimeOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly launcher: ProcessLauncher;
  readonly probes: ProbeRunner;
  readonly policy: CrashLoopPolicy;
  /** undefined = process mode (no cgroups); can be set later with useCgroups(). */
  readonly cgroups?: CgroupManager;
  /** Container logs go to `<logDir>/<namespace>_<pod>_<uid>/<container>.log`. */
  readonly logDir: string;
  /** Bound of one log file, bytes. */
  readonly logMaxBytes?: number;
  /** How often log sizes are checked, ms (default 10 s). */
  readonly logCheckIntervalMs?: number;
  /** Delete a pod's logs once it is gone (default true). */
  readonly removeLogs?: boolean;
}

/** Runs pods as real processes, in cgroups when a CgroupManager is given. */
export class LocalPodRuntime implements PodRuntime {
  private readonly live = new Set<{ files: string[] }>();
  private logTimer: TimerHandle | undefined;

  private cgroups: CgroupManager | undefined;

  constructor(private readonly opts: LocalPodRuntimeOptions) {
    this.cgroups = opts.cgroups;
  }

  /** Switches to cgroup mode (before any pod starts). */
  useCgroups(cgroups: CgroupManager | undefined): void {
    this.cgroups = cgroups;
  }

  /** Directory holding a pod's container logs. */
  podLogDir(pod: Pick<PodLaunch, 'namespace' | 'name' | 'uid'>): string {
    return join(this.opts.logDir, `${pod.namespace}_${pod.name}_${pod.uid}`);
  }

  start(pod: PodLaunch, onChange: () => void): RunningPod {
    const { clock, logger } = this.opts;
    const cgroups = this.cgroups;
    const log = logger.child({ pod: `${pod.namespace}/${pod.name}`, uid: pod.uid, node: pod.node });
    const logDir = this.podLogDir(pod);
    let podCgroup: Promise<void> | undefined;
    const ensurePod = (): Promise<void> => {
      podCgroup ??= (async () => cgroups?.createPod(pod.node, pod.uid, podCpuSettings(pod.containers)))().catch((err: unknown) => {
        podCgroup = undefined; // retried at the next (backed-off) start
        throw err;
      });
      return podCgroup;
    };
    const entry = { files: [] as string[] };
    const supervisors = pod.containers.map((c) => {
      const env = containerEnv(pod, c, workloadPath(process.execPath, defaultCliBin(), process.env.PATH));
      const logFile = join(logDir, `${c.name}.log`);
      entry.files.push(logFile);
      const hooks: ContainerHooks = cgroups
        ? {
            prepare: async () => {
              await ensurePod();
              return cgroups.createContainer(pod.node, pod.uid, c.name, cpuSettings(c.cpuRequestMilli, c.cpuLimitMilli));
            },
            killAll: (mainPid) => {
              cgroups.signal(cgroups.dirs(pod.node, pod.uid, c.name), 'SIGKILL');
              killGroup(mainPid);
            },
            anyAlive: () => cgroups.procs(cgroups.dirs(pod.node, pod.uid, c.name)).length > 0,
          }
        : {
            prepare: async () => [],
            killAll: (mainPid) => killGroup(mainPid),
            anyAlive: (mainPid) => groupAlive(mainPid),
          };
      return new ContainerSupervisor(
        { clock, launcher: this.opts.launcher, probes: this.opts.probes, policy: this.opts.policy, logger: log },
        { name: c.name, argv: containerArgv(c, env), env, cwd: c.workingDir ?? '/', logFile, ...(c.readinessProbe ? { readinessProbe: c.readinessProbe } : {}) },
        hooks,
        onChange,
      );
    });
    this.live.add(entry);
    this.ensureLogTimer();
    for (const s of supervisors) s.start();
    let stopped: Promise<void> | undefined;
    return {
      containers: () => supervisors.map((s) => s.status()),
      stop: (graceMs) => {
        stopped ??= (async () => {
          await Promise.all(supervisors.map((s) => s.stop(graceMs)));
          if (cgroups) await cgroups.removePod(pod.node, pod.uid);
          this.live.delete(entry);
          if (this.opts.removeLogs !== false) rmSync(logDir, { recursive: true, force: true });
        })();
        return stopped;
      },
      abandon: () => {
        for (const s of supervisors) s.abandon();
        this.live.delete(entry);
      },
    };
  }

  private ensureLogTimer(): void {
    if (this.logTimer) return;
    this.logTimer = this.opts.clock.setInterval(() => {
      for (const e of this.live) for (const f of e.files) boundLogFile(f, this.opts.logMaxBytes ?? DEFAULT_LOG_MAX_BYTES);
    }, this.opts.logCheckIntervalMs ?? 10_000);
  }

  /** Cancels the runtime's own timers (pods are stopped by their owners). */
  close(): void {
    this.logTimer?.cancel();
    this.logTimer = undefined;
  }
}

function killGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Zombies do not count: where nobody reaps orphans (some sandboxes' PID 1), they never go away. */
function groupAlive(pgid: number | undefined): boolean {
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return processGroupMembers(pgid).length > 0;
}
