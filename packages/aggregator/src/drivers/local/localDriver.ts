import { existsSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { availableParallelism, hostname, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireDirLock, type Clock, type DirLock, type Logger, type Random } from '@hms-sys/common';
import type { Db } from '../../store/database.js';
import type { ClusterChange, ClusterDriver, DisruptionBudget, DriverDeployment, DriverNode, DriverPod, EvictionOutcome } from '../types.js';
import type { AgentLauncher } from './agentLauncher.js';
import { describeHierarchies, detectCgroupHierarchies, type CgroupHierarchy } from './cgroupHierarchies.js';
import { assertCgroupParent, CgroupManager, probeCgroupsWritable, type CgroupProbe } from './cgroupManager.js';
import { DEFAULT_CRASH_LOOP_POLICY, type CrashLoopPolicy } from './crashLoopBackoff.js';
import { DeploymentController, type ApplyResult, type EmitFn, type LocalNode } from './deploymentController.js';
import { readOsImage, readRealBootId, syncPidLinks } from './hostRoot.js';
import { LocalStore } from './localStore.js';
import { parseManifests, type ParsedManifests } from './manifests.js';
import { NodeSupervisor, type RebootResult } from './nodeSupervisor.js';
import { randomUuid } from './podNames.js';
import { LocalPodRuntime } from './podRuntime.js';
import type { PodStatusRow } from './podStatus.js';
import { spawnProcessLauncher, type ProcessLauncher } from './processLauncher.js';
import { formatProcessWorkloads, processWorkloadsPath, writeProcessWorkloads } from './processWorkloads.js';
import { readProcStat, sameProcessAlive } from './procStat.js';
import { realProbeRunner, type ProbeRunner } from './readinessProbe.js';

/** Default cgroup parent, relative to each hierarchy root. */
export const DEFAULT_CGROUP_PARENT = 'hms-sys';
export const DEFAULT_CGROUP_ROOT = '/sys/fs/cgroup';
/** Cap on pod termination grace when the driver shuts down, ms. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface LocalDriverOptions {
  readonly db: Db;
  /** The data dir of `hms-sys up`: logs, node dirs, host roots live under it. */
  readonly dataDir: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Event sink (`pod.changed`, `deployment.changed`); the composition root binds it to the EventLog. */
  readonly emit: EmitFn;
  /** `host`: one node named after this machine; N: virtual nodes `node-1..node-N`. */
  readonly nodes: 'host' | number;
  /** Relative to each cgroup hierarchy root (default `hms-sys`). */
  readonly cgroupParent?: string;
  /** Where cgroup hierarchies are mounted (default `/sys/fs/cgroup`). */
  readonly cgroupRoot?: string;
  /** Allocatable CPU per node, millicores (default: host cores × 1000). */
  readonly nodeCpuMilli?: number;
  /** Host node name (default: the host name, lower-cased). */
  readonly hostName?: string;
  /** Starts each node's agent; none = no agents (the composition root runs them some other way). */
  readonly agentLauncher?: AgentLauncher;
  /** Simulated reboot pause, ms (default 2000). */
  readonly rebootDelayMs?: number;
  /** Request-file poll period, ms (default 500). */
  readonly requestPollMs?: number;
  /** Overrides hierarchy detection (tests). */
  readonly hierarchies?: readonly CgroupHierarchy[];
  /** Overrides the "can we create cgroups?" probe (tests: force process mode). */
  readonly cgroupsWritable?: (hierarchies: readonly CgroupHierarchy[], parent: string) => CgroupProbe;
  readonly processLauncher?: ProcessLauncher;
  readonly probeRunner?: ProbeRunner;
  readonly crashLoop?: Partial<CrashLoopPolicy>;
  /** Bound of one container log file, bytes. */
  readonly logMaxBytes?: number;
  readonly reconcileIntervalMs?: number;
  readonly shutdownGraceMs?: number;
  /** Where the cgroup-parent lock lives (default /run/hms-sys, else the temp dir). */
  readonly lockDir?: string;
}

/** How pods run: in cgroups, or as plain processes accounted through /proc. */
export interface LocalDriverMode {
  readonly mode: 'cgroup' | 'process';
  /** One line saying why, and where CPU settings take effect. */
  readonly reason: string;
}

/**
 * The local driver (SPEC §7): Deployments run as real processes, one cgroup per pod and per
 * container under `<cgroupRoot>/<hierarchy>/<cgroupParent>/<node>/<pod-uid>/<container>/`, on the
 * host node or on N virtual nodes each with its own agent, host root and cgroup subtree.
 *
 * Restart after a crash (kill -9 of `hms-sys up`) on the same data dir: Deployments, budgets,
 * cordons, boot ids and kernel releases come back from SQLite; pods do NOT — every process and
 * cgroup a previous run left (found from the stored pids and under `<cgroupParent>`) is killed and
 * removed, and the Deployment controller creates fresh pods. Restart counts start again at 0.
 *
 * Clean `stop()`: every pod is stopped (grace capped at `shutdownGraceMs`), agents stopped,
 * every cgroup under `<cgroupParent>` and the parent itself removed.
 */
export class LocalDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  private readonly store: LocalStore;
  private readonly controller: DeploymentController;
  private readonly runtime: LocalPodRuntime;
  private readonly supervisor: NodeSupervisor;
  private readonly cgroupParent: string;
  private readonly cgroupRoot: string;
  private cgroups: CgroupManager | undefined;
  private modeInfo: LocalDriverMode = { mode: 'process', reason: 'not started' };
  private isSynced = false;
  private parentLock: { lock: DirLock; dir: string } | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly lastWorkloads = new Map<string, string>();
  private startPromise: Promise<void> | undefined;
  private halted = false;

  constructor(private readonly opts: LocalDriverOptions) {
    this.cgroupParent = (opts.cgroupParent ?? DEFAULT_CGROUP_PARENT).replace(/^\/+|\/+$/g, '');
    assertCgroupParent(this.cgroupParent);
    this.cgroupRoot = opts.cgroupRoot ?? DEFAULT_CGROUP_ROOT;
    this.store = new LocalStore(opts.db, () => opts.clock.now());
    const policy: CrashLoopPolicy = { ...DEFAULT_CRASH_LOOP_POLICY, ...opts.crashLoop };
    const logger = opts.logger.child({ component: 'local-driver' });
    this.runtime = new LocalPodRuntime({
      clock: opts.clock,
      logger,
      launcher: opts.processLauncher ?? spawnProcessLauncher,
      probes: opts.probeRunner ?? realProbeRunner,
      policy,
      logDir: join(opts.dataDir, 'logs'),
      ...(opts.logMaxBytes !== undefined ? { logMaxBytes: opts.logMaxBytes } : {}),
    });
    this.controller = new DeploymentController({
      clock: opts.clock,
      random: opts.random,
      logger,
      store: this.store,
      runtime: this.runtime,
      emit: opts.emit,
      ...(opts.reconcileIntervalMs !== undefined ? { reconcileIntervalMs: opts.reconcileIntervalMs } : {}),
      startTicksOf: (pid) => readProcStat(pid)?.startTicks,
    });
    this.supervisor = new NodeSupervisor({
      clock: opts.clock,
      random: opts.random,
      logger,
      dataDir: opts.dataDir,
      cgroupParent: this.cgroupParent,
      cgroupRoot: this.cgroupRoot,
      host: this.controller,
      ...(opts.agentLauncher ? { launcher: opts.agentLauncher } : {}),
      ...(opts.rebootDelayMs !== undefined ? { rebootDelayMs: opts.rebootDelayMs } : {}),
      ...(opts.requestPollMs !== undefined ? { requestPollMs: opts.requestPollMs } : {}),
    });
  }

  private get log(): Logger {
    return this.opts.logger;
  }

  /** cgroup or process mode, with the reason (valid after start). */
  mode(): LocalDriverMode {
    return this.modeInfo;
  }

  start(): Promise<void> {
    this.startPromise ??= this.doStart().catch((err: unknown) => {
      this.releaseParentLock();
      throw err;
    });
    return this.startPromise;
  }

  private async doStart(): Promise<void> {
    const { opts } = this;
    mkdirSync(opts.dataDir, { recursive: true });
    // 1. cgroup or process mode
    const hierarchies = opts.hierarchies ?? detectCgroupHierarchies(this.cgroupRoot);
    const probe = (opts.cgroupsWritable ?? ((h, p) => probeCgroupsWritable(h, p, this.cgroupRoot)))(hierarchies, this.cgroupParent);
    if (probe.writable) {
      this.parentLock = this.lockParent();
      const cg = new CgroupManager({ hierarchies, parent: this.cgroupParent, logger: this.log.child({ component: 'cgroups' }), clock: opts.clock });
      cg.init();
      this.cgroups = cg;
      this.runtime.useCgroups(cg);
      this.modeInfo = { mode: 'cgroup', reason: `pods run in cgroups under ${this.cgroupParent} (${describeHierarchies(hierarchies)}); CPU requests/limits: ${cg.cpuControl()}` };
    } else {
      this.modeInfo = { mode: 'process', reason: `${probe.reason}; pods run as plain processes, CPU accounted per process from /proc (process-workloads.json)` };
    }
    this.log.info({ mode: this.modeInfo.mode, reason: this.modeInfo.reason }, `local driver: ${this.modeInfo.mode} mode`);

    // 2. stored state, and what a previous run left behind
    this.controller.load();
    await this.cleanUpLeftovers();

    // 3. nodes
    const nodes = this.buildNodes();
    this.store.deleteNodesExcept(nodes.map((n) => n.name));
    for (const n of nodes) {
      this.controller.setNode(n);
      this.cgroups?.ensureNode(n.name);
      rmSync(processWorkloadsPath(opts.dataDir, n.name), { force: true });
    }
    if (this.modeInfo.mode === 'process') {
      this.unsubscribe = this.controller.onChange((what) => {
        if (what === 'pods') this.writeProcessWorkloads();
      });
      this.writeProcessWorkloads();
    }
    await this.supervisor.start(nodes);

    // 4. run
    this.controller.start();
    this.isSynced = true;
  }

  private lockParent(): { lock: DirLock; dir: string } {
    const base = this.opts.lockDir ?? (existsSync('/run') ? '/run/hms-sys' : join(tmpdir(), 'hms-sys'));
    const dir = join(base, 'cgroup-parents', this.cgroupParent.replace(/[^A-Za-z0-9._-]/g, '_'));
    return { lock: acquireDirLock(dir, `cgroup parent "${this.cgroupParent}" (pass a different cgroup parent to run two hms-sys up at once)`), dir };
  }

  /**
   * Kills every process of a previous run (stored pids, checked against their start time so a
   * recycled pid is never hit) and removes every cgroup under the parent, then forgets the stored
   * pods: the controller recreates them from the Deployments.
   */
  private async cleanUpLeftovers(): Promise<void> {
    const stored = this.store.loadPods();
    let killed = 0;
    for (const pod of stored) {
      for (const p of pod.pids) {
        if (p.pid === process.pid || !sameProcessAlive(p.pid, p.startTicks)) continue;
        for (const target of [-p.pid, p.pid]) {
          try {
            process.kill(target, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        killed++;
      }
    }
    let cgroupsLeft = 0;
    if (this.cgroups) {
      cgroupsLeft = this.cgroups.listPods().length;
      await this.cgroups.removeAll(false);
    }
    this.store.deleteAllPods();
    rmSync(join(this.opts.dataDir, 'logs'), { recursive: true, force: true });
    if (stored.length || killed || cgroupsLeft) {
      this.log.warn({ pods: stored.length, processesKilled: killed, podCgroups: cgroupsLeft }, 'cleaned up pods left by a previous run; their Deployments will recreate them');
    }
  }

  private buildNodes(): LocalNode[] {
    const { opts } = this;
    const stored = new Map(this.store.loadNodes().map((n) => [n.name, n]));
    const cpu = opts.nodeCpuMilli ?? availableParallelism() * 1000;
    const osImage = readOsImage();
    if (opts.nodes === 'host') {
      const name = (opts.hostName ?? hostname()).toLowerCase();
      return [
        {
          name,
          virtual: false,
          allocatableCpuMilli: cpu,
          unschedulable: stored.get(name)?.unschedulable ?? false,
          ready: true,
          bootId: readRealBootId(),
          kernelVersion: release(),
          osImage,
          labels: { 'kubernetes.io/hostname': name, 'hms-sys.io/virtual': 'false' },
        },
      ];
    }
    const out: LocalNode[] = [];
    for (let i = 1; i <= opts.nodes; i++) {
      const name = `node-${i}`;
      const s = stored.get(name);
      out.push({
        name,
        virtual: true,
        allocatableCpuMilli: cpu,
        unschedulable: s?.unschedulable ?? false,
        ready: true,
        bootId: s?.virtual && s.bootId ? s.bootId : randomUuid(opts.random),
        kernelVersion: s?.virtual && s.kernelRelease ? s.kernelRelease : release(),
        ...(s?.pendingKernelRelease ? { pendingKernelRelease: s.pendingKernelRelease } : {}),
        osImage,
        labels: { 'kubernetes.io/hostname': name, 'hms-sys.io/virtual': 'true' },
      });
    }
    return out;
  }

  private writeProcessWorkloads(): void {
    const byNode = new Map<string, { uid: string; namespace: string; name: string; containers: { name: string; pid: number; startTicks?: number }[] }[]>();
    for (const n of this.controller.localNodes()) byNode.set(n.name, []);
    for (const p of this.controller.podProcesses()) byNode.get(p.node)?.push({ uid: p.uid, namespace: p.namespace, name: p.name, containers: p.containers });
    for (const [node, pods] of byNode) {
      const text = formatProcessWorkloads(pods);
      if (this.lastWorkloads.get(node) === text) continue;
      this.lastWorkloads.set(node, text);
      try {
        writeProcessWorkloads(processWorkloadsPath(this.opts.dataDir, node), pods);
        const n = this.controller.node(node);
        if (n?.virtual) syncPidLinks(this.supervisor.hostRoot(n), pods.flatMap((p) => p.containers.map((c) => c.pid)));
      } catch (err) {
        this.log.error({ err, node }, 'cannot write the process-workloads file');
      }
    }
  }

  /** Stops every pod and agent and removes every cgroup under the parent. */
  async stop(): Promise<void> {
    if (this.halted) return; // its processes belong to whoever starts next on this data dir
    if (this.startPromise) await this.startPromise.catch(() => undefined);
    this.isSynced = false;
    await this.controller.stop(this.opts.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
    await this.supervisor.stop();
    this.unsubscribe?.();
    this.runtime.close();
    if (this.cgroups) await this.cgroups.removeAll(true);
    for (const n of this.controller.localNodes()) rmSync(processWorkloadsPath(this.opts.dataDir, n.name), { force: true });
    this.releaseParentLock();
  }

  /**
   * Simulates a crash of `hms-sys up` (kill -9) for tests: stops every timer and forgets every
   * process WITHOUT stopping pods or agents or removing cgroups. The instance is unusable afterwards.
   */
  halt(): void {
    this.halted = true;
    this.isSynced = false;
    this.controller.halt();
    this.supervisor.halt();
    this.unsubscribe?.();
    this.runtime.close();
  }

  private releaseParentLock(): void {
    if (!this.parentLock) return;
    this.parentLock.lock.release();
    try {
      rmdirSync(this.parentLock.dir);
    } catch {
      /* not empty or gone */
    }
    this.parentLock = undefined;
  }

  // ---- what the CLI and API expose -----------------------------------------------------------

  /** Applies manifests (YAML/JSON text, or already parsed). */
  apply(manifests: string | ParsedManifests): { results: ApplyResult[]; warnings: readonly string[] } {
    const parsed = typeof manifests === 'string' ? parseManifests(manifests) : manifests;
    return { results: this.controller.apply(parsed), warnings: parsed.warnings };
  }

  deleteDeployment(namespace: string, name: string): { pods: number } {
    return this.controller.deleteDeployment(namespace, name);
  }

  deleteDisruptionBudget(namespace: string, name: string): void {
    this.controller.deleteBudget(namespace, name);
  }

  /** Rows for `hms-sys get pods`. */
  listPodStatuses(): PodStatusRow[] {
    return this.controller.listPodStatuses();
  }

  /** Simulated reboot of a virtual node (refused for the host node). */
  simulateReboot(node: string): Promise<RebootResult> {
    return this.supervisor.simulateReboot(node);
  }

  /** Stages a simulated kernel patch on a virtual node (active after its next simulated reboot). */
  applyKernelPatch(node: string): { node: string; from: string; to: string } {
    return this.supervisor.applyKernelPatch(node);
  }

  /** `<dataDir>/nodes/<node>`: host root, state dir, agent log, request files. */
  nodeDir(node: string): string {
    return this.supervisor.nodeDir(node);
  }

  /** Pid of a node's agent when this driver runs agents. */
  agentPid(node: string): number | undefined {
    return this.supervisor.agentPid(node);
  }

  /** The cgroup directories of a pod's container, one per hierarchy ([] in process mode). */
  containerCgroupDirs(node: string, uid: string, container: string): string[] {
    return this.cgroups?.dirs(node, uid, container) ?? [];
  }

  /** Every cgroup directory named after this driver's parent (for checks that nothing is left). */
  cgroupParentDirs(): string[] {
    return this.cgroups?.hierarchies.map((h) => join(h.mountPoint, this.cgroupParent)) ?? [];
  }

  // ---- ClusterDriver -------------------------------------------------------------------------

  nodes(): readonly DriverNode[] {
    return this.controller.nodes();
  }
  pods(): readonly DriverPod[] {
    return this.controller.pods();
  }
  deployments(): readonly DriverDeployment[] {
    return this.controller.deployments();
  }
  disruptionBudgets(): readonly DisruptionBudget[] {
    return this.controller.disruptionBudgets();
  }
  synced(): boolean {
    return this.isSynced;
  }
  scale(namespace: string, name: string, replicas: number): Promise<void> {
    return this.controller.scale(namespace, name, replicas);
  }
  cordon(node: string): Promise<{ alreadyCordoned: boolean }> {
    return this.controller.cordon(node);
  }
  uncordon(node: string): Promise<void> {
    return this.controller.uncordon(node);
  }
  evict(pod: { namespace: string; name: string; uid: string; node: string }, opts?: { gracePeriodSeconds?: number }): Promise<EvictionOutcome> {
    return this.controller.evict(pod, opts);
  }
  onChange(listener: (what: ClusterChange) => void): () => void {
    return this.controller.onChange(listener);
  }
}
