import type { CommandContext } from './command.js';
import { rootCommand } from './root.js';
import { runCommand } from './runCommand.js';

/** Runs `hms-sys <argv>` with every command and resolves to the exit code (see runCommand). */
export function main(argv: readonly string[], overrides: Partial<CommandContext> = {}): Promise<number> {
  return runCommand(rootCommand(), argv, overrides);
}
