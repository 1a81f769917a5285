import { errnoCode } from '@hms-sys/common';

/** Why a file could not be used: its cgroup went away, it could not be read, or its content was not understood. */
export type ReadProblemReason = 'vanished' | 'unreadable' | 'malformed';

/** One failed read, for debug logs. `path` is relative to the cgroup root (or the host root for /proc files). */
export interface ReadProblem {
  readonly path: string;
  readonly reason: ReadProblemReason;
  /** errno code (ENOENT, EACCES, ...) or what was wrong with the content. */
  readonly detail: string;
}

/** Default cap on the problem descriptions a cycle keeps (the count is never capped). */
export const DEFAULT_MAX_PROBLEM_DETAILS = 20;

/** Counts every problem of a cycle and keeps the first `max` descriptions. */
export class ReadProblemLog {
  private n = 0;
  private readonly kept: ReadProblem[] = [];

  constructor(private readonly max: number = DEFAULT_MAX_PROBLEM_DETAILS) {}

  add(problem: ReadProblem): void {
    this.n += 1;
    if (this.kept.length < this.max) this.kept.push(problem);
  }

  get count(): number {
    return this.n;
  }

  get details(): readonly ReadProblem[] {
    return this.kept;
  }
}

/** Classifies a thrown read error: ENOENT means the file (or its cgroup) is gone. */
export function problemFromError(path: string, err: unknown): ReadProblem {
  const code = errnoCode(err) ?? 'EUNKNOWN';
  return { path, reason: code === 'ENOENT' ? 'vanished' : 'unreadable', detail: code };
}

/** True when a thrown read error means "no such file or directory". */
export function isGone(err: unknown): boolean {
  return errnoCode(err) === 'ENOENT';
}
