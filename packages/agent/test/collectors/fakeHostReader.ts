import path from 'node:path';
import type { HostDirEntry, HostReader } from '../../src/host/hostReader.js';

/** A node-style fs error (`code`, `syscall`, `path`), as the real reader throws. */
export function errnoError(code: string, syscall: string, p: string): Error {
  return Object.assign(new Error(`${code}: fake ${syscall} '${p}'`), { code, syscall, path: p });
}

/**
 * An in-memory HostReader for fault injection: files and directories by absolute path, errors
 * per path, hooks that run after a readdir or before a readFile so a test can remove a cgroup
 * "mid-read". `dirStamp` imitates kernfs: the number of subdirectories (nlink - 2), so replacing
 * one child by another keeps the stamp, exactly the case the collector must survive.
 */
export class FakeHostReader implements HostReader {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(['/']);
  private readonly failures = new Map<string, string>();
  /** Runs after `readdir(p)` returned its entries. */
  afterReaddir: ((p: string) => void) | undefined;
  /** Runs before `readFile(p)` looks the file up. */
  beforeReadFile: ((p: string) => void) | undefined;
  /** When false, dirStamp returns undefined (no listing cache), like a reader that cannot stat. */
  stamps = true;
  readonly calls = { readFile: 0, readdir: 0, dirStamp: 0 };

  /** Adds a file (and its parent directories). */
  file(p: string, content: string): this {
    this.dir(path.posix.dirname(p));
    this.files.set(p, content);
    return this;
  }

  /** Adds a directory (and its parents). */
  dir(p: string): this {
    for (let d = p; !this.dirs.has(d); d = path.posix.dirname(d)) this.dirs.add(d);
    return this;
  }

  /** Removes a file or a directory with everything below it. */
  remove(p: string): this {
    const prefix = `${p}/`;
    this.files.delete(p);
    this.dirs.delete(p);
    for (const f of [...this.files.keys()]) if (f.startsWith(prefix)) this.files.delete(f);
    for (const d of [...this.dirs]) if (d.startsWith(prefix)) this.dirs.delete(d);
    return this;
  }

  /** Every later access to `p` throws `code` (EACCES, EIO, ...). */
  fail(p: string, code: string): this {
    this.failures.set(p, code);
    return this;
  }

  readFile(p: string): string {
    this.calls.readFile += 1;
    this.beforeReadFile?.(p);
    this.check(p, 'open');
    const text = this.files.get(p);
    if (text === undefined) throw errnoError(this.dirs.has(p) ? 'EISDIR' : 'ENOENT', 'open', p);
    return text;
  }

  readdir(p: string): readonly HostDirEntry[] {
    this.calls.readdir += 1;
    this.check(p, 'scandir');
    if (!this.dirs.has(p)) throw errnoError(this.files.has(p) ? 'ENOTDIR' : 'ENOENT', 'scandir', p);
    const entries = [
      ...[...this.dirs].filter((d) => d !== p && path.posix.dirname(d) === p).map((d) => entry(d, true)),
      ...[...this.files.keys()].filter((f) => path.posix.dirname(f) === p).map((f) => entry(f, false)),
    ];
    this.afterReaddir?.(p);
    return entries;
  }

  exists(p: string): boolean {
    return !this.failures.has(p) && (this.dirs.has(p) || this.files.has(p));
  }

  dirStamp(p: string): string | undefined {
    this.calls.dirStamp += 1;
    this.check(p, 'stat');
    if (!this.dirs.has(p)) throw errnoError('ENOENT', 'stat', p);
    if (!this.stamps) return undefined;
    return String([...this.dirs].filter((d) => d !== p && path.posix.dirname(d) === p).length);
  }

  private check(p: string, syscall: string): void {
    const code = this.failures.get(p);
    if (code !== undefined) throw errnoError(code, syscall, p);
  }
}

function entry(p: string, isDir: boolean): HostDirEntry {
  return { name: path.posix.basename(p), isDirectory: () => isDir };
}

/** `cpu.stat` text of a v2 cgroup. */
export function cpuStatV2(usageUsec: number, throttle?: { periods: number; throttled: number; usec: number }): string {
  const user = Math.floor(usageUsec * 0.7);
  let s = `usage_usec ${usageUsec}\nuser_usec ${user}\nsystem_usec ${usageUsec - user}\n`;
  if (throttle) s += `nr_periods ${throttle.periods}\nnr_throttled ${throttle.throttled}\nthrottled_usec ${throttle.usec}\nnr_bursts 0\nburst_usec 0\n`;
  return s;
}

/** A 64-hex container id made of one repeated hex digit, easy to read in failures. */
export const cid = (digit: string): string => digit.repeat(64);
