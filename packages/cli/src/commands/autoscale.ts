import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage, hmsError, type ParsedOptions } from '@hms-sys/common';
import { simulateScenario } from '@hms-sys/aggregator';
import { parse as parseYaml } from 'yaml';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS, outputOption } from '../globalOptions.js';
import { createAutoscaleSimulateCommand } from './autoscaleSimulate.js';
import { autoscalerFromManifest } from '../hpaManifest.js';

const deploymentCommand: Command = {
  name: 'deployment',
  summary: 'Create or update the scaling rule of a Deployment (kubectl autoscale semantics)',
  usage: 'NAME --cpu-percent=P --min=N --max=M [-n NAMESPACE] [-f rule.yaml]',
  details: [
    'Without a behavior the rule takes Kubernetes\' legacy path (no spec.behavior): scale-down is',
    'stabilized over 5 minutes, scale-up at most doubles per evaluation. A behavior in HPA v2 shape',
    'comes from -f (a HorizontalPodAutoscaler or ScalingPolicy manifest, or a SPEC §5 autoscaler object)',
    'or from the --scale-*-stabilization flags. Flags override values from the file.',
    '',
    'Example (seed §3.2):  hms-sys autoscale deployment vote-api --cpu-percent=60 --min=1 --max=50',
  ].join('\n'),
  options: [
    { name: 'cpu-percent', type: 'int', min: 1, description: 'target average CPU utilization, percent of the request' },
    { name: 'min', type: 'int', min: 0, description: 'fewest replicas (default 1)' },
    { name: 'max', type: 'int', min: 1, description: 'most replicas' },
    { name: 'namespace', short: 'n', type: 'string', default: 'default', placeholder: 'NS', description: 'namespace of the Deployment' },
    { name: 'filename', short: 'f', type: 'string', placeholder: 'FILE', description: 'rule in HPA v2 shape (YAML or JSON)' },
    { name: 'scale-down-stabilization', type: 'duration', min: 0, max: 3_600_000, description: 'behavior.scaleDown.stabilizationWindowSeconds (sets a behavior)' },
    { name: 'scale-up-stabilization', type: 'duration', min: 0, max: 3_600_000, description: 'behavior.scaleUp.stabilizationWindowSeconds (sets a behavior)' },
    { name: 'tolerance', type: 'number', min: 0, description: 'tolerance around the target (default 0.1)' },
    outputOption(['table', 'json'], 'table'),
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runAutoscale(opts, ctx);
  },
};

async function runAutoscale(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const name = opts.positionals[0];
  if (!name || opts.positionals.length > 1) throw hmsError('HMS_USAGE', 'give exactly one Deployment name: hms-sys autoscale deployment NAME --cpu-percent=P --min=N --max=M');
  let body: Record<string, unknown> = {};
  const file = opts.optStr('filename');
  if (file) {
    let text: string;
    try {
      text = readFileSync(resolve(ctx.cwd, file), 'utf8');
    } catch (err) {
      throw hmsError('HMS_INPUT_INVALID', `cannot read ${file}: ${errorMessage(err)}`);
    }
    let doc: unknown;
    try {
      doc = parseYaml(text);
    } catch (err) {
      throw hmsError('HMS_INPUT_INVALID', `${file} is not valid YAML or JSON: ${errorMessage(err).split('\n')[0]}`);
    }
    body = autoscalerFromManifest(doc, file);
  }
  if (opts.has('cpu-percent')) body.targetCPUUtilizationPercentage = opts.num('cpu-percent');
  if (opts.has('min')) body.minReplicas = opts.num('min');
  if (opts.has('max')) body.maxReplicas = opts.num('max');
  if (opts.has('tolerance')) body.tolerance = opts.num('tolerance');
  for (const [flag, dir] of [['scale-down-stabilization', 'scaleDown'], ['scale-up-stabilization', 'scaleUp']] as const) {
    if (!opts.has(flag)) continue;
    const behavior = (body.behavior ?? {}) as Record<string, Record<string, unknown>>;
    behavior[dir] = { ...(behavior[dir] ?? {}), stabilizationWindowSeconds: Math.round(opts.num(flag) / 1000) };
    body.behavior = behavior;
  }
  if (body.maxReplicas === undefined) throw hmsError('HMS_USAGE', '--max is required (or maxReplicas in -f)');
  if (body.targetCPUUtilizationPercentage === undefined) throw hmsError('HMS_USAGE', '--cpu-percent is required (or a cpu target in -f)');
  const ns = opts.str('namespace');
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  const result = await client.put<Record<string, unknown>>(`/v1/autoscalers/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`, body);
  if (opts.str('output') === 'json') ctx.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else ctx.stdout.write(`horizontalpodautoscaler/${name} autoscaled (namespace ${ns}: cpu ${String(body.targetCPUUtilizationPercentage)}%, min ${String(body.minReplicas ?? 1)}, max ${String(body.maxReplicas)})\n`);
  return 0;
}

export const autoscaleCommand: Command = {
  name: 'autoscale',
  summary: 'Scaling rules: create one for a Deployment, or simulate a decision',
  subcommands: [deploymentCommand, createAutoscaleSimulateCommand({ simulate: simulateScenario })],
};
