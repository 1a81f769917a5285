import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errnoCode, hmsError } from './errors.js';

export interface DirLock {
  release(): void;
}

/**
 * Claims a state directory for this process with a `lock` file holding the pid, so two programs
 * never write one SQLite file. A lock left by a dead process (kill -9) is taken over.
 */
export function acquireDirLock(dir: string, what: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release() {
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw hmsError('HMS_STORE_OPEN', `cannot lock ${what} ${dir}: ${String(err)}`, { cause: err });
      const holder = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw hmsError('HMS_STORE_LOCKED', `${what} ${dir} is in use by process ${holder}`);
      }
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw hmsError('HMS_STORE_LOCKED', `${what} ${dir} is being claimed by another process`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoCode(err) === 'EPERM';
  }
}
