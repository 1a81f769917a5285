import { hmsError, type ParsedOptions } from '@hms-sys/common';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS } from '../globalOptions.js';
import { formatMillicores, formatPercent, formatTable } from '../table.js';

type Row = Record<string, unknown>;

function render(what: 'nodes' | 'pods', rows: Row[]): string {
  if (what === 'nodes') {
    return formatTable(
      ['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'],
      rows.map((n) => {
        const cores = n.cpuUsageCores as number | null;
        const total = Number(n.cpuCores) || 0;
        const mem = Number(n.memoryBytes) || 0;
        const used = mem - (Number(n.memoryAvailableBytes) || 0);
        return [
          n.name + (n.connected ? '' : ' (disconnected)'), formatMillicores(cores), cores !== null && total ? formatPercent(cores / total) : '<unknown>',
          mem ? `${Math.round(used / 1048576)}Mi` : '<unknown>', mem ? formatPercent(used / mem) : '<unknown>',
        ];
      }),
    );
  }
  return formatTable(
    ['NAMESPACE', 'NAME', 'CPU(cores)', 'CPU%REQUEST', 'NODE'],
    rows
      .filter((p) => p.measured)
      .sort((a, b) => Number(b.cpuUsageCores ?? 0) - Number(a.cpuUsageCores ?? 0))
      .map((p) => [p.namespace, p.name, formatMillicores(p.cpuUsageCores as number | null), formatPercent(p.cpuUtilization as number | null), p.node]),
  );
}

export const topCommand: Command = {
  name: 'top',
  summary: 'Live CPU per node or pod, from the agents’ latest samples',
  usage: 'nodes|pods [-n NAMESPACE] [--watch]',
  options: [
    { name: 'namespace', short: 'n', type: 'string', placeholder: 'NS', description: 'only pods of this namespace' },
    { name: 'watch', short: 'w', type: 'boolean', description: 'refresh every second until interrupted' },
    { name: 'interval', type: 'duration', default: 1000, min: 200, description: 'refresh interval with --watch' },
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runTop(opts, ctx);
  },
};

async function runTop(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const what = opts.positionals[0];
  if (what !== 'nodes' && what !== 'pods' && what !== 'node' && what !== 'pod') {
    throw hmsError('HMS_USAGE', 'say what to show: top nodes or top pods');
  }
  const kind = what.startsWith('node') ? 'nodes' : 'pods';
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  const ns = opts.optStr('namespace');
  const once = async (): Promise<string> => {
    const rows = await client.get<Row[]>(kind === 'nodes' ? '/v1/nodes' : `/v1/pods${ns ? `?namespace=${encodeURIComponent(ns)}` : ''}`);
    return render(kind, rows);
  };
  if (!opts.bool('watch')) {
    ctx.stdout.write(await once());
    return 0;
  }
  while (!ctx.signal.aborted) {
    const text = await once();
    ctx.stdout.write(`\x1b[H\x1b[2J${new Date().toISOString()}\n${text}`);
    await new Promise((r) => setTimeout(r, opts.num('interval')));
  }
  return 0;
}
