import path from 'node:path';
import { hmsError } from '@hms-sys/common';
import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';
import type { CgroupLayout } from './cgroupLayout.js';
import { CgroupCpuReader, type CgroupCpuCounters, type CgroupFiles } from './cgroupCpuReader.js';
import type { CgroupCollection, ContainerCpuSample, PodCpuSample } from './cgroupSample.js';
import { DirLister, type DirListing, type ListMode } from './dirLister.js';
import {
  classifyKubepodsChild,
  classifyPodChild,
  KUBEPODS_ROOTS,
  podUidFromDirName,
  type CgroupDriver,
  type KubepodsChild,
  type QosClass,
} from './kubeCgroupNames.js';
import { isGone, problemFromError, ReadProblemLog, type ReadProblem } from './readProblems.js';

export interface CgroupCollectorOptions {
  readonly paths: HostPaths;
  readonly reader: HostReader;
  /** From `detectCgroupLayout` at start-up. */
  readonly layout: CgroupLayout;
  /**
   * `--workload-parent` values, relative to the accounting hierarchy root (e.g. `system.slice`).
   * Every direct child cgroup is a workload; a parent that does not exist (yet) yields nothing.
   */
  readonly workloadParents?: readonly string[];
  /** Cap on problem descriptions per cycle (default 20). */
  readonly maxProblemDetails?: number;
  /** See DirLister (default 30): bound on how long an unusual change inside a pod can go unseen. */
  readonly relistEveryCycles?: number;
  /** See DirLister (default 120): cycles after which an unchanged pod's container list is trusted without a stat. */
  readonly settleCycles?: number;
}

interface PodIdentity {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly qosClass: QosClass | '';
}

interface ContainerRef {
  readonly id: string;
  readonly name: string;
}

/**
 * A cgroup directory with every path the collector needs, built once when first listed and
 * reused while its parent's listing is cached (no string building, and Map keys whose hash V8
 * has already computed).
 */
interface CgroupNode {
  /** Relative to the accounting hierarchy root: what `cgroupPath` reports. */
  readonly rel: string;
  readonly abs: string;
  readonly files: CgroupFiles;
}

/** A selected subdirectory: its node, its name, what it is. */
interface Child<T> extends CgroupNode {
  readonly name: string;
  readonly data: T;
}

/** Decides what a subdirectory name is, or undefined to ignore it. Pure, so results are cached per listing. */
type Selector<T> = (name: string) => T | undefined;

/** What visiting one child returns: undefined, or the problem describing why it was gone. */
type Visit = ReadProblem | undefined;

interface Cycle {
  readonly pods: PodCpuSample[];
  readonly emitted: Set<string> | undefined;
  readonly log: ReadProblemLog;
  scanned: number;
}

const IGNORE = (): void => {};

function perDriver<T>(make: (driver: CgroupDriver) => Selector<T>): Readonly<Record<CgroupDriver, Selector<T>>> {
  return { cgroupfs: make('cgroupfs'), systemd: make('systemd') };
}
const SELECT_KUBEPODS_CHILD = perDriver<Exclude<KubepodsChild, { kind: 'other' }>>((d) => (name) => {
  const c = classifyKubepodsChild(name, d);
  return c.kind === 'other' ? undefined : c;
});
const SELECT_POD_UID = perDriver<string>((d) => (name) => podUidFromDirName(name, d));
const SELECT_KUBE_CONTAINER = perDriver<ContainerRef>((d) => (name) => {
  const c = classifyPodChild(name, d);
  return c.kind === 'container' ? { id: c.id, name: '' } : undefined;
});
/** systemd `.mount` cgroups are never workloads (cAdvisor and the kubelet skip them too). */
const SELECT_WORKLOAD: Selector<ContainerRef> = (name) => (name.endsWith('.mount') ? undefined : { id: name, name });

/**
 * Discovers Kubernetes pods (every layout of SPEC §9) and `--workload-parent` workloads under
 * the accounting hierarchy and reads their cumulative CPU counters. One instance per agent;
 * `collect()` once per interval (it keeps directory listings between cycles, see DirLister).
 * Never throws: failures become `partial` pods and `readErrors`.
 */
export class CgroupCollector {
  private readonly reader: HostReader;
  private readonly rootAbs: string;
  private readonly rootRel: string;
  private readonly cpu: CgroupCpuReader;
  private readonly lister: DirLister;
  private readonly kubepods: ReadonlyArray<{ readonly node: CgroupNode; readonly driver: CgroupDriver }>;
  private readonly parents: ReadonlyArray<{ readonly node: CgroupNode; readonly namespace: string }>;
  private readonly maxDetails: number | undefined;
  /** Selection results per listing array; a cached listing is the same array, so names are classified once. */
  private readonly selections = new WeakMap<readonly string[], { select: unknown; items: readonly Child<unknown>[] }>();

  /** Throws HMS_CONFIG_INVALID when a workload parent is not below the cgroup root. */
  constructor(opts: CgroupCollectorOptions) {
    this.reader = opts.reader;
    this.rootAbs = opts.paths.cgroup(opts.layout.accountingDir);
    this.rootRel = opts.layout.accountingDir === '' ? '' : `${opts.layout.accountingDir}/`;
    this.cpu = new CgroupCpuReader(opts.paths, opts.reader, opts.layout);
    this.lister = new DirLister(opts.reader, {
      ...(opts.relistEveryCycles === undefined ? {} : { relistEveryCycles: opts.relistEveryCycles }),
      ...(opts.settleCycles === undefined ? {} : { settleCycles: opts.settleCycles }),
    });
    this.maxDetails = opts.maxProblemDetails;
    this.parents = (opts.workloadParents ?? []).map((p) => {
      // Normalised as an absolute path first, so `..` cannot climb above the root.
      const rel = path.posix.normalize(`/${p}/`).replace(/^\/+|\/+$/g, '');
      if (rel === '') {
        throw hmsError('HMS_CONFIG_INVALID', `--workload-parent ${JSON.stringify(p)} must name a cgroup below the cgroup root`);
      }
      return { node: this.node(rel), namespace: path.posix.basename(rel) };
    });
    this.kubepods = KUBEPODS_ROOTS.map(({ dir, driver }) => ({ node: this.node(dir), driver }));
  }

  /** One collection cycle. */
  collect(): CgroupCollection {
    this.lister.beginCycle();
    const cy: Cycle = {
      pods: [],
      // Only a workload parent can overlap a Kubernetes pod; dedup by path only then.
      emitted: this.parents.length > 0 ? new Set() : undefined,
      log: new ReadProblemLog(this.maxDetails),
      scanned: 0,
    };
    for (const { node, driver } of this.kubepods) this.walkKubepods(cy, node, driver);
    for (const { node, namespace } of this.parents) this.walkWorkloadParent(cy, node, namespace);
    return { pods: cy.pods, cgroupsScanned: cy.scanned, readErrors: cy.log.count, errors: cy.log.details };
  }

  private walkKubepods(cy: Cycle, root: CgroupNode, driver: CgroupDriver): void {
    const logError = (p: ReadProblem): void => cy.log.add(p);
    const kubePod = (pod: CgroupNode, uid: string, qosClass: QosClass): Visit =>
      this.collectPod(cy, pod, { uid, namespace: '', name: '', qosClass }, SELECT_KUBE_CONTAINER[driver], false);

    this.eachChild(root, 'validate', SELECT_KUBEPODS_CHILD[driver], (child) => {
      const c = child.data;
      if (c.kind === 'pod') return kubePod(child, c.uid, 'Guaranteed');
      const qosDir = this.eachChild(child, 'validate', SELECT_POD_UID[driver], (pod) => kubePod(pod, pod.data, c.qos), IGNORE, logError);
      return qosDir === 'gone' ? gone(this.rootRel + child.rel) : undefined;
    }, IGNORE, logError);
  }

  private walkWorkloadParent(cy: Cycle, parent: CgroupNode, namespace: string): void {
    // A missing parent is normal (the local driver creates it later): eachChild returns 'gone'.
    this.eachChild(parent, 'validate', SELECT_WORKLOAD, (w) =>
      this.collectPod(cy, w, { uid: w.name, namespace, name: w.name, qosClass: '' }, SELECT_WORKLOAD, true),
    IGNORE, (p) => cy.log.add(p));
  }

  /**
   * Reads one pod: its containers first, then the pod cgroup itself, so a pod removed during the
   * cycle is recognised by its own usage file being gone and dropped without error.
   * `selfIfNoChildren`: a workload without child cgroups is one container named after itself.
   */
  private collectPod(cy: Cycle, pod: CgroupNode, who: PodIdentity, select: Selector<ContainerRef>, selfIfNoChildren: boolean): Visit {
    if (cy.emitted?.has(pod.rel)) return undefined;
    const problems: ReadProblem[] = [];
    const containers: ContainerCpuSample[] = [];
    const note = (p: ReadProblem): void => void problems.push(p);
    let candidates = 0;

    // New pods are found each cycle ('validate' above); a pod's own container list may settle.
    const listed = this.eachChild(pod, 'trust-settled', select, (child) => {
      const r = this.cpu.read(child.files);
      if (r.kind === 'gone') return r.problem;
      candidates += 1;
      cy.scanned += 1;
      if (r.kind === 'failed') {
        problems.push(r.problem);
      } else {
        for (const p of r.problems) problems.push(p);
        containers.push(containerSample(child.data.id, child.data.name, r.counters));
      }
      return undefined;
    }, note, note);
    if (listed === 'gone') return gone(this.rootRel + pod.rel);

    const own = this.cpu.read(pod.files);
    if (own.kind === 'gone' && !this.reader.exists(pod.abs)) return own.problem;
    cy.scanned += 1;
    let usage = 0;
    if (own.kind === 'ok') {
      usage = own.counters.usageUsec;
      for (const p of own.problems) problems.push(p);
      if (selfIfNoChildren && candidates === 0 && listed === 'ok') containers.push(containerSample(who.name, who.name, own.counters));
    } else {
      problems.push(own.problem);
    }

    for (const p of problems) cy.log.add(p);
    cy.emitted?.add(pod.rel);
    cy.pods.push({
      uid: who.uid,
      namespace: who.namespace,
      name: who.name,
      qosClass: who.qosClass,
      cgroupPath: pod.rel,
      cpuUsageUsec: usage,
      partial: problems.length > 0,
      containers,
    });
    return undefined;
  }

  /**
   * Visits the selected subdirectories of `dir`. Returns 'gone' when `dir` itself does not
   * exist, 'unlisted' when it could not be listed (reported through onListError).
   *
   * A child whose visit says it was gone is reported through onChildGone when the listing was
   * made this cycle (it vanished mid-read). When the listing came from the cache the child may
   * just be stale: `dir` is re-listed, children new since are visited, and only a gone child
   * that is still listed is reported.
   */
  private eachChild<T>(
    dir: CgroupNode,
    mode: ListMode,
    select: Selector<T>,
    visit: (child: Child<T>) => Visit,
    onChildGone: (p: ReadProblem) => void,
    onListError: (p: ReadProblem) => void,
  ): 'ok' | 'gone' | 'unlisted' {
    const list = (how: ListMode): DirListing | 'gone' | 'unlisted' => {
      try {
        return this.lister.list(dir.abs, how);
      } catch (err) {
        if (isGone(err)) return 'gone';
        onListError(problemFromError(this.rootRel + dir.rel, err));
        return 'unlisted';
      }
    };

    const listing = list(mode);
    if (typeof listing === 'string') return listing;
    let goneChildren: Array<readonly [string, ReadProblem]> | undefined;
    for (const child of this.selected(dir, listing.dirs, select)) {
      const p = visit(child);
      if (p !== undefined) (goneChildren ??= []).push([child.name, p]);
    }
    if (goneChildren === undefined) return 'ok';
    if (!listing.cached) {
      for (const [, p] of goneChildren) onChildGone(p);
      return 'ok';
    }

    const fresh = list('fresh');
    if (typeof fresh === 'string') return fresh;
    const before = new Set(listing.dirs);
    for (const child of this.selected(dir, fresh.dirs, select)) {
      if (before.has(child.name)) continue;
      const p = visit(child);
      if (p !== undefined) onChildGone(p);
    }
    const still = new Set(fresh.dirs);
    for (const [name, p] of goneChildren) if (still.has(name)) onChildGone(p);
    return 'ok';
  }

  private selected<T>(dir: CgroupNode, dirs: readonly string[], select: Selector<T>): readonly Child<T>[] {
    const hit = this.selections.get(dirs);
    if (hit !== undefined && hit.select === select) return hit.items as readonly Child<T>[];
    const items: Child<T>[] = [];
    for (const name of dirs) {
      const data = select(name);
      if (data !== undefined) items.push({ ...this.node(`${dir.rel}/${name}`), name, data });
    }
    this.selections.set(dirs, { select, items });
    return items;
  }

  private node(rel: string): CgroupNode {
    return { rel, abs: `${this.rootAbs}/${rel}`, files: this.cpu.filesOf(rel) };
  }
}

function containerSample(id: string, name: string, c: CgroupCpuCounters): ContainerCpuSample {
  return {
    id,
    name,
    cpuUsageUsec: c.usageUsec,
    cpuThrottledUsec: c.throttledUsec,
    nrThrottled: c.nrThrottled,
    nrPeriods: c.nrPeriods,
    cpuUserUsec: c.userUsec,
    cpuSystemUsec: c.systemUsec,
  };
}

function gone(p: string): ReadProblem {
  return { path: p, reason: 'vanished', detail: 'ENOENT' };
}
