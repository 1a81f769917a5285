import { hmsError, type ParsedOptions } from '@hms-sys/common';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS, outputOption } from '../globalOptions.js';
import { formatAge, formatMillicores, formatTable } from '../table.js';

type Row = Record<string, unknown>;

/** Renders one resource kind; `extra` lets other modules (autoscaler) add kinds. */
export interface ResourceKind {
  readonly names: readonly string[];
  readonly path: (opts: ParsedOptions) => string;
  readonly table: (rows: Row[], wide: boolean) => string;
  /** Matches the NAME positional (default: row.name). */
  readonly matches?: (row: Row, name: string) => boolean;
}

export function nodeStatus(n: Row): string {
  const base = n.connected ? 'Ready' : 'NotReady';
  return n.unschedulable ? `${base},SchedulingDisabled` : base;
}

const NODES: ResourceKind = {
  names: ['nodes', 'node', 'no'],
  path: () => '/v1/nodes',
  table: (rows, wide) =>
    formatTable(
      ['NAME', 'STATUS', 'CPU', 'CORES', 'PODS', 'KERNEL', 'LAST-SEEN', ...(wide ? ['OS-IMAGE', 'BOOT-ID', 'CGROUP', 'AGENT'] : [])],
      rows.map((n) => [
        n.name, nodeStatus(n), formatMillicores(n.cpuUsageCores as number | null), n.cpuCores, n.pods, n.kernelVersion || '<unknown>',
        n.lastSeen ? `${formatAge(n.lastSeen as string)} ago` : '<never>',
        ...(wide ? [n.osImage || '<unknown>', n.bootId || '<unknown>', n.cgroupVersion || '<unknown>', n.agentVersion || '<unknown>'] : []),
      ]),
    ),
};

export function podStatus(p: Row): string {
  if (p.lastTerminationReason && p.ready === false && (p.restarts as number) > 0) return 'CrashLoopBackOff';
  return String(p.phase ?? 'Running');
}

const PODS: ResourceKind = {
  names: ['pods', 'pod', 'po'],
  path: (opts) => `/v1/pods${opts.optStr('namespace') ? `?namespace=${encodeURIComponent(opts.str('namespace'))}` : ''}`,
  table: (rows, wide) =>
    formatTable(
      ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'CPU', 'REQUEST', 'NODE', ...(wide ? ['LAST-EXIT', 'QOS', 'UID', 'CGROUP'] : [])],
      rows.map((p) => [
        p.namespace, p.name, p.ready === null ? '-' : p.ready ? 'yes' : 'no', podStatus(p), p.restarts ?? 0,
        formatMillicores(p.cpuUsageCores as number | null),
        p.cpuRequestCores === null ? '-' : formatMillicores(p.cpuRequestCores as number), p.node || '<none>',
        ...(wide ? [p.lastTerminationReason ?? '-', p.qosClass ?? '-', p.uid, p.cgroupPath ?? '-'] : []),
      ]),
    ),
};

/** The built-in kinds; the command tree adds others (hpa) when it builds `get`. */
export const CORE_KINDS: readonly ResourceKind[] = [NODES, PODS];

/** `hms-sys get KIND`, for the given kinds. */
export function createGetCommand(kinds: readonly ResourceKind[]): Command {
  return {
    name: 'get',
    summary: 'List nodes, pods or autoscalers (kubectl-style)',
    usage: 'nodes|pods|hpa [NAME] [-n NAMESPACE] [-o table|wide|json]',
    options: [
      { name: 'namespace', short: 'n', type: 'string', placeholder: 'NS', description: 'only this namespace' },
      outputOption(),
      ...CLIENT_OPTIONS,
    ],
    async run(opts, ctx) {
      return runGet(kinds, opts, ctx);
    },
  };
}

async function runGet(kinds: readonly ResourceKind[], opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const [what, name] = opts.positionals;
  if (!what) throw hmsError('HMS_USAGE', 'say what to get: nodes, pods or hpa', { hint: "see 'hms-sys get --help'" });
  const kind = kinds.find((k) => k.names.includes(what));
  if (!kind) throw hmsError('HMS_USAGE', `unknown resource "${what}"; expected one of ${kinds.map((k) => k.names[0]).join(', ')}`);
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  let rows = await client.get<Row[]>(kind.path(opts));
  const ns = opts.optStr('namespace');
  if (ns) rows = rows.filter((r) => r.namespace === undefined || r.namespace === ns);
  if (name) {
    rows = rows.filter((r) => (kind.matches ? kind.matches(r, name) : r.name === name));
    if (rows.length === 0) throw hmsError('HMS_NOT_FOUND', `${kind.names[1]} "${name}" not found${ns ? ` in namespace ${ns}` : ''}`);
  }
  const output = opts.str('output');
  if (output === 'json') {
    ctx.stdout.write(JSON.stringify(name ? rows[0] : rows, null, 2) + '\n');
  } else if (rows.length === 0) {
    ctx.stderr.write(`No ${kind.names[0]} found.\n`);
  } else {
    ctx.stdout.write(kind.table(rows, output === 'wide'));
  }
  return 0;
}
