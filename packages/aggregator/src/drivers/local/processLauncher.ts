import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { errorMessage } from '@hms-sys/common';
import { EXIT_CANNOT_JOIN_CGROUP, type ProcessExit } from './exitReason.js';

/**
 * Starts container processes (a port: tests use fakes). The real launcher runs
 *   /bin/sh -c ENTER_CGROUPS_SCRIPT hms-sys-enter <n> <procs-file>… <command> <args>…
 * in a new session (own process group). The shell writes its own pid into each `cgroup.procs`
 * file and only then `exec`s the command, so the user's code never runs — and can never fork —
 * outside its cgroups. stdout and stderr append to the container's log file (O_APPEND, so the
 * supervisor can truncate it while the process runs).
 */
export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly logFile: string;
  /** `cgroup.procs` files to join before exec; empty in process mode. */
  readonly cgroupProcsFiles: readonly string[];
}

export interface LaunchedProcess {
  /** Pid of the container's main process (the shell's pid is kept by exec); undefined if spawn failed. */
  readonly pid: number | undefined;
  /** Resolves once, when the process has exited (or failed to start). */
  readonly exited: Promise<ProcessExit>;
  /** Signals the main process only (as a container runtime signals PID 1). */
  signal(signal: NodeJS.Signals): void;
}

export interface ProcessLauncher {
  launch(spec: LaunchSpec): LaunchedProcess;
}

/** The cgroup-joining wrapper; `$1` is the number of procs files that follow. */
export const ENTER_CGROUPS_SCRIPT = [
  'n=$1; shift',
  'while [ "$n" -gt 0 ]; do',
  `  echo $$ > "$1" || { echo "hms-sys: cannot join cgroup $1" >&2; exit ${EXIT_CANNOT_JOIN_CGROUP}; }`,
  '  shift; n=$((n-1))',
  'done',
  'exec "$@"',
].join('\n');

/** argv for /bin/sh that joins `procsFiles` then execs the command. Pure. */
export function enterArgv(procsFiles: readonly string[], command: string, args: readonly string[]): string[] {
  return ['-c', ENTER_CGROUPS_SCRIPT, 'hms-sys-enter', String(procsFiles.length), ...procsFiles, command, ...args];
}

export const spawnProcessLauncher: ProcessLauncher = {
  launch(spec: LaunchSpec): LaunchedProcess {
    let fd: number | undefined;
    try {
      mkdirSync(dirname(spec.logFile), { recursive: true });
      fd = openSync(spec.logFile, 'a', 0o640);
      const child = spawn('/bin/sh', enterArgv(spec.cgroupProcsFiles, spec.command, spec.args), {
        cwd: spec.cwd,
        env: { ...spec.env },
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      child.unref();
      const pid = child.pid;
      const exited = new Promise<ProcessExit>((resolve) => {
        child.once('error', (err) => resolve({ code: null, signal: null, error: errorMessage(err) }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      return {
        pid,
        exited,
        signal(signal) {
          if (pid === undefined) return;
          try {
            process.kill(pid, signal);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (err) {
      return { pid: undefined, exited: Promise.resolve({ code: null, signal: null, error: errorMessage(err) }), signal() {} };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
};
