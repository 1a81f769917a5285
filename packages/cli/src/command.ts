import type { OptionSpec, ParsedOptions } from '@hms-sys/common';

/** What a command gets besides its flags: the process's streams and environment, injectable for tests. */
export interface CommandContext {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM: long-running commands shut down cleanly when it fires. */
  readonly signal: AbortSignal;
}

/**
 * One node of the command tree. A command either runs (`run`) or groups `subcommands`.
 * `run` returns the exit code (0 when it returns nothing) and throws HmsError for failures.
 */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line after `hms-sys <path>`, e.g. `deployment NAME --cpu-percent=P --min=N --max=M`. */
  readonly usage?: string;
  /** Extra help text (examples, notes). */
  readonly details?: string;
  readonly options?: readonly OptionSpec[];
  readonly subcommands?: readonly Command[];
  run?(opts: ParsedOptions, ctx: CommandContext): Promise<number | void>;
}
