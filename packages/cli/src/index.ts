export { main } from './main.js';
export type { Command, CommandContext } from './command.js';
export { rootCommand } from './root.js';
export { cliReference } from './reference.js';
