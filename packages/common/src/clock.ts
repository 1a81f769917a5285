/**
 * Time as an injected port (GUIDE §6): production code asks a Clock, tests drive a ManualClock
 * and never sleep for real.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Wall clock, ms since the epoch. For display and persisted timestamps only. */
  now(): number;
  /** Monotonic ms (arbitrary origin). For durations and timeouts. */
  monotonic(): number;
  /** Calls fn once after ms. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Calls fn every ms until cancelled. */
  setInterval(fn: () => void, ms: number): TimerHandle;
  /** Resolves after ms. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** CLOCK_MONOTONIC in microseconds (process.hrtime is CLOCK_MONOTONIC on Linux: comparable
 *  across processes within one boot). */
export function monotonicUsec(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => Number(process.hrtime.bigint()) / 1e6,
  setTimeout(fn, ms) {
    const t = globalThis.setTimeout(fn, ms);
    return { cancel: () => globalThis.clearTimeout(t) };
  },
  setInterval(fn, ms) {
    const t = globalThis.setInterval(fn, ms);
    return { cancel: () => globalThis.clearInterval(t) };
  },
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const t = globalThis.setTimeout(done, ms);
      function done(): void {
        globalThis.clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

interface ManualTimer {
  id: number;
  at: number;
  every: number | undefined;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires due timers in time order.
 * Wall time starts at `startWallMs` and moves with monotonic time.
 */
export class ManualClock implements Clock {
  private mono = 0;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(private readonly startWallMs = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.startWallMs + this.mono;
  }

  monotonic(): number {
    return this.mono;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, ms, Math.max(1, ms));
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const h = this.setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => { h.cancel(); resolve(); }, { once: true });
    });
  }

  /** Moves time forward by ms, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.mono + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.mono = Math.max(this.mono, due.at);
      if (due.every === undefined) this.timers = this.timers.filter((t) => t !== due);
      else due.at += due.every;
      due.fn();
    }
    this.mono = target;
  }

  /** Advances in steps, letting promise callbacks run between them. */
  async advanceAsync(ms: number, stepMs = ms): Promise<void> {
    let left = ms;
    while (left > 0) {
      const step = Math.min(stepMs, left);
      this.advance(step);
      left -= step;
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Number of pending timers (for tests asserting cleanup). */
  pendingTimers(): number {
    return this.timers.length;
  }

  private add(fn: () => void, ms: number, every: number | undefined): TimerHandle {
    const timer: ManualTimer = { id: this.nextId++, at: this.mono + Math.max(0, ms), every, fn };
    this.timers.push(timer);
    return { cancel: () => { this.timers = this.timers.filter((t) => t !== timer); } };
  }
}
