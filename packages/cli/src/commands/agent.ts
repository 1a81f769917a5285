import { systemClock, systemRandom, type ParsedOptions } from '@hms-sys/common';
import { AGENT_OPTIONS, agentConfigFrom, openNode, startAgent } from '@hms-sys/agent';
import type { Command, CommandContext } from '../command.js';
import { loggerFrom, untilAborted } from '../logging.js';
import { formatTable } from '../table.js';

export const agentCommand: Command = {
  name: 'agent',
  summary: 'Run the node agent (what the DaemonSet runs), or print what it sees with --once',
  usage: '--node NAME --aggregator URL [--cgroup-root DIR] [--host-root DIR] [--interval 1s] [--state-dir D] [--token-file F]',
  details: [
    'Reads cumulative CPU of every pod and container cgroup (cgroup v1 and v2, systemd and cgroupfs,',
    'containerd, CRI-O and docker), node CPU from /proc/stat, and streams a MetricsBatch every interval.',
    '',
    'Example, what this machine looks like to the agent:   hms-sys agent --once',
  ].join('\n'),
  options: AGENT_OPTIONS,
  async run(opts, ctx) {
    return opts.bool('once') ? runOnce(opts, ctx) : runDaemon(opts, ctx);
  },
};

async function runOnce(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const config = agentConfigFrom(opts);
  const node = await openNode(config, { clock: systemClock });
  const c = node.collect();
  const view = {
    node: config.node,
    info: node.info,
    cgroup: { version: node.layout.version, root: node.paths.cgroupRoot },
    usage: c.nodeUsage ?? null,
    cgroupsScanned: c.cgroupsScanned,
    readErrors: c.readErrors,
    collectionMicros: c.durationUsec,
    pods: c.pods,
  };
  if (opts.str('output') === 'json') {
    ctx.stdout.write(JSON.stringify(view, null, 2) + '\n');
    return 0;
  }
  ctx.stdout.write(`Node ${config.node}: ${node.info.osImage || 'unknown OS'}, kernel ${node.info.kernelVersion}, ${node.info.cpuCores} CPUs, cgroup ${node.layout.version} at ${node.paths.cgroupRoot}\n`);
  ctx.stdout.write(`Boot id ${node.info.bootId}; ${c.cgroupsScanned} cgroups read in ${(c.durationUsec / 1000).toFixed(2)} ms${c.readErrors ? `, ${c.readErrors} read errors` : ''}\n\n`);
  if (c.pods.length === 0) {
    ctx.stdout.write('No pods or workloads found (Kubernetes layouts under kubepods, or --workload-parent children).\n');
    return 0;
  }
  ctx.stdout.write(formatTable(
    ['UID', 'NAMESPACE', 'NAME', 'QOS', 'CONTAINERS', 'CPU-SECONDS', 'CGROUP'],
    c.pods.map((p) => [
      p.uid.length > 36 ? `${p.uid.slice(0, 33)}...` : p.uid, p.namespace || '-', p.name || '-', p.qosClass || '-', p.containers.length,
      ((p.cpuUsageUsec || p.containers.reduce((s, x) => s + x.cpuUsageUsec, 0)) / 1e6).toFixed(2), p.cgroupPath || '-',
    ]),
  ));
  return 0;
}

async function runDaemon(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const config = agentConfigFrom(opts);
  const logger = loggerFrom(opts, { component: 'agent', node: config.node });
  const agent = await startAgent(config, { clock: systemClock, random: systemRandom, logger });
  await untilAborted(ctx.signal);
  logger.info('agent stopping');
  await agent.stop();
  return 0;
}
