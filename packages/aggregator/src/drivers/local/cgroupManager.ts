import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, errorMessage, hmsError, type Clock, type Logger } from '@hms-sys/common';
import type { CgroupHierarchy } from './cgroupHierarchies.js';
import type { CgroupCpuSettings } from './quantity.js';

/**
 * Creates, fills, empties and removes the local driver's cgroups:
 *   `<hierarchy>/<parent>/<node>/<pod-uid>/<container-name>/`
 * in every CPU-relevant hierarchy (v1 cpu / cpuacct / cpu,cpuacct, and v2). Processes only ever
 * live in container cgroups, so v2's "no internal processes" rule never bites.
 *
 * CPU settings are written where a controller is available — v1 `cpu.shares`,
 * `cpu.cfs_period_us`, `cpu.cfs_quota_us`; v2 `cpu.weight`, `cpu.max` only when the cpu controller
 * could be enabled down the parent chain (`+cpu` in each `cgroup.subtree_control`). When it cannot,
 * usage is still accounted (v2 `cpu.stat` exists without the controller) and one log line says so.
 * Writing settings never fails the pod.
 */
export interface CgroupManagerOptions {
  readonly hierarchies: readonly CgroupHierarchy[];
  /** Path relative to each hierarchy root, e.g. `hms-sys`. */
  readonly parent: string;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** Upper bound for emptying and removing a cgroup tree, ms. */
export const CGROUP_REMOVE_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

export class CgroupManager {
  readonly hierarchies: readonly CgroupHierarchy[];
  readonly parent: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private v2CpuEnabled = false;
  private readonly warned = new Set<string>();

  constructor(opts: CgroupManagerOptions) {
    assertCgroupParent(opts.parent);
    this.hierarchies = opts.hierarchies;
    this.parent = opts.parent;
    this.logger = opts.logger;
    this.clock = opts.clock;
  }

  /** Where CPU requests/limits take effect: a short phrase for logs and `mode` reasons. */
  cpuControl(): string {
    const v1 = this.hierarchies.some((h) => h.version === 1 && h.controllers.includes('cpu'));
    const parts: string[] = [];
    if (v1) parts.push('v1 cpu.shares/cfs_quota');
    if (this.v2CpuEnabled) parts.push('v2 cpu.weight/cpu.max');
    return parts.length ? parts.join(' + ') : 'none (usage accounted, requests/limits not enforced)';
  }

  /** Creates `<parent>` in every hierarchy and enables the v2 cpu controller where available. */
  init(): void {
    for (const h of this.hierarchies) mkdirSync(join(h.mountPoint, this.parent), { recursive: true });
    const v2 = this.hierarchies.find((h) => h.version === 2);
    if (v2) {
      if (!v2.controllers.includes('cpu')) {
        this.logger.info({ hierarchy: v2.mountPoint }, 'cgroup v2: cpu controller not available in this tree (bound to v1 or disabled); cpu.weight/cpu.max not set there, usage still accounted');
      } else {
        this.v2CpuEnabled = this.enableV2Cpu(v2.mountPoint, ['', this.parent]);
        if (!this.v2CpuEnabled) this.logger.warn({ hierarchy: v2.mountPoint }, 'cgroup v2: could not enable the cpu controller for the workload subtree; cpu.weight/cpu.max not set');
      }
    }
    this.logger.info({ parent: this.parent, cpuControl: this.cpuControl() }, 'cgroups ready');
  }

  /** Enables `+cpu` in `cgroup.subtree_control` of each dir (relative to the v2 root) in order. */
  private enableV2Cpu(root: string, rels: readonly string[]): boolean {
    for (const rel of rels) {
      const dir = join(root, rel);
      try {
        const available = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').split(/\s+/);
        if (!available.includes('cpu')) return false;
        const enabled = readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/);
        if (!enabled.includes('cpu')) writeFileSync(join(dir, 'cgroup.subtree_control'), '+cpu');
      } catch (err) {
        this.warnOnce(`v2cpu:${rel}`, { dir, err: errorMessage(err) }, 'cgroup v2: cannot enable the cpu controller');
        return false;
      }
    }
    return true;
  }

  /** Relative path of a node / pod / container cgroup under each hierarchy root. */
  rel(node: string, uid?: string, container?: string): string {
    return join(this.parent, node, ...(uid === undefined ? [] : [uid]), ...(container === undefined ? [] : [container]));
  }

  /** The absolute directories of one cgroup, one per hierarchy. */
  dirs(node: string, uid?: string, container?: string): string[] {
    const rel = this.rel(node, uid, container);
    return this.hierarchies.map((h) => join(h.mountPoint, rel));
  }

  /** `<parent>/<node>` in every hierarchy. */
  ensureNode(node: string): void {
    for (const d of this.dirs(node)) mkdirSync(d, { recursive: true });
    const v2 = this.hierarchies.find((h) => h.version === 2);
    if (v2 && this.v2CpuEnabled) this.enableV2Cpu(v2.mountPoint, [this.rel(node)]);
  }

  /** Creates the pod cgroup and writes its CPU settings. */
  createPod(node: string, uid: string, cpu: CgroupCpuSettings): void {
    this.ensureNode(node);
    for (const d of this.dirs(node, uid)) mkdirSync(d, { recursive: true });
    this.applyCpu(node, uid, undefined, cpu);
    const v2 = this.hierarchies.find((h) => h.version === 2);
    if (v2 && this.v2CpuEnabled) this.enableV2Cpu(v2.mountPoint, [this.rel(node, uid)]);
  }

  /** Creates a container cgroup (pod first), writes its CPU settings, returns its `cgroup.procs` files. */
  createContainer(node: string, uid: string, name: string, cpu: CgroupCpuSettings): string[] {
    const dirs = this.dirs(node, uid, name);
    for (const d of dirs) mkdirSync(d, { recursive: true });
    this.applyCpu(node, uid, name, cpu);
    return dirs.map((d) => join(d, 'cgroup.procs'));
  }

  private applyCpu(node: string, uid: string, container: string | undefined, cpu: CgroupCpuSettings): void {
    const rel = this.rel(node, uid, container);
    for (const h of this.hierarchies) {
      const dir = join(h.mountPoint, rel);
      if (h.version === 1 && h.controllers.includes('cpu')) {
        this.write(dir, 'cpu.shares', String(cpu.shares));
        this.write(dir, 'cpu.cfs_period_us', String(cpu.periodUsec));
        this.write(dir, 'cpu.cfs_quota_us', String(cpu.quotaUsec ?? -1));
      } else if (h.version === 2 && this.v2CpuEnabled) {
        this.write(dir, 'cpu.weight', String(cpu.weight));
        this.write(dir, 'cpu.max', `${cpu.quotaUsec ?? 'max'} ${cpu.periodUsec}`);
      }
    }
  }

  private write(dir: string, file: string, value: string): void {
    try {
      writeFileSync(join(dir, file), value);
    } catch (err) {
      this.warnOnce(`write:${file}:${errnoCode(err) ?? ''}`, { file: join(dir, file), value, err: errorMessage(err) }, 'cannot write a cgroup CPU setting; continuing without it');
    }
  }

  private warnOnce(key: string, fields: Record<string, unknown>, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.logger.warn(fields, msg);
  }

  /** Pids in the given cgroup directories and all their descendants (union over hierarchies). */
  procs(dirs: readonly string[]): number[] {
    const pids = new Set<number>();
    const visit = (dir: string): void => {
      let entries: import('node:fs').Dirent[];
      try {
        for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) {
          const pid = Number.parseInt(line, 10);
          if (pid > 0) pids.add(pid);
        }
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return; // gone
      }
      for (const e of entries) if (e.isDirectory()) visit(join(dir, e.name));
    };
    for (const d of dirs) visit(d);
    pids.delete(process.pid); // never ourselves, never init
    pids.delete(1);
    return [...pids];
  }

  /** Sends `signal` to every process in the cgroups (and below). Returns how many were signalled. */
  signal(dirs: readonly string[], signal: NodeJS.Signals): number {
    let n = 0;
    if (signal === 'SIGKILL') {
      for (const d of dirs) {
        const kill = join(d, 'cgroup.kill');
        if (existsSync(kill)) {
          try {
            writeFileSync(kill, '1');
          } catch {
            /* fall back to per-pid kill below */
          }
        }
      }
    }
    for (const pid of this.procs(dirs)) {
      try {
        process.kill(pid, signal);
        n++;
      } catch {
        /* already gone */
      }
    }
    return n;
  }

  /**
   * Kills everything in the cgroups (SIGKILL, `cgroup.kill` on v2) and removes them, children first,
   * retrying while processes exit. Bounded by `timeoutMs`; returns the directories left behind.
   */
  async remove(dirs: readonly string[], timeoutMs = CGROUP_REMOVE_TIMEOUT_MS): Promise<string[]> {
    const deadline = this.clock.monotonic() + timeoutMs;
    let left = dirs.filter((d) => existsSync(d));
    for (;;) {
      this.signal(left, 'SIGKILL');
      left = left.filter((d) => !this.rmdirTree(d));
      if (left.length === 0 || this.clock.monotonic() >= deadline) break;
      await this.clock.sleep(POLL_MS);
    }
    if (left.length) this.logger.warn({ dirs: left }, 'cgroups could not be removed (processes still exiting?)');
    return left;
  }

  /** rmdir depth-first; true when `dir` is gone. */
  private rmdirTree(dir: string): boolean {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      return errnoCode(err) === 'ENOENT';
    }
    for (const e of entries) if (e.isDirectory()) this.rmdirTree(join(dir, e.name));
    try {
      rmdirSync(dir);
      return true;
    } catch (err) {
      return errnoCode(err) === 'ENOENT';
    }
  }

  /** Removes one pod's cgroups in every hierarchy. */
  removePod(node: string, uid: string, timeoutMs?: number): Promise<string[]> {
    return this.remove(this.dirs(node, uid), timeoutMs);
  }

  /** Pod cgroups currently present: `{node, uid}` for every `<parent>/<node>/<uid>` in any hierarchy. */
  listPods(): { node: string; uid: string }[] {
    const seen = new Map<string, { node: string; uid: string }>();
    for (const h of this.hierarchies) {
      const base = join(h.mountPoint, this.parent);
      for (const node of subdirs(base)) {
        for (const uid of subdirs(join(base, node))) seen.set(`${node}/${uid}`, { node, uid });
      }
    }
    return [...seen.values()];
  }

  /** Node directories under `<parent>` in any hierarchy. */
  listNodes(): string[] {
    const names = new Set<string>();
    for (const h of this.hierarchies) for (const n of subdirs(join(h.mountPoint, this.parent))) names.add(n);
    return [...names];
  }

  /** Kills and removes everything under `<parent>`; with `includeParent` also `<parent>` itself. */
  async removeAll(includeParent: boolean, timeoutMs?: number): Promise<string[]> {
    const roots = this.hierarchies.map((h) => join(h.mountPoint, this.parent));
    if (includeParent) return this.remove(roots, timeoutMs);
    const children = roots.flatMap((r) => subdirs(r).map((n) => join(r, n)));
    return this.remove(children, timeoutMs);
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

const PARENT_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/**
 * The cgroup parent must be a relative path of plain names: everything under it is killed and
 * removed, so an empty parent (a hierarchy root) or `..` must never get this far.
 */
export function assertCgroupParent(parent: string): void {
  const segments = parent.split('/');
  if (parent === '' || !segments.every((s) => PARENT_SEGMENT.test(s))) {
    throw hmsError('HMS_CONFIG_INVALID', `cgroup parent "${parent}" must be a relative path of names made of letters, digits, '.', '_' or '-' (e.g. hms-sys)`);
  }
}

/** Result of the "can this process manage cgroups?" probe. */
export type CgroupProbe = { readonly writable: true } | { readonly writable: false; readonly reason: string };

/**
 * Checks that cgroups can be created: root, at least one CPU hierarchy, and `<parent>` creatable
 * and its `cgroup.procs` writable in every hierarchy. I/O; injectable in the driver for tests.
 */
export function probeCgroupsWritable(hierarchies: readonly CgroupHierarchy[], parent: string, cgroupRoot: string): CgroupProbe {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) return { writable: false, reason: `not running as root (uid ${uid}): cannot create cgroups` };
  if (hierarchies.length === 0) return { writable: false, reason: `no cgroup v2 tree and no cgroup v1 cpu/cpuacct hierarchy mounted under ${cgroupRoot}` };
  for (const h of hierarchies) {
    const dir = join(h.mountPoint, parent);
    try {
      mkdirSync(dir, { recursive: true });
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      accessSync(join(dir, 'cgroup.procs'), constants.W_OK);
    } catch (err) {
      return { writable: false, reason: `cannot create cgroups under ${dir}: ${errorMessage(err)}` };
    }
  }
  return { writable: true };
}

/** Thrown when cgroup mode was required but is impossible. */
export function cgroupUnavailable(reason: string) {
  return hmsError('HMS_CGROUP_UNAVAILABLE', reason);
}
