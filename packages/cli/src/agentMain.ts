import type { CommandContext } from './command.js';
import { agentCommand } from './commands/agent.js';
import { ROOT_SUMMARY } from './rootSummary.js';
import { runCommand } from './runCommand.js';

/**
 * `hms-sys agent …` with only the agent command loaded: the DaemonSet's process keeps the
 * aggregator, its SQLite schema, the Kubernetes driver and the demo out of its memory
 * (~5 MiB of RSS on every node). Same options, help and exit codes as through main().
 */
export function agentMain(argv: readonly string[], overrides: Partial<CommandContext> = {}): Promise<number> {
  return runCommand({ name: 'hms-sys', summary: ROOT_SUMMARY, subcommands: [agentCommand] }, argv, overrides);
}
