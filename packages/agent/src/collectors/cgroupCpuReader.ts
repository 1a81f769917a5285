import type { HostPaths } from '../host/hostPaths.js';
import type { HostReader } from '../host/hostReader.js';
import { parseCpuacctStat, parseCpuacctUsage, parseCpuStatV1, parseCpuStatV2 } from './cgroupCpuParsers.js';
import type { CgroupLayout } from './cgroupLayout.js';
import { isGone, problemFromError, type ReadProblem } from './readProblems.js';

/** Cumulative CPU counters of one cgroup, microseconds and counts. */
export interface CgroupCpuCounters {
  readonly usageUsec: number;
  readonly userUsec: number;
  readonly systemUsec: number;
  readonly nrPeriods: number;
  readonly nrThrottled: number;
  readonly throttledUsec: number;
}

/**
 * Result of reading one cgroup:
 * - `ok`: usage was read; `problems` lists secondary files (v1 `cpuacct.stat`, v1 `cpu.stat`)
 *   that failed, whose fields are then 0;
 * - `gone`: the usage file does not exist (ENOENT) — usually the cgroup went away;
 * - `failed`: the usage file exists but could not be read or parsed.
 */
export type CgroupCpuRead =
  | { readonly kind: 'ok'; readonly counters: CgroupCpuCounters; readonly problems: readonly ReadProblem[] }
  | { readonly kind: 'gone'; readonly problem: ReadProblem }
  | { readonly kind: 'failed'; readonly problem: ReadProblem };

/**
 * The files holding one cgroup's CPU counters: absolute paths to read, and paths relative to
 * the cgroup root for problem reports. Built once per cgroup and reused every cycle, so the
 * hot path builds no strings.
 */
export interface CgroupFiles {
  /** v2 `cpu.stat` or v1 `cpuacct.usage`. */
  readonly usage: FileRef;
  /** v1 only: `cpuacct.stat` (user/system). */
  readonly userSystem: FileRef | undefined;
  /** v1 only, when a `cpu` hierarchy exists: `cpu.stat` (throttling). */
  readonly throttling: FileRef | undefined;
}

export interface FileRef {
  readonly abs: string;
  readonly rel: string;
}

const NO_PROBLEMS: readonly ReadProblem[] = [];

/** Reads the CPU files of a cgroup per layout. Never throws. */
export class CgroupCpuReader {
  private readonly acc: FileRef;
  private readonly thr: FileRef | undefined;
  private readonly v2: boolean;

  constructor(
    paths: HostPaths,
    private readonly reader: HostReader,
    layout: CgroupLayout,
  ) {
    const ref = (dir: string): FileRef => ({ abs: paths.cgroup(dir), rel: dir });
    this.acc = ref(layout.accountingDir);
    this.thr = layout.throttlingDir === undefined ? undefined : ref(layout.throttlingDir);
    this.v2 = layout.version === 'v2';
  }

  /** The files of the cgroup at `rel` (relative to the hierarchy root, no leading slash). */
  filesOf(rel: string): CgroupFiles {
    if (this.v2) return { usage: file(this.acc, rel, 'cpu.stat'), userSystem: undefined, throttling: undefined };
    return {
      usage: file(this.acc, rel, 'cpuacct.usage'),
      userSystem: file(this.acc, rel, 'cpuacct.stat'),
      throttling: this.thr === undefined ? undefined : file(this.thr, rel, 'cpu.stat'),
    };
  }

  read(files: CgroupFiles): CgroupCpuRead {
    let text: string;
    try {
      text = this.reader.readFile(files.usage.abs);
    } catch (err) {
      const problem = problemFromError(files.usage.rel, err);
      return isGone(err) ? { kind: 'gone', problem } : { kind: 'failed', problem };
    }
    return this.v2 ? this.fromV2(files, text) : this.fromV1(files, text);
  }

  private fromV2(files: CgroupFiles, text: string): CgroupCpuRead {
    const stat = parseCpuStatV2(text);
    if (stat === undefined) return { kind: 'failed', problem: malformed(files.usage, 'no usable usage_usec') };
    return { kind: 'ok', counters: stat, problems: NO_PROBLEMS };
  }

  private fromV1(files: CgroupFiles, text: string): CgroupCpuRead {
    const usageUsec = parseCpuacctUsage(text);
    if (usageUsec === undefined) return { kind: 'failed', problem: malformed(files.usage, 'not a counter') };

    const problems: ReadProblem[] = [];
    let userUsec = 0;
    let systemUsec = 0;
    const statText = files.userSystem && this.secondary(files.userSystem, problems);
    if (statText !== undefined) {
      const stat = parseCpuacctStat(statText);
      if (stat === undefined) problems.push(malformed(files.userSystem!, 'need user and system'));
      else ({ userUsec, systemUsec } = stat);
    }

    let nrPeriods = 0;
    let nrThrottled = 0;
    let throttledUsec = 0;
    const cpuText = files.throttling && this.secondary(files.throttling, problems);
    if (cpuText !== undefined) {
      const cpu = parseCpuStatV1(cpuText);
      if (cpu === undefined) problems.push(malformed(files.throttling!, 'need nr_periods, nr_throttled, throttled_time'));
      else ({ nrPeriods, nrThrottled, throttledUsec } = cpu);
    }
    return {
      kind: 'ok',
      counters: { usageUsec, userUsec, systemUsec, nrPeriods, nrThrottled, throttledUsec },
      problems: problems.length === 0 ? NO_PROBLEMS : problems,
    };
  }

  private secondary(f: FileRef, problems: ReadProblem[]): string | undefined {
    try {
      return this.reader.readFile(f.abs);
    } catch (err) {
      problems.push(problemFromError(f.rel, err));
      return undefined;
    }
  }
}

function file(root: FileRef, rel: string, name: string): FileRef {
  const sub = rel === '' ? name : `${rel}/${name}`;
  return { abs: `${root.abs}/${sub}`, rel: root.rel === '' ? sub : `${root.rel}/${sub}` };
}

function malformed(f: FileRef, detail: string): ReadProblem {
  return { path: f.rel, reason: 'malformed', detail };
}
