import type { Command } from './command.js';

/** The command tree. Each command lives in src/commands/<name>.ts. */
export function rootCommand(): Command {
  return {
    name: 'hms-sys',
    summary: 'HMS-SYS: per-pod CPU at 1-second resolution, HPA-exact autoscaling, and capacity-aware rolling patch windows.',
    subcommands: [],
  };
}
