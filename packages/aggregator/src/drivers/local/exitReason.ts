/** How a container process ended. */
export interface ProcessExit {
  /** Exit status, or null when killed by a signal or never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (spawn failed). */
  readonly error?: string;
}

/** Exit status of the cgroup-joining wrapper when it cannot join a cgroup (see processLauncher.ts). */
export const EXIT_CANNOT_JOIN_CGROUP = 125;

/**
 * The LAST-EXIT text users see: `Completed (exit 0)`, `Error (exit 3)`, `Signal SIGKILL`,
 * `StartError: …`. Pure.
 */
export function exitReason(exit: ProcessExit): string {
  if (exit.error !== undefined) return `StartError: ${exit.error}`;
  if (exit.signal !== null) return `Signal ${exit.signal}`;
  if (exit.code === 0) return 'Completed (exit 0)';
  if (exit.code === 127) return 'Error (exit 127: command not found)';
  if (exit.code === 126) return 'Error (exit 126: command not executable)';
  if (exit.code === EXIT_CANNOT_JOIN_CGROUP) return `Error (exit ${EXIT_CANNOT_JOIN_CGROUP}: could not join its cgroup)`;
  return `Error (exit ${exit.code ?? '?'})`;
}

/** The Kubernetes `terminated.reason` for an exit: Completed or Error (signals are errors too). */
export function terminatedReason(exit: ProcessExit): 'Completed' | 'Error' | 'StartError' {
  if (exit.error !== undefined) return 'StartError';
  return exit.code === 0 && exit.signal === null ? 'Completed' : 'Error';
}
