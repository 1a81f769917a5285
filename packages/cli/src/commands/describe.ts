import { hmsError, type ParsedOptions } from '@hms-sys/common';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS } from '../globalOptions.js';
import { formatAge, formatTable } from '../table.js';

type Cond = { type: string; status: string; reason: string; message: string };
type Decision = { time: string; current: number; desired: number; recommendation: number | null; utilization: number | null; reason: string | null; limitReason: string | null; inputs: Record<string, unknown> };

export const describeCommand: Command = {
  name: 'describe',
  summary: 'Show one autoscaler in detail: rule, current state, conditions and the last decisions with their reasons',
  usage: 'hpa NAME [-n NAMESPACE]',
  options: [
    { name: 'namespace', short: 'n', type: 'string', default: 'default', placeholder: 'NS', description: 'namespace of the Deployment' },
    { name: 'decisions', type: 'int', default: 10, min: 0, max: 200, description: 'how many recent decisions to show' },
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runDescribe(opts, ctx);
  },
};

async function runDescribe(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const [kind, name] = opts.positionals;
  if (!kind || !['hpa', 'autoscaler', 'horizontalpodautoscaler'].includes(kind) || !name) {
    throw hmsError('HMS_USAGE', 'usage: hms-sys describe hpa NAME [-n NAMESPACE]');
  }
  const ns = opts.str('namespace');
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  const a = await client.get<Record<string, unknown>>(`/v1/autoscalers/${encodeURIComponent(ns)}/${encodeURIComponent(name)}?decisions=${opts.num('decisions')}`);
  const e = a.effective as Record<string, unknown>;
  const s = a.status as Record<string, unknown>;
  const lines: string[] = [];
  const kv = (k: string, v: unknown): void => { lines.push(`${(k + ':').padEnd(34)}${v === null || v === undefined ? '<none>' : String(v)}`); };
  kv('Name', a.name);
  kv('Namespace', a.namespace);
  kv('Reference', `Deployment/${String(a.name)}`);
  kv('CreationTimestamp', a.created);
  kv('Metrics', `( current / target )`);
  lines.push(`  resource cpu on pods  (as a percentage of request):  ${s.currentCPUUtilizationPercentage === null ? '<unknown>' : `${String(s.currentCPUUtilizationPercentage)}%`} / ${String(e.targetCPUUtilizationPercentage)}%`);
  kv('Min replicas', e.minReplicas);
  kv('Max replicas', e.maxReplicas);
  kv('Behavior', e.behavior ? JSON.stringify(e.behavior) : 'none (legacy path: 5 min scale-down stabilization, at most x2 per evaluation up)');
  kv('Tolerance', JSON.stringify(e.tolerance));
  kv('Deployment pods', `${String(s.currentReplicas ?? '<unknown>')} current / ${String(s.desiredReplicas ?? '<unknown>')} desired`);
  kv('Last scale', s.lastScaleTime ? `${String(s.lastScaleTime)} (${formatAge(String(s.lastScaleTime))} ago)` : '<never>');
  kv('Last evaluated', s.lastEvaluated);
  lines.push('Conditions:');
  const conds = (s.conditions as Cond[]) ?? [];
  lines.push(conds.length ? indent(formatTable(['Type', 'Status', 'Reason', 'Message'], conds.map((c) => [c.type, c.status, c.reason, c.message]))) : '  <none>');
  lines.push('Decisions (newest first):');
  const decisions = (a.decisions as Decision[]) ?? [];
  lines.push(decisions.length
    ? indent(formatTable(['Age', 'From', 'To', 'Proposal', 'CPU%', 'Pods (ready/metric)', 'Reason'], decisions.map((d) => [
        formatAge(d.time), d.current, d.desired, d.recommendation ?? '-', d.utilization === null ? '-' : `${d.utilization}%`,
        `${String(d.inputs.pods ?? '?')} (${String(d.inputs.ready ?? '?')}/${String(d.inputs.withMetric ?? '?')})`,
        [d.reason, d.limitReason && d.limitReason !== 'DesiredWithinRange' ? `limited: ${d.limitReason}` : ''].filter(Boolean).join('; '),
      ])))
    : '  <none yet>');
  ctx.stdout.write(lines.join('\n') + '\n');
  return 0;
}

function indent(text: string): string {
  return text.trimEnd().split('\n').map((l) => `  ${l}`).join('\n');
}
