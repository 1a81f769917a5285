import type { OptionSpec, ParsedOptions } from '@hms-sys/common';
import { AGGREGATOR_OPTIONS, credentialPaths } from '@hms-sys/aggregator';
import type { Command, CommandContext } from '../command.js';
import { LOCAL_DRIVER_OPTIONS } from '../drivers.js';
import { startLocalStack } from '../localStack.js';
import { rememberServerToken } from '../localCredentials.js';
import { loggerFrom, untilAborted } from '../logging.js';

export const UP_OPTIONS: readonly OptionSpec[] = [
  { name: 'token', type: 'string', placeholder: 'TOKEN', description: 'operator token to use (default: generated once and saved in --data-dir)' },
  { name: 'simulate-reboots', type: 'boolean', description: 'with --nodes: a node reboot restarts that node\'s agent with a new boot id instead of touching this machine' },
  { name: 'interval', type: 'duration', default: 1000, min: 100, description: 'agent collection interval' },
  { name: 'workload-parent', type: 'list', default: ['system.slice'], placeholder: 'PATH', description: 'host cgroups whose children the host agent reports as workloads (services)' },
];

/** Flags of the embedded stack (`up`, `demo`). */
export const STACK_OPTIONS: readonly OptionSpec[] = [
  ...AGGREGATOR_OPTIONS.filter((o) => o.name !== 'agent-token-file' && o.name !== 'api-token-file' && o.name !== 'command-signing-key-file'),
  ...LOCAL_DRIVER_OPTIONS,
  ...UP_OPTIONS,
];

export const upCommand: Command = {
  name: 'up',
  summary: 'Run the whole stack on this machine: aggregator + agent(s) + the local driver (what `npm start` runs)',
  usage: '[--data-dir D] [--listen H:P] [--token T] [--nodes N] [--simulate-reboots]',
  details: [
    'Then, in another terminal:  hms-sys get nodes · hms-sys top pods · hms-sys apply -f vote-api.yaml',
    'As root, pods run in real cgroups; otherwise CPU is accounted per process from /proc (said at start).',
  ].join('\n'),
  options: STACK_OPTIONS,
  async run(opts, ctx) {
    return runUp(opts, ctx);
  },
};

async function runUp(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const logger = loggerFrom(opts);
  const stack = await startLocalStack(opts, ctx.cwd, logger);
  const mode = stack.driver.mode();
  const remembered = rememberServerToken(ctx.env, stack.agg.url, stack.tokens.operator);
  const virtual = stack.virtualNodes;
  const lines = [
    `HMS-SYS is up: API, /metrics and agent stream on ${stack.agg.url}`,
    `  status page  ${stack.agg.url}/#token=${stack.tokens.viewer}`,
    `  data dir     ${stack.dataDir}`,
    `  nodes        ${virtual ? `${virtual} virtual (node-1..node-${virtual})${opts.bool('simulate-reboots') ? ', reboots simulated' : ', reboots not allowed (add --simulate-reboots)'}` : `this host (${stack.hostNode})`}`,
    `  workloads    ${mode.mode === 'cgroup' ? 'real processes in real cgroups' : 'plain processes, CPU per process from /proc'}: ${mode.reason}`,
    `  tokens       ${credentialPaths(stack.dataDir).apiTokens}${remembered ? ` (operator token also in ${remembered})` : ''}`,
    '',
    'Try, in another terminal:',
    '  npx hms-sys get nodes',
    '  npx hms-sys top pods',
    '  npx hms-sys apply -f examples/vote-api.yaml && npx hms-sys autoscale deployment vote-api --cpu-percent=60 --min=1 --max=50',
    '  npx hms-sys demo load --rps 800     (offers load to vote-api; then: npx hms-sys get hpa)',
    ...(virtual && opts.bool('simulate-reboots') ? ['  npx hms-sys patch plan --window=now/10m && npx hms-sys patch schedule --window=now/10m --kind=kernel --strategy=rolling'] : []),
    '  npx hms-sys events --follow',
    'Stop with Ctrl-C (pods and cgroups are cleaned up).',
    '',
  ];
  ctx.stderr.write(lines.join('\n'));
  await untilAborted(ctx.signal);
  logger.info('shutting down: stopping agents, pods and cgroups');
  await stack.stop();
  return 0;
}
