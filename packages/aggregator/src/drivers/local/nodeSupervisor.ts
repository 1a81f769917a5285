import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { backoffDelay, hmsError, type Clock, type Logger, type Random, type TimerHandle } from '@hms-sys/common';
import type { AgentHandle, AgentLauncher, AgentLaunchSpec } from './agentLauncher.js';
import type { LocalNode } from './deploymentController.js';
import { bumpKernelRelease, prepareHostRoot, writeAtomic, writeBootId, writeKernelRelease } from './hostRoot.js';
import { randomUuid } from './podNames.js';
import { processWorkloadsPath } from './processWorkloads.js';
import { readProcStat, sameProcessAlive } from './procStat.js';

/**
 * Runs each node's agent and, for virtual nodes, plays the machine around it:
 *   `<dataDir>/nodes/<node>/host/`   the node's host root (hostRoot.ts)
 *   `<dataDir>/nodes/<node>/state/`  the agent's --state-dir
 *   `<dataDir>/nodes/<node>/agent.log`, `agent.pid` ({pid, startTicks}: lets the next run kill an
 *                                    agent orphaned by a kill -9 of `hms-sys up`)
 *   `<dataDir>/nodes/<node>/reboot-requested`, `kernel-patch-requested`: request files (below)
 *
 * A simulated reboot of X: X goes NotReady; its pods are stopped (a reboot kills them; the
 * patch orchestrator drains first) and replaced elsewhere by the Deployment controller; X's agent is
 * SIGKILLed; after `rebootDelayMs` X "boots": a new random boot id (and a kernel release staged by
 * a simulated patch) is written into X's host root, the agent starts again and X is Ready. (A
 * crash of `hms-sys up` while X is down leaves X on its old boot id: it never booted.)
 *
 * Request files: any process (the agent's configured reboot command, or
 * `hms-sys local reboot`) asks for a reboot by creating `reboot-requested` (content ignored) in
 * the node's dir; the supervisor polls every `requestPollMs`, claims the file by renaming it, and
 * reboots. `kernel-patch-requested` likewise stages a kernel patch (handled before a reboot
 * requested at the same time). The real machine's boot and packages are never touched.
 *
 * Like a real boot, a simulated reboot empties the node's `var/run` and `run` (tmpfs), so a
 * `reboot-required` sentinel written by a (simulated) kernel patch is gone afterwards. A
 * `reboot-requested` left by a previous run of `hms-sys up` (killed mid-reboot) is dropped at
 * start: the machine it asked to go down is gone, and the agent re-issues the reboot itself
 * (once) when its command still needs it. `stay-down` in the node's dir simulates a node that
 * does not come back: while it exists, a simulated reboot keeps the node powered off (NotReady,
 * no agent); removing it lets the node boot. `hold-reboot` simulates a machine slow to go down
 * (`shutdown -r +N`): while it exists, reboot requests of that node wait, unclaimed.
 */

/** The controller side the supervisor needs (a port: the DeploymentController implements it). */
export interface NodeHost {
  node(name: string): LocalNode | undefined;
  updateNode(name: string, patch: Partial<Omit<LocalNode, 'name' | 'virtual'>>): LocalNode;
  deleteNodePods(node: string, maxGraceMs: number, why: string): Promise<number>;
}

export interface NodeSupervisorOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  readonly dataDir: string;
  readonly cgroupParent: string;
  readonly cgroupRoot: string;
  readonly host: NodeHost;
  readonly launcher?: AgentLauncher;
  /** Pause between "power off" and "agent up again", ms (default 2000). */
  readonly rebootDelayMs?: number;
  /** Request-file poll period, ms (default 500). */
  readonly requestPollMs?: number;
  /** Cap on the pods' termination grace during a reboot, ms (default 30 s). */
  readonly rebootPodGraceMs?: number;
  /** Agent restart back-off base / cap, ms (default 1 s / 30 s, full jitter). */
  readonly agentRestartBaseMs?: number;
  readonly agentRestartMaxMs?: number;
}

export const REBOOT_REQUEST_FILE = 'reboot-requested';
export const KERNEL_PATCH_REQUEST_FILE = 'kernel-patch-requested';
/** While this file exists in a node's dir, a simulated reboot does not come back (a failed boot). */
export const STAY_DOWN_FILE = 'stay-down';
/** While this file exists in a node's dir, its reboot requests are not taken (the machine has not gone down yet). */
export const HOLD_REBOOT_FILE = 'hold-reboot';
/** Volatile dirs of a host root a boot starts empty (tmpfs on a real machine). */
const VOLATILE_DIRS = ['var/run', 'run'];

/** The dir of one node under the data dir. */
export function nodeDir(dataDir: string, node: string): string {
  return join(dataDir, 'nodes', node);
}

/** Asks a running `hms-sys up --nodes N --simulate-reboots` to reboot `node` (what the agent's reboot command does). */
export function requestSimulatedReboot(dataDir: string, node: string, note = ''): string {
  const file = join(nodeDir(dataDir, node), REBOOT_REQUEST_FILE);
  writeAtomic(file, `${note}\n`);
  return file;
}

/** Asks for a simulated kernel patch of `node` (active after its next simulated reboot). */
export function requestSimulatedKernelPatch(dataDir: string, node: string, note = ''): string {
  const file = join(nodeDir(dataDir, node), KERNEL_PATCH_REQUEST_FILE);
  writeAtomic(file, `${note}\n`);
  return file;
}

export interface RebootResult {
  readonly node: string;
  readonly previousBootId: string;
  readonly bootId: string;
  readonly kernelVersion: string;
  /** Pods that were running on the node and were stopped. */
  readonly podsStopped: number;
}

interface AgentSlot {
  handle?: AgentHandle;
  attempt: number;
  startedMono: number;
  expectedExit: boolean;
  restartTimer?: TimerHandle;
}

export class NodeSupervisor {
  private readonly slots = new Map<string, AgentSlot>();
  private readonly reboots = new Map<string, Promise<RebootResult>>();
  private pollTimer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly opts: NodeSupervisorOptions) {}

  nodeDir(node: string): string {
    return nodeDir(this.opts.dataDir, node);
  }

  hostRoot(node: LocalNode): string {
    return node.virtual ? join(this.nodeDir(node.name), 'host') : '/';
  }

  /** Prepares host roots, kills agents orphaned by a previous run, starts one agent per node. */
  async start(nodes: readonly LocalNode[]): Promise<void> {
    this.running = true;
    for (const n of nodes) {
      mkdirSync(join(this.nodeDir(n.name), 'state'), { recursive: true });
      if (n.virtual) {
        prepareHostRoot(this.hostRoot(n), { bootId: n.bootId ?? '', kernelRelease: n.kernelVersion ?? '' }, { cgroupRoot: this.opts.cgroupRoot });
        if (claim(join(this.nodeDir(n.name), REBOOT_REQUEST_FILE))) {
          this.opts.logger.warn({ node: n.name }, 'dropped a reboot request left by a previous run (the agent re-issues it if its command still needs a reboot)');
        }
      }
      await this.killStaleAgent(n.name);
      this.startAgent(n.name);
    }
    this.pollTimer = this.opts.clock.setInterval(() => this.pollRequests(nodes), this.opts.requestPollMs ?? 500);
  }

  /** Stops every agent (SIGTERM, then SIGKILL). */
  async stop(): Promise<void> {
    this.running = false;
    this.pollTimer?.cancel();
    await Promise.allSettled([...this.reboots.values()]);
    const stops: Promise<void>[] = [];
    for (const [node, slot] of this.slots) {
      slot.restartTimer?.cancel();
      slot.expectedExit = true;
      if (slot.handle) stops.push(slot.handle.stop());
      rmSync(this.agentPidFile(node), { force: true });
    }
    await Promise.all(stops);
  }

  /** Stops timers only, leaving agents running (a simulated crash of `hms-sys up`; tests). */
  halt(): void {
    this.running = false;
    this.pollTimer?.cancel();
    for (const slot of this.slots.values()) {
      slot.restartTimer?.cancel();
      slot.expectedExit = true;
    }
  }

  /** Pid of a node's agent, if running. */
  agentPid(node: string): number | undefined {
    return this.slots.get(node)?.handle?.pid;
  }

  private agentPidFile(node: string): string {
    return join(this.nodeDir(node), 'agent.pid');
  }

  private async killStaleAgent(node: string): Promise<void> {
    const file = this.agentPidFile(node);
    let rec: { pid?: unknown; startTicks?: unknown };
    try {
      rec = JSON.parse(readFileSync(file, 'utf8')) as typeof rec;
    } catch {
      return;
    }
    const pid = typeof rec.pid === 'number' ? rec.pid : undefined;
    const ticks = typeof rec.startTicks === 'number' ? rec.startTicks : undefined;
    if (pid !== undefined && pid !== process.pid && ticks !== undefined && sameProcessAlive(pid, ticks)) {
      this.opts.logger.info({ node, pid }, 'killing an agent left by a previous run');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      for (let i = 0; i < 100 && sameProcessAlive(pid, ticks); i++) await this.opts.clock.sleep(20);
    }
    rmSync(file, { force: true });
  }

  private spec(name: string): AgentLaunchSpec | undefined {
    const node = this.opts.host.node(name);
    if (!node) return undefined;
    const dir = this.nodeDir(name);
    return {
      node: name,
      hostRoot: this.hostRoot(node),
      stateDir: join(dir, 'state'),
      workloadParent: `${this.opts.cgroupParent}/${name}`,
      cgroupRoot: this.opts.cgroupRoot,
      logFile: join(dir, 'agent.log'),
      rebootRequestFile: join(dir, REBOOT_REQUEST_FILE),
      kernelPatchRequestFile: join(dir, KERNEL_PATCH_REQUEST_FILE),
      processWorkloadsFile: processWorkloadsPath(this.opts.dataDir, name),
    };
  }

  private startAgent(name: string): void {
    const launcher = this.opts.launcher;
    if (!launcher || !this.running) return;
    const spec = this.spec(name);
    if (!spec) return;
    const slot: AgentSlot = this.slots.get(name) ?? { attempt: 0, startedMono: 0, expectedExit: false };
    this.slots.set(name, slot);
    slot.expectedExit = false;
    slot.startedMono = this.opts.clock.monotonic();
    const handle = launcher.start(spec);
    slot.handle = handle;
    if (handle.pid !== undefined) {
      const ticks = readProcStat(handle.pid)?.startTicks;
      writeAtomic(this.agentPidFile(name), JSON.stringify({ pid: handle.pid, ...(ticks !== undefined ? { startTicks: ticks } : {}) }) + '\n');
    }
    this.opts.logger.info({ node: name, pid: handle.pid, hostRoot: spec.hostRoot }, 'agent started');
    void handle.exited.then((exit) => {
      if (slot.handle !== handle) return;
      slot.handle = undefined;
      if (slot.expectedExit || !this.running) return;
      if (this.opts.clock.monotonic() - slot.startedMono > 60_000) slot.attempt = 0;
      const delay = Math.max(200, backoffDelay(slot.attempt++, this.opts.agentRestartBaseMs ?? 1000, this.opts.agentRestartMaxMs ?? 30_000, this.opts.random));
      this.opts.logger.warn({ node: name, code: exit.code, signal: exit.signal, restartInMs: delay }, 'agent exited unexpectedly; restarting');
      slot.restartTimer = this.opts.clock.setTimeout(() => {
        slot.restartTimer = undefined;
        this.startAgent(name);
      }, delay);
    });
  }

  private pollRequests(nodes: readonly LocalNode[]): void {
    for (const n of nodes) {
      if (!n.virtual) continue;
      const dir = this.nodeDir(n.name);
      if (claim(join(dir, KERNEL_PATCH_REQUEST_FILE))) {
        try {
          this.applyKernelPatch(n.name);
        } catch (err) {
          this.opts.logger.error({ err, node: n.name }, 'simulated kernel patch failed');
        }
      }
      if (!existsSync(join(dir, HOLD_REBOOT_FILE)) && claim(join(dir, REBOOT_REQUEST_FILE))) {
        this.simulateReboot(n.name).catch((err: unknown) => this.opts.logger.error({ err, node: n.name }, 'simulated reboot failed'));
      }
    }
  }

  private requireVirtual(name: string, what: string): LocalNode {
    const node = this.opts.host.node(name);
    if (!node) throw hmsError('HMS_NOT_FOUND', `no node ${name}`);
    if (!node.virtual) throw hmsError('HMS_UNSUPPORTED', `refusing to ${what} ${name}: it is the real machine; simulated ${what}s are for virtual nodes (hms-sys up --nodes N --simulate-reboots)`);
    return node;
  }

  /**
   * Stages a kernel patch on a virtual node: the release it will boot next is the current one
   * bumped (`+hms1`, `+hms2`, …). Like a real kernel package, it takes effect at the next reboot.
   */
  applyKernelPatch(name: string): { node: string; from: string; to: string } {
    const node = this.requireVirtual(name, 'patch');
    const from = node.kernelVersion ?? '';
    const to = bumpKernelRelease(node.pendingKernelRelease ?? from);
    this.opts.host.updateNode(name, { pendingKernelRelease: to });
    this.opts.logger.info({ node: name, from, to }, 'simulated kernel patch installed; active after the next simulated reboot');
    return { node: name, from, to };
  }

  /** Simulated reboot of a virtual node (see the file comment). Concurrent calls share one reboot. */
  simulateReboot(name: string): Promise<RebootResult> {
    this.requireVirtual(name, 'reboot');
    const inFlight = this.reboots.get(name);
    if (inFlight) return inFlight;
    const p = this.reboot(name).finally(() => this.reboots.delete(name));
    this.reboots.set(name, p);
    return p;
  }

  private async reboot(name: string): Promise<RebootResult> {
    const { host, logger, clock } = this.opts;
    const before = this.requireVirtual(name, 'reboot');
    const previousBootId = before.bootId ?? '';
    logger.info({ node: name }, 'simulated reboot: stopping pods and agent');
    host.updateNode(name, { ready: false });
    const podsStopped = await host.deleteNodePods(name, this.opts.rebootPodGraceMs ?? 30_000, 'node reboot');
    const slot = this.slots.get(name);
    if (slot) {
      slot.restartTimer?.cancel();
      slot.expectedExit = true;
      const h = slot.handle;
      if (h) {
        h.kill();
        const ac = new AbortController();
        await Promise.race([h.exited, clock.sleep(10_000, ac.signal)]);
        ac.abort();
      }
    }
    // Powered off: the machine stays down rebootDelayMs (or, with stay-down, until the file goes).
    await clock.sleep(this.opts.rebootDelayMs ?? 2000);
    const stayDown = join(this.nodeDir(name), STAY_DOWN_FILE);
    if (existsSync(stayDown)) {
      logger.warn({ node: name, file: stayDown }, 'simulated boot failure: the node stays down until the file is removed');
      while (this.running && existsSync(stayDown)) await clock.sleep(this.opts.requestPollMs ?? 500);
    }
    // It boots: a new boot id, the staged kernel, empty volatile dirs.
    const bootId = randomUuid(this.opts.random);
    const current = host.node(name) ?? before;
    const kernelVersion = current.pendingKernelRelease ?? current.kernelVersion ?? '';
    const root = this.hostRoot(current);
    writeBootId(root, bootId);
    writeKernelRelease(root, kernelVersion);
    for (const dir of VOLATILE_DIRS) rmSync(join(root, dir), { recursive: true, force: true });
    host.updateNode(name, { bootId, kernelVersion, pendingKernelRelease: undefined });
    if (this.running) this.startAgent(name);
    host.updateNode(name, { ready: true });
    logger.info({ node: name, previousBootId, bootId, kernelVersion, podsStopped }, 'simulated reboot done');
    return { node: name, previousBootId, bootId, kernelVersion, podsStopped };
  }
}

/** Atomically takes a request file; true when this call got it. */
function claim(file: string): boolean {
  if (!existsSync(file)) return false;
  const taken = `${file}.taken-${process.pid}`;
  try {
    renameSync(file, taken);
  } catch {
    return false;
  }
  rmSync(taken, { force: true });
  return true;
}
