/**
 * Kubernetes CrashLoopBackOff as the kubelet computes it (kuberuntime doBackOff over
 * flowcontrol.Backoff), as pure functions of times in ms (monotonic):
 *   - the first exit restarts at once; each later exit waits the current back-off, which starts at
 *     `initialMs` (10 s) and doubles at every restart up to `maxMs` (5 min): 0, 10, 20, 40, 80, 160, 300, 300 … s;
 *   - a container that ran longer than `resetAfterMs` (10 min, 2 × max) since its last restart
 *     starts over: immediate restart, back-off back to `initialMs`.
 */
export interface CrashLoopPolicy {
  /** First back-off, ms. */
  readonly initialMs: number;
  /** Cap, ms. */
  readonly maxMs: number;
  /** Running this long since the last restart resets the back-off, ms. */
  readonly resetAfterMs: number;
}

export const DEFAULT_CRASH_LOOP_POLICY: CrashLoopPolicy = Object.freeze({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });

/** The back-off entry of one container; undefined before its first restart. */
export interface CrashLoopState {
  /** Wait applied to the next exit, ms. */
  readonly backoffMs: number;
  /** When the container was last restarted (monotonic ms). */
  readonly lastRestartMs: number;
}

function expired(state: CrashLoopState, atMs: number, policy: CrashLoopPolicy): boolean {
  return atMs - state.lastRestartMs > policy.resetAfterMs;
}

/** How long to wait, in ms, before restarting a container that exited at `exitedAtMs`. */
export function restartDelay(state: CrashLoopState | undefined, exitedAtMs: number, policy: CrashLoopPolicy = DEFAULT_CRASH_LOOP_POLICY): number {
  if (state === undefined || expired(state, exitedAtMs, policy)) return 0;
  return state.backoffMs;
}

/** The back-off entry after restarting the container at `restartAtMs`. */
export function afterRestart(state: CrashLoopState | undefined, restartAtMs: number, policy: CrashLoopPolicy = DEFAULT_CRASH_LOOP_POLICY): CrashLoopState {
  if (state === undefined || expired(state, restartAtMs, policy)) return { backoffMs: policy.initialMs, lastRestartMs: restartAtMs };
  return { backoffMs: Math.min(policy.maxMs, state.backoffMs * 2), lastRestartMs: restartAtMs };
}
