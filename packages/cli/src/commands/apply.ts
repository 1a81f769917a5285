import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errorMessage, hmsError, type ParsedOptions } from '@hms-sys/common';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS } from '../globalOptions.js';

type Outcome = { results: { kind: string; namespace: string; name: string; action: string }[]; warnings: string[] };

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

export const applyCommand: Command = {
  name: 'apply',
  summary: 'Run an apps/v1 Deployment (and policy/v1 PodDisruptionBudget) on the local driver',
  usage: '-f FILE|-',
  details: 'Supported: metadata.name/namespace, spec.replicas, template containers command/args/env, resources.requests/limits.cpu, readinessProbe. image is shown, not pulled.',
  options: [
    { name: 'filename', short: 'f', type: 'string', required: true, placeholder: 'FILE|-', description: 'manifest file (YAML or JSON, several documents allowed), or - for stdin' },
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runApply(opts, ctx);
  },
};

async function runApply(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const file = opts.str('filename');
  let text: string;
  try {
    text = file === '-' ? await readStdin(process.stdin) : readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (err) {
    throw hmsError('HMS_INPUT_INVALID', `cannot read ${file}: ${errorMessage(err)}`);
  }
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  const outcome = await client.request<Outcome>('POST', '/v1/apply', text);
  for (const w of outcome.warnings) ctx.stderr.write(`Warning: ${w}\n`);
  for (const r of outcome.results) ctx.stdout.write(`${r.kind.toLowerCase()}/${r.name} ${r.action}${r.namespace !== 'default' ? ` (namespace ${r.namespace})` : ''}\n`);
  return 0;
}

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'Delete a Deployment of the local driver (its pods stop, their cgroups are removed)',
  usage: 'deployment NAME [-n NAMESPACE]',
  options: [
    { name: 'namespace', short: 'n', type: 'string', default: 'default', placeholder: 'NS', description: 'namespace of the Deployment' },
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    const [kind, name] = opts.positionals;
    if (!kind || !['deployment', 'deployments', 'deploy'].includes(kind) || !name) {
      throw hmsError('HMS_USAGE', 'usage: hms-sys delete deployment NAME [-n NAMESPACE]');
    }
    const ns = opts.str('namespace');
    const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
    const r = await client.delete<{ pods: number }>(`/v1/deployments/${encodeURIComponent(ns)}/${encodeURIComponent(name)}`);
    ctx.stdout.write(`deployment/${name} deleted (${r.pods} pod${r.pods === 1 ? '' : 's'} stopping)\n`);
    return 0;
  },
};
