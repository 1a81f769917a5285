// The agent's raw baseline as a process of its own: every interval, open + one read + close each
// file of a list (the files one agent cycle reads), nothing else. Runs until killed.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

const [listFile, intervalMs = '1000'] = process.argv.slice(2);
const files = JSON.parse(readFileSync(listFile, 'utf8'));
const buf = Buffer.allocUnsafe(64 * 1024);
setInterval(() => {
  for (const f of files) {
    try {
      const fd = openSync(f, 'r');
      readSync(fd, buf, 0, buf.length, null);
      closeSync(fd);
    } catch {
      /* a file that went away: the agent would count it */
    }
  }
}, Number(intervalMs));
