/**
 * The real reader keeps cgroup control files open and re-reads them from offset 0. On a real
 * cgroup file system (root only) a user must never see a stale or empty value because of that:
 * content is fresh on every read, a removed cgroup reads as gone (ENOENT), a cgroup re-created
 * under the same path reads the new one, and nothing stays open after close().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoCode } from '@hms-sys/common';
import { afterAll, describe, expect, it } from 'vitest';
import { createFsHostReader } from '../../src/host/fsHostReader.js';
import { cpuHierarchies } from '../../../../test/e2e/kit/cgroups.js';

const isRoot = process.getuid?.() === 0;
const h = cpuHierarchies();
const mount = h.v2 ?? h.v1?.cpuacct;
const reason = !isRoot ? 'not root: cannot create cgroups' : !mount ? 'no cgroup v1 cpuacct or v2 hierarchy mounted under /sys/fs/cgroup' : '';
if (reason) console.warn(`[skip] fsHostReader on a real cgroup file system: ${reason}`);

/** Paths of the files this process has open. */
const openFiles = (): string[] => readdirSync('/proc/self/fd').map((fd) => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return '';
  }
});

describe.skipIf(Boolean(reason))('createFsHostReader on a real cgroup file system', () => {
  const base = join(mount ?? '/nonexistent', `hms-reader-test-${process.pid}`);
  const procs: ChildProcess[] = [];
  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
    for (const d of [join(base, 'pod'), base]) if (existsSync(d)) rmdirSync(d);
  });

  it('re-reads fresh content, reports a removed cgroup as gone, reads a re-created one, and closes its files', async () => {
    const cg = join(base, 'pod');
    mkdirSync(cg, { recursive: true });
    const procsFile = join(cg, 'cgroup.procs');
    const reader = createFsHostReader();
    expect(reader.readFile(procsFile)).toBe('');
    expect(openFiles()).toContain(procsFile);

    // A process moves in: the same (kept) file now lists it.
    const p = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore' });
    procs.push(p);
    writeFileSync(procsFile, String(p.pid));
    expect(reader.readFile(procsFile).trim().split('\n')).toContain(String(p.pid));

    // It leaves, the cgroup is removed: gone, as for a reader that opens every time.
    writeFileSync(join(mount as string, 'cgroup.procs'), String(p.pid));
    rmdirSync(cg);
    expect(errnoCode((() => { try { reader.readFile(procsFile); } catch (err) { return err; } return undefined; })())).toBe('ENOENT');
    expect(openFiles()).not.toContain(procsFile);

    // Re-created under the same path: the new cgroup's (empty) content.
    mkdirSync(cg);
    expect(reader.readFile(procsFile)).toBe('');
    reader.close?.();
    expect(openFiles().some((f) => f.startsWith(base))).toBe(false);
    expect(reader.readFile(procsFile)).toBe('');
  });

  it('opens regular files on every read: a file replaced on disk is never read stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hms-reader-'));
    try {
      const reader = createFsHostReader();
      const f = join(dir, 'cpu.stat');
      writeFileSync(f, 'usage_usec 1\n');
      expect(reader.readFile(f)).toBe('usage_usec 1\n');
      writeFileSync(`${f}.new`, 'usage_usec 2\n');
      renameSync(`${f}.new`, f);
      expect(reader.readFile(f)).toBe('usage_usec 2\n');
      expect(openFiles()).not.toContain(f);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
