import { spawn, type ChildProcess } from 'node:child_process';

/** Bytes of combined stdout+stderr kept from a command (the tail goes into CommandStatus.output_tail). */
export const OUTPUT_TAIL_BYTES = 4096;
/** Exit code reported when a command ran past its timeout (as timeout(1) does). */
export const TIMEOUT_EXIT_CODE = 124;
/** Exit code reported when the command could not be started at all (as a shell does). */
export const SPAWN_FAILED_EXIT_CODE = 127;
/** After the timeout: SIGTERM to the command's process group, then SIGKILL this much later (ms). */
export const KILL_GRACE_MS = 5000;

/** What running one command produced. */
export interface CommandResult {
  /** The exit code; 128+N when killed by signal N; TIMEOUT_EXIT_CODE / SPAWN_FAILED_EXIT_CODE as above. */
  readonly exitCode: number;
  /** The last OUTPUT_TAIL_BYTES of stdout and stderr, interleaved as they arrived (UTF-8, lossy at the cut). */
  readonly outputTail: string;
  readonly timedOut: boolean;
  /** Wall time the command took, ms. */
  readonly durationMs: number;
  /** Why it could not run (spawn error), if it could not. */
  readonly error?: string;
}

export interface RunOptions {
  /** Kill the command after this long, ms. */
  readonly timeoutMs: number;
  /** Extra environment for the command (added to the agent's). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Port (GUIDE §7): runs one shell command. Never throws and never rejects: every failure is a
 * CommandResult with an exit code and a message in the tail.
 */
export interface CommandRunner {
  run(command: string, opts: RunOptions): Promise<CommandResult>;
}

/** Keeps the last `limit` bytes written to it. */
export class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit = OUTPUT_TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size - (this.chunks[0]?.length ?? 0) >= this.limit && this.chunks.length > 1) {
      this.size -= (this.chunks.shift() as Buffer).length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

/**
 * Runs commands with `/bin/sh -c` in their own process group (a timeout kills the whole group,
 * e.g. apt-get and its dpkg children). `abandon()` stops waiting for commands still running (the
 * agent is stopping): they are left to finish on their own rather than killed half-way through
 * a package upgrade.
 */
export class ShellCommandRunner implements CommandRunner {
  private readonly running = new Map<ChildProcess, () => void>();

  constructor(private readonly shell = '/bin/sh') {}

  run(command: string, opts: RunOptions): Promise<CommandResult> {
    const started = Date.now();
    const tail = new TailBuffer();
    return new Promise<CommandResult>((resolve) => {
      let child: ChildProcess;
      try {
        child = spawn(this.shell, ['-c', command], {
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, ...(opts.env ?? {}) },
        });
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        resolve({ exitCode: SPAWN_FAILED_EXIT_CODE, outputTail: `cannot start ${this.shell}: ${error}`, timedOut: false, durationMs: 0, error });
        return;
      }
      let timedOut = false;
      let settled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const group = (sig: NodeJS.Signals): void => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          /* already gone */
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        tail.push(Buffer.from(`\n[hms-sys: timed out after ${opts.timeoutMs} ms; killing the command]\n`));
        group('SIGTERM');
        killTimer = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
      }, Math.max(1, opts.timeoutMs));
      this.running.set(child, () => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
      });
      const finish = (r: Omit<CommandResult, 'durationMs' | 'outputTail' | 'timedOut'>): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        this.running.delete(child);
        resolve({ ...r, outputTail: tail.text(), timedOut, durationMs: Date.now() - started });
      };
      child.stdout?.on('data', (d: Buffer) => tail.push(d));
      child.stderr?.on('data', (d: Buffer) => tail.push(d));
      child.once('error', (err) => {
        tail.push(Buffer.from(`cannot run command: ${err.message}\n`));
        finish({ exitCode: SPAWN_FAILED_EXIT_CODE, error: err.message });
      });
      child.once('close', (code, signal) => {
        const bySignal = signal ? 128 + (signalNumber(signal) ?? 0) : undefined;
        finish({ exitCode: timedOut ? TIMEOUT_EXIT_CODE : code ?? bySignal ?? 1 });
      });
    });
  }

  /** Stops waiting for running commands (they keep running, detached). */
  abandon(): void {
    for (const [child, cancelTimers] of this.running) {
      cancelTimers();
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.unref();
    }
    this.running.clear();
  }
}

const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

function signalNumber(signal: string): number | undefined {
  return SIGNALS[signal];
}
