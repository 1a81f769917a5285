// Watches this process's event loop: the longest gap between two turns of a 4 ms timer chain,
// and how much of each gap the main thread actually spent on a CPU (Linux schedstat). On a
// shared machine a gap can be the kernel running someone else (the thread was runnable but
// waiting): "on CPU" is the stall this process caused itself, "wall" is what a client saw.
import { readFileSync } from 'node:fs';

/** Timer period: fine enough for stalls of tens of ms, cheap enough (a /proc read per tick) not to load the loop it watches. */
const TICK_MS = 4;

function schedstat() {
  try {
    const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return { run: Number(run), wait: Number(wait) };
  } catch {
    return undefined;
  }
}

export class LoopWatch {
  constructor() {
    this.timer = undefined;
    this.reset();
  }

  reset() {
    this.maxWallMs = 0;
    this.maxOnCpuMs = 0;
    this.worst = { wallMs: 0, onCpuMs: 0, waitingMs: 0 };
    this.gaps = 0;
    this.over50Wall = 0;
    this.over50OnCpu = 0;
  }

  start() {
    let last = performance.now();
    let lastStat = schedstat();
    const tick = () => {
      const now = performance.now();
      const stat = schedstat();
      const wallMs = now - last - TICK_MS; // the timer asked for TICK_MS
      if (wallMs > 0) {
        const onCpuMs = stat && lastStat ? (stat.run - lastStat.run) / 1e6 : wallMs;
        const waitingMs = stat && lastStat ? (stat.wait - lastStat.wait) / 1e6 : 0;
        this.gaps++;
        if (wallMs > 50) this.over50Wall++;
        if (onCpuMs > 50) this.over50OnCpu++;
        if (onCpuMs > this.maxOnCpuMs) this.maxOnCpuMs = onCpuMs;
        if (wallMs > this.maxWallMs) {
          this.maxWallMs = wallMs;
          this.worst = { wallMs, onCpuMs, waitingMs, atMs: now };
        }
      }
      last = now;
      lastStat = stat;
      this.timer = setTimeout(tick, TICK_MS);
    };
    this.timer = setTimeout(tick, TICK_MS);
  }

  stop() {
    clearTimeout(this.timer);
  }

  /** Numbers rounded for reports. */
  report() {
    const r = (v) => Math.round(v * 10) / 10;
    return {
      maxStallWallMs: r(this.maxWallMs),
      maxStallOnCpuMs: r(this.maxOnCpuMs),
      worstWall: { wallMs: r(this.worst.wallMs), onCpuMs: r(this.worst.onCpuMs), waitingForCpuMs: r(this.worst.waitingMs), endedAtMs: Math.round(this.worst.atMs ?? 0) },
      stallsOver50msWall: this.over50Wall,
      stallsOver50msOnCpu: this.over50OnCpu,
    };
  }
}
