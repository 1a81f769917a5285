import type { Command } from './command.js';
import { ROOT_SUMMARY } from './rootSummary.js';
import { agentCommand } from './commands/agent.js';
import { applyCommand, deleteCommand } from './commands/apply.js';
import { upCommand } from './commands/up.js';
import { aggregatorCommand } from './commands/aggregator.js';
import { autoscaleCommand } from './commands/autoscale.js';
import { benchCommand } from './commands/bench.js';
import { demoCommand } from './commands/demo.js';
import { describeCommand } from './commands/describe.js';
import { eventsCommand } from './commands/events.js';
import { CORE_KINDS, createGetCommand } from './commands/get.js';
import { HPA_KIND } from './commands/hpaKind.js';
import { patchCommand } from './commands/patch.js';
import { topCommand } from './commands/top.js';

/** The command tree. Each command lives in src/commands/<name>.ts. */
export function rootCommand(): Command {
  return {
    name: 'hms-sys',
    summary: ROOT_SUMMARY,
    subcommands: [upCommand, agentCommand, aggregatorCommand, applyCommand, deleteCommand, createGetCommand([...CORE_KINDS, HPA_KIND]), topCommand, autoscaleCommand, describeCommand, patchCommand, eventsCommand, demoCommand, benchCommand],
  };
}
