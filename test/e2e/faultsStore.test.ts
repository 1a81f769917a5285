/**
 * Issue 8.5: the aggregator's SQLite store fails under a running `hms-sys aggregator` with a real
 * agent streaming into it:
 * - the database is locked by another process (a second connection holding BEGIN EXCLUSIVE);
 * - the disk is full (a tiny tmpfs mounted for the test; root only, else skipped with a reason).
 * Either way: a clear error (HMS_STORE_LOCKED / HMS_STORE_FULL) in the log, the process stays up,
 * nothing unjournalled is acked (the agent keeps those batches), the database passes
 * `PRAGMA integrity_check`, and ingest resumes — with no gap — once the lock or the space is back.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, isRoot } from './kit/cli.js';
import { FaultStack, gaps } from './kit/faultStack.js';

let stack: FaultStack | undefined;
let cleanups: (() => void)[] = [];
afterEach(async () => {
  await stack?.cleanup();
  stack = undefined;
  for (const c of cleanups.reverse()) {
    try { c(); } catch { /* best effort */ }
  }
  cleanups = [];
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const maxSeq = (j: Map<string, number[]>, node: string): number => Math.max(0, ...[...j].filter(([k]) => k.startsWith(`${node}/`)).map(([, v]) => v.at(-1) ?? 0));

/** JSON log lines of a process whose `err` carries the given error code. */
function errorsWithCode(output: string, code: string): string[] {
  return output.split('\n').filter((l) => l.includes(`"${code}"`) || l.includes(`${code}:`));
}

describe('the store fails under a running aggregator', () => {
  it('locked by another process: HMS_STORE_LOCKED, nothing lost, no corruption, ingest resumes', async () => {
    const s = (stack = new FaultStack());
    await s.startAggregator();
    s.startAgent('node-l');
    await eventually(() => (maxSeq(s.journal(), 'node-l') >= 5 ? true : undefined), 'ingest before the lock', 15_000, 100);

    const locker = new Database(join(s.dataDir, 'aggregator.db'));
    cleanups.push(() => locker.close());
    locker.pragma('busy_timeout = 5000');
    locker.exec('BEGIN EXCLUSIVE');
    const lockedAt = maxSeq(s.journal(), 'node-l');
    await sleep(5000); // > the aggregator's 2 s busy timeout, twice
    const duringLock = maxSeq(s.journal(), 'node-l');
    expect(s.aggregator!.child.exitCode, s.output()).toBeNull();
    locker.exec('COMMIT');
    locker.close();

    expect(duringLock).toBe(lockedAt); // nothing could be journalled…
    expect(errorsWithCode(s.aggregator!.output(), 'HMS_STORE_LOCKED').length, s.output()).toBeGreaterThan(0);
    await eventually(() => (maxSeq(s.journal(), 'node-l') >= lockedAt + 30 ? true : undefined), 'ingest to resume after the lock', 30_000, 200)
      .catch((err: Error) => { throw new Error(`${err.message}\n${s.output()}`); });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await s.stopAgents();
    await sleep(300);
    expect(gaps(s.journal()), s.output()).toEqual([]); // …and nothing acked was lost: the agent resent
    expect(s.integrityCheck()).toBe('ok');
  }, 90_000);

  const root = isRoot();
  if (!root) console.warn('[faultsStore] SKIP disk-full test: mounting a tmpfs needs root');
  it.skipIf(!root)('disk full: HMS_STORE_FULL, nothing lost, no corruption, ingest resumes when space is freed', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'hms-full-'));
    cleanups.push(() => rmSync(mnt, { recursive: true, force: true }));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', mnt]);
    cleanups.push(() => {
      try {
        execFileSync('umount', [mnt]);
      } catch {
        execFileSync('umount', ['-l', mnt]);
      }
    });
    const dataDir = join(mnt, 'data');
    mkdirSync(dataDir);
    const s = (stack = new FaultStack({ dataDir }));
    await s.startAggregator();
    s.startAgent('node-f');
    await eventually(() => (maxSeq(s.journal(), 'node-f') >= 5 ? true : undefined), 'ingest before the disk fills', 15_000, 100);

    // Fill the file system to the last block.
    const filler = join(mnt, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      /* dd stops with ENOSPC: that is the point */
    }
    await eventually(() => (errorsWithCode(s.aggregator!.output(), 'HMS_STORE_FULL').length > 0 ? true : undefined), 'HMS_STORE_FULL in the log', 20_000, 200)
      .catch((err: Error) => { throw new Error(`${err.message}\n${s.output()}`); });
    const fullAt = maxSeq(s.journal(), 'node-f');
    await sleep(1500);
    expect(s.aggregator!.child.exitCode, s.output()).toBeNull();
    expect(maxSeq(s.journal(), 'node-f')).toBe(fullAt);

    rmSync(filler);
    await eventually(() => (maxSeq(s.journal(), 'node-f') >= fullAt + 20 ? true : undefined), 'ingest to resume after space is freed', 30_000, 200)
      .catch((err: Error) => { throw new Error(`${err.message}\n${s.output()}`); });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await s.stopAgents();
    await sleep(300);
    expect(gaps(s.journal()), s.output()).toEqual([]);
    expect(s.integrityCheck()).toBe('ok');
    writeFileSync(join(mnt, 'probe'), 'x'); // the file system is usable again
  }, 90_000);
});
