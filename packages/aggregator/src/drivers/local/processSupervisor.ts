import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import { formatDuration } from '@hms-sys/common';
import { afterRestart, restartDelay, type CrashLoopPolicy, type CrashLoopState } from './crashLoopBackoff.js';
import { exitReason, terminatedReason, type ProcessExit } from './exitReason.js';
import type { ProbeSpec } from './manifests.js';
import type { LaunchedProcess, ProcessLauncher } from './processLauncher.js';
import type { ProbeRunner } from './readinessProbe.js';

/**
 * Keeps one container's process running: starts it, restarts it when it exits with
 * CrashLoopBackOff delays (crashLoopBackoff.ts), runs its readiness probe, and stops it
 * gracefully (SIGTERM to the main process, `graceMs`, then SIGKILL to everything it left).
 * All timing goes through the injected Clock: unit tests drive it with a ManualClock.
 */
export interface ContainerRun {
  readonly name: string;
  /** Full argv (command + args, already expanded). */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logFile: string;
  readonly readinessProbe?: ProbeSpec;
}

/** Where the container's processes live: its cgroups, or just its process group. */
export interface ContainerHooks {
  /** Creates the container's cgroups if needed; returns the `cgroup.procs` files to join ([] in process mode). */
  prepare(): Promise<string[]>;
  /** SIGKILLs every remaining process of the container (cgroup sweep / process group). */
  killAll(mainPid: number | undefined): void;
  /** Whether any process of the container is still alive. */
  anyAlive(mainPid: number | undefined): boolean;
}

export interface SupervisorDeps {
  readonly clock: Clock;
  readonly launcher: ProcessLauncher;
  readonly probes: ProbeRunner;
  readonly policy: CrashLoopPolicy;
  readonly logger: Logger;
}

/** A container's state as `get pods` and the ClusterView show it (Kubernetes ContainerStatus, reduced). */
export interface ContainerStatus {
  readonly name: string;
  readonly state: 'waiting' | 'running' | 'terminated';
  /** waiting: ContainerCreating | CrashLoopBackOff | CreateContainerError; terminated: Completed | Error | StartError. */
  readonly reason?: string;
  readonly message?: string;
  readonly ready: boolean;
  /** Times the container was restarted. */
  readonly restartCount: number;
  /** `Completed (exit 0)`, `Error (exit 1)`, `Signal SIGKILL`, … */
  readonly lastExitReason?: string;
  /** Wall ms of the last exit. */
  readonly lastExitAtMs?: number;
  /** Main process pid while running. */
  readonly pid?: number;
  /** Wall ms the current run started. */
  readonly startedAtMs?: number;
  /** True once the container has been running at least once. */
  readonly everStarted: boolean;
}

/** How long to wait for processes to die after SIGKILL before giving up, ms. */
export const KILL_WAIT_MS = 5_000;
const ALIVE_POLL_MS = 50;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class ContainerSupervisor {
  private proc: LaunchedProcess | undefined;
  private st: Mutable<ContainerStatus>;
  private backoff: CrashLoopState | undefined;
  private restartTimer: TimerHandle | undefined;
  private probeTimer: TimerHandle | undefined;
  private generation = 0;
  private stopping = false;
  private abandoned = false;
  private probeFailures = 0;
  private probeSuccesses = 0;

  constructor(
    private readonly deps: SupervisorDeps,
    private readonly run: ContainerRun,
    private readonly hooks: ContainerHooks,
    private readonly onChange: () => void,
  ) {
    this.st = { name: run.name, state: 'waiting', reason: 'ContainerCreating', ready: false, restartCount: 0, everStarted: false };
  }

  status(): ContainerStatus {
    return { ...this.st };
  }

  start(): void {
    void this.launch();
  }

  private async launch(): Promise<void> {
    if (this.stopping || this.abandoned) return;
    const gen = ++this.generation;
    let procsFiles: string[];
    try {
      procsFiles = await this.hooks.prepare();
    } catch (err) {
      if (this.stopping || this.abandoned || gen !== this.generation) return;
      this.onExit(gen, undefined, { code: null, signal: null, error: `cannot create cgroups: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    if (this.stopping || this.abandoned || gen !== this.generation) return;
    const [command, ...args] = this.run.argv;
    const proc = this.deps.launcher.launch({ command: command ?? 'false', args, env: this.run.env, cwd: this.run.cwd, logFile: this.run.logFile, cgroupProcsFiles: procsFiles });
    this.proc = proc;
    const probe = this.run.readinessProbe;
    this.probeFailures = 0;
    this.probeSuccesses = 0;
    this.st = {
      ...this.st,
      state: 'running',
      reason: undefined,
      message: undefined,
      ready: probe === undefined,
      pid: proc.pid,
      startedAtMs: this.deps.clock.now(),
      everStarted: true,
    };
    this.onChange();
    if (probe) this.scheduleProbe(gen, probe.initialDelaySeconds * 1000);
    void proc.exited.then((exit) => this.onExit(gen, proc, exit));
  }

  private onExit(gen: number, proc: LaunchedProcess | undefined, exit: ProcessExit): void {
    if (this.abandoned || gen !== this.generation) return;
    if (this.proc === proc) this.proc = undefined;
    this.probeTimer?.cancel();
    // A container ends with its main process: nothing it started may outlive it.
    this.hooks.killAll(proc?.pid);
    const reason = exitReason(exit);
    this.st = {
      ...this.st,
      state: 'terminated',
      reason: terminatedReason(exit),
      message: exit.error,
      ready: false,
      pid: undefined,
      lastExitReason: reason,
      lastExitAtMs: this.deps.clock.now(),
    };
    if (this.stopping) {
      this.onChange();
      return;
    }
    this.deps.logger.info({ container: this.run.name, exit: reason, restarts: this.st.restartCount }, 'container exited');
    const delay = restartDelay(this.backoff, this.deps.clock.monotonic(), this.deps.policy);
    if (delay <= 0) {
      this.onChange();
      this.restart();
      return;
    }
    this.st = { ...this.st, state: 'waiting', reason: 'CrashLoopBackOff', message: `back-off ${formatDuration(delay)} restarting failed container=${this.run.name}` };
    this.restartTimer = this.deps.clock.setTimeout(() => {
      this.restartTimer = undefined;
      this.restart();
    }, delay);
    this.onChange();
  }

  private restart(): void {
    if (this.stopping || this.abandoned) return;
    this.backoff = afterRestart(this.backoff, this.deps.clock.monotonic(), this.deps.policy);
    this.st = { ...this.st, restartCount: this.st.restartCount + 1, state: 'waiting', reason: 'ContainerCreating', message: undefined };
    void this.launch();
  }

  private scheduleProbe(gen: number, delayMs: number): void {
    this.probeTimer = this.deps.clock.setTimeout(() => void this.probeOnce(gen), delayMs);
  }

  private async probeOnce(gen: number): Promise<void> {
    const probe = this.run.readinessProbe;
    if (!probe || gen !== this.generation || this.stopping || this.abandoned || !this.proc) return;
    let res: { ok: boolean; message?: string };
    try {
      res = await this.deps.probes.run(probe.action, { env: this.run.env, cwd: this.run.cwd, timeoutMs: probe.timeoutSeconds * 1000 });
    } catch (err) {
      res = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    if (gen !== this.generation || this.stopping || this.abandoned || !this.proc) return;
    if (res.ok) {
      this.probeFailures = 0;
      this.probeSuccesses++;
      if (!this.st.ready && this.probeSuccesses >= probe.successThreshold) {
        this.st = { ...this.st, ready: true, message: undefined };
        this.onChange();
      }
    } else {
      this.probeSuccesses = 0;
      this.probeFailures++;
      if (this.st.ready && this.probeFailures >= probe.failureThreshold) {
        this.st = { ...this.st, ready: false, message: res.message };
        this.onChange();
      } else if (!this.st.ready && this.st.message !== res.message) {
        this.st = { ...this.st, message: res.message };
      }
    }
    this.scheduleProbe(gen, probe.periodSeconds * 1000);
  }

  /** Resolves true when `p` settles within `ms` (Clock time), false on timeout. */
  private async within(p: Promise<unknown>, ms: number): Promise<boolean> {
    const ac = new AbortController();
    let done = false;
    await Promise.race([p.then(() => { done = true; }), this.deps.clock.sleep(ms, ac.signal)]);
    ac.abort();
    return done;
  }

  /**
   * Stops for good: no more restarts; SIGTERM to the main process, SIGKILL to everything after
   * `graceMs` (ms), then waits (bounded) until no process of the container is left.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.restartTimer?.cancel();
    this.probeTimer?.cancel();
    const proc = this.proc;
    if (proc) {
      proc.signal('SIGTERM');
      if (!(await this.within(proc.exited, graceMs))) {
        this.deps.logger.info({ container: this.run.name, graceMs }, 'grace period over: SIGKILL');
        this.hooks.killAll(proc.pid);
        proc.signal('SIGKILL');
        await this.within(proc.exited, KILL_WAIT_MS);
      }
    }
    this.hooks.killAll(proc?.pid);
    for (let waited = 0; this.hooks.anyAlive(proc?.pid) && waited < KILL_WAIT_MS; waited += ALIVE_POLL_MS) {
      await this.deps.clock.sleep(ALIVE_POLL_MS);
      this.hooks.killAll(proc?.pid);
    }
    if (this.st.state !== 'terminated') this.st = { ...this.st, state: 'terminated', reason: this.st.reason ?? 'Error', ready: false, pid: undefined };
    this.generation++;
  }

  /** Forgets the container without touching its processes (what a crash of the driver leaves). */
  abandon(): void {
    this.abandoned = true;
    this.restartTimer?.cancel();
    this.probeTimer?.cancel();
  }
}
