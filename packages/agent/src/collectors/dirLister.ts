import { fnv1a32 } from '@hms-sys/common';
import type { HostReader } from '../host/hostReader.js';

/** Subdirectory names of one directory, sorted; `cached` = reused from an earlier cycle. */
export interface DirListing {
  readonly dirs: readonly string[];
  readonly cached: boolean;
}

/**
 * How much to trust a cached listing:
 * - `validate`: reuse it only if the directory's stamp is unchanged (one stat);
 * - `trust-settled`: like validate, but reuse a settled listing (unchanged for `settleCycles`)
 *   without even the stat;
 * - `fresh`: always read the directory.
 */
export type ListMode = 'validate' | 'trust-settled' | 'fresh';

export interface DirListerOptions {
  /** Every listing is re-read at least this often, whatever its stamp says (default 30). */
  readonly relistEveryCycles?: number;
  /** A listing unchanged for this many cycles is settled (default 120). */
  readonly settleCycles?: number;
}

export const DEFAULT_RELIST_EVERY_CYCLES = 30;
export const DEFAULT_SETTLE_CYCLES = 120;

interface Entry {
  stamp: string;
  dirs: readonly string[];
  usedAt: number;
  expiresAt: number;
  changedAt: number;
}

/**
 * Lists subdirectories, reusing the previous listing while the directory's stamp
 * (`HostReader.dirStamp`, one stat) is unchanged.
 *
 * Why: listing the ~113 pod and QoS directories of a 110-pod node every cycle costs as much as
 * reading all 440 `cpu.stat` files (a cgroup directory holds 20-70 control files); a stat is
 * 3-10x cheaper than a readdir, and a settled pod needs neither.
 *
 * Why it is safe: on cgroupfs the stamp tracks the number of subdirectories (nlink), so a
 * listing can only be stale with the same count if one of its listed children is gone. The
 * collector reads every listed child each cycle, sees ENOENT, and re-lists with `fresh`
 * (`cached` tells it that the vanished child was stale, not a mid-read race).
 *
 * What it costs in freshness, bounded by `relistEveryCycles` (listings expire, spread over that
 * window so no cycle re-lists everything):
 * - a child added to a settled pod without any removal (an ephemeral debug container, a restart
 *   after a crash-loop back-off longer than `settleCycles`) is seen within that bound; pod
 *   start-up and ordinary restarts happen while the pod is unsettled and are seen next cycle;
 * - a skipped child (e.g. a `.mount`) swapped for a new one in the same cycle, likewise.
 *
 * The stamp is taken before the readdir, so a change in between makes the next stamp differ.
 */
export class DirLister {
  private readonly cache = new Map<string, Entry>();
  private readonly relistEvery: number;
  private readonly settleCycles: number;
  private cycle = 0;

  constructor(
    private readonly reader: HostReader,
    opts: DirListerOptions = {},
  ) {
    this.relistEvery = Math.max(1, opts.relistEveryCycles ?? DEFAULT_RELIST_EVERY_CYCLES);
    this.settleCycles = Math.max(1, opts.settleCycles ?? DEFAULT_SETTLE_CYCLES);
  }

  /** Starts a cycle; forgets directories not listed during the previous one (pods that left). */
  beginCycle(): void {
    this.cycle += 1;
    for (const [dir, entry] of this.cache) {
      if (entry.usedAt < this.cycle - 1) this.cache.delete(dir);
    }
  }

  /** Lists `dir` (absolute). Throws the reader's error (ENOENT when `dir` is gone). */
  list(dir: string, mode: ListMode = 'validate'): DirListing {
    const entry = this.cache.get(dir);
    if (entry !== undefined && mode !== 'fresh' && this.cycle < entry.expiresAt) {
      if (mode === 'trust-settled' && this.cycle - entry.changedAt >= this.settleCycles) return this.hit(entry);
      const stamp = this.reader.dirStamp?.(dir);
      if (stamp === entry.stamp) return this.hit(entry);
      return this.read(dir, stamp, entry);
    }
    return this.read(dir, this.reader.dirStamp?.(dir), entry);
  }

  private hit(entry: Entry): DirListing {
    entry.usedAt = this.cycle;
    return { dirs: entry.dirs, cached: true };
  }

  private read(dir: string, stamp: string | undefined, entry: Entry | undefined): DirListing {
    const dirs = this.reader
      .readdir(dir)
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    if (stamp === undefined) {
      this.cache.delete(dir);
      return { dirs, cached: false };
    }
    // An unchanged name set keeps its array (and the collector's per-listing work) and its age.
    const same = entry !== undefined && sameNames(entry.dirs, dirs);
    const kept = same ? entry.dirs : dirs;
    this.cache.set(dir, {
      stamp,
      dirs: kept,
      usedAt: this.cycle,
      expiresAt: this.cycle + (entry === undefined ? 1 + (fnv1a32(dir) % this.relistEvery) : this.relistEvery),
      changedAt: same ? entry.changedAt : this.cycle,
    });
    return { dirs: kept, cached: false };
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
