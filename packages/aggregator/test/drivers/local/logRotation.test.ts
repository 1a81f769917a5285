import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boundLogFile } from '../../../src/drivers/local/logRotation.js';

describe('boundLogFile', () => {
  it('copies an oversized log to .1 and truncates it while the writer keeps appending', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hms-sys-log-'));
    try {
      const file = join(dir, 'app.log');
      const fd = openSync(file, 'a'); // what the container's stdout is
      writeSync(fd, 'x'.repeat(2000));
      expect(boundLogFile(file, 4096)).toBe(false);
      writeSync(fd, 'y'.repeat(3000));
      expect(boundLogFile(file, 4096)).toBe(true);
      expect(statSync(`${file}.1`).size).toBe(5000);
      expect(statSync(file).size).toBe(0);
      writeSync(fd, 'after\n'); // O_APPEND: lands at the new end, no hole
      closeSync(fd);
      expect(readFileSync(file, 'utf8')).toBe('after\n');
      expect(boundLogFile(join(dir, 'missing.log'), 1)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
