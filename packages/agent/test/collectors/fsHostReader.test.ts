import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { errnoCode } from '@hms-sys/common';
import { createFsHostReader, INITIAL_READ_BUFFER_BYTES } from '../../src/host/fsHostReader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hms-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

describe('createFsHostReader', () => {
  const reader = createFsHostReader();

  it('reads small files whole, one after another, with a reused buffer', () => {
    writeFileSync(path.join(dir, 'a'), 'usage_usec 1\n');
    writeFileSync(path.join(dir, 'b'), 'x');
    expect(reader.readFile(path.join(dir, 'a'))).toBe('usage_usec 1\n');
    expect(reader.readFile(path.join(dir, 'b'))).toBe('x');
    writeFileSync(path.join(dir, 'empty'), '');
    expect(reader.readFile(path.join(dir, 'empty'))).toBe('');
  });

  it('reads files larger than its initial buffer (a /proc/stat of a big machine)', () => {
    const big = 'cpu0 1 2 3 4 5 6 7 8 9 10\n'.repeat(Math.ceil((INITIAL_READ_BUFFER_BYTES * 3) / 26));
    writeFileSync(path.join(dir, 'big'), big);
    expect(reader.readFile(path.join(dir, 'big'))).toBe(big);
    expect(reader.readFile(path.join(dir, 'a'))).toBe('usage_usec 1\n');
  });

  it('reads UTF-8 (os-release names)', () => {
    writeFileSync(path.join(dir, 'os-release'), 'PRETTY_NAME="Débian ✓"\n');
    expect(reader.readFile(path.join(dir, 'os-release'))).toBe('PRETTY_NAME="Débian ✓"\n');
  });

  it('reads the real /proc/stat of this machine completely', () => {
    const text = reader.readFile('/proc/stat');
    expect(text.startsWith('cpu ')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^softirq /);
  });

  it('throws errno errors the collectors classify (ENOENT = gone)', () => {
    expect(errnoCode(thrown(() => reader.readFile(path.join(dir, 'missing'))))).toBe('ENOENT');
    expect(errnoCode(thrown(() => reader.readdir(path.join(dir, 'missing'))))).toBe('ENOENT');
    expect(errnoCode(thrown(() => reader.dirStamp?.(path.join(dir, 'missing'))))).toBe('ENOENT');
    expect(reader.exists(path.join(dir, 'missing'))).toBe(false);
    expect(reader.exists(path.join(dir, 'a'))).toBe(true);
  });

  it('lists entries with their type', () => {
    mkdirSync(path.join(dir, 'cg', 'child'), { recursive: true });
    writeFileSync(path.join(dir, 'cg', 'cpu.stat'), '');
    const entries = reader.readdir(path.join(dir, 'cg')).map((e) => [e.name, e.isDirectory()]);
    expect(entries.sort()).toEqual([
      ['child', true],
      ['cpu.stat', false],
    ]);
  });

  it("changes a directory's stamp when a subdirectory is added or removed", () => {
    const cg = path.join(dir, 'stamp');
    mkdirSync(cg);
    const before = reader.dirStamp?.(cg);
    mkdirSync(path.join(cg, 'new'));
    const added = reader.dirStamp?.(cg);
    rmSync(path.join(cg, 'new'), { recursive: true });
    expect(added).not.toBe(before);
    expect(reader.dirStamp?.(cg)).not.toBe(added);
  });
});
