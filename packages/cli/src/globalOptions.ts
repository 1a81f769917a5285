import type { OptionSpec } from '@hms-sys/common';

/** Flags every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'help', short: 'h', type: 'boolean', env: false, description: 'show help for this command' },
  { name: 'debug', type: 'boolean', description: 'print stack traces and debug logs' },
  { name: 'log-level', type: 'string', choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'log level' },
  { name: 'log-format', type: 'string', choices: ['json', 'pretty'], description: 'log format (default: pretty on a terminal, json otherwise)' },
];

/** Flags of commands that talk to a running aggregator. */
export const CLIENT_OPTIONS: readonly OptionSpec[] = [
  { name: 'server', type: 'string', default: 'http://127.0.0.1:9400', placeholder: 'URL', description: 'aggregator API address' },
  { name: 'token', type: 'string', placeholder: 'TOKEN', description: 'API token (default: the one `hms-sys up` saved in --data-dir or ~/.config/hms-sys)' },
  { name: 'data-dir', type: 'string', default: './.hms-sys', placeholder: 'DIR', description: 'data dir of a local `hms-sys up`, to find its tokens' },
];

/** -o for listing commands. */
export function outputOption(choices: readonly string[] = ['table', 'wide', 'json'], dflt = 'table'): OptionSpec {
  return { name: 'output', short: 'o', type: 'string', choices, default: dflt, description: 'output format' };
}
