import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, systemClock, systemRandom } from '@hms-sys/common';
import { openDatabase, type Db } from '../../../src/store/database.js';
import { detectCgroupHierarchies } from '../../../src/drivers/local/cgroupHierarchies.js';
import { CgroupManager } from '../../../src/drivers/local/cgroupManager.js';
import { LocalDriver, type LocalDriverOptions } from '../../../src/drivers/local/localDriver.js';

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
export const hierarchies = detectCgroupHierarchies();

/** Why cgroup tests cannot run here, or undefined when they can. */
export function cgroupSkipReason(): string | undefined {
  if (!isRoot) return `not root (uid ${process.getuid?.()}): real-cgroup tests need root`;
  if (hierarchies.length === 0) return 'no cgroup v1 cpu/cpuacct or v2 hierarchy under /sys/fs/cgroup';
  return undefined;
}

/** Polls `fn` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | false | null, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function readInts(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
}

/** A data dir, a db, a unique cgroup parent, and cleanup of whatever a test leaves. */
export class RealEnv {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'hms-sys-local-'));
  readonly parent = `hms-sys-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly events: { type: string; fields: Record<string, unknown> }[] = [];
  private readonly dbs: Db[] = [];
  private readonly drivers: LocalDriver[] = [];

  db(): Db {
    const db = openDatabase(join(this.dataDir, 'hms-sys.db'));
    this.dbs.push(db);
    return db;
  }

  driver(over: Partial<LocalDriverOptions> = {}): LocalDriver {
    const d = new LocalDriver({
      db: this.db(),
      dataDir: this.dataDir,
      clock: systemClock,
      random: systemRandom,
      logger: silentLogger(),
      emit: (type, fields) => this.events.push({ type, fields }),
      nodes: 'host',
      cgroupParent: this.parent,
      lockDir: join(this.dataDir, 'locks'),
      crashLoop: { initialMs: 200, maxMs: 1000 },
      reconcileIntervalMs: 200,
      shutdownGraceMs: 2000,
      ...over,
    });
    this.drivers.push(d);
    return d;
  }

  parentDirs(): string[] {
    return hierarchies.map((h) => join(h.mountPoint, this.parent)).filter((d) => existsSync(d));
  }

  async cleanup(): Promise<void> {
    for (const d of this.drivers) {
      try {
        await d.stop();
      } catch {
        /* best effort */
      }
    }
    if (isRoot && hierarchies.length) {
      await new CgroupManager({ hierarchies, parent: this.parent, logger: silentLogger(), clock: systemClock }).removeAll(true, 5000);
    }
    for (const db of this.dbs) db.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export function busyDeployment(name: string, replicas: number, opts: { request?: string; limit?: string; command?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 2
      containers:
        - name: burn
          image: busybox
          command: ["/bin/sh", "-c", ${JSON.stringify(opts.command ?? 'while :; do :; done')}]
          resources: { requests: { cpu: ${opts.request ?? '100m'} }, limits: { cpu: ${opts.limit ?? '200m'} } }
`;
}
