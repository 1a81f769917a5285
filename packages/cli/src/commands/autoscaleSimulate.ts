import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { errorMessage, hmsError, type ParsedOptions } from '@hms-sys/common';
import { parse as parseYaml } from 'yaml';
import type { Command, CommandContext } from '../command.js';

/** Runs one scenario: the aggregator's `simulateScenario` (never throws; `{error}` when invalid). */
export type SimulateFn = (scenario: unknown) => object;

export interface AutoscaleSimulateDeps {
  readonly simulate: SimulateFn;
  /** Read for `-f -` (default: process.stdin). */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * `hms-sys autoscale simulate -f FILE|-` (SPEC §5): reads one scenario or a JSON array of them and
 * prints the decision(s) as JSON. Exit 0, or 1 when any scenario is invalid (its element is
 * `{error}`); an unreadable file or a document that does not parse is a one-line error, exit 1.
 * Pure what-if: no server. `simulate` is injected so the CLI does not reach into the aggregator's
 * internals (wire it with `simulateScenario` from @hms-sys/aggregator).
 */
export function createAutoscaleSimulateCommand(deps: AutoscaleSimulateDeps): Command {
  return {
    name: 'simulate',
    summary: 'What-if: run one HPA decision on a scenario file and print it as JSON (no server needed)',
    usage: '-f FILE|-',
    details: [
      'The scenario is JSON (YAML is accepted too): an object, or an array of them for a batch.',
      'Times are seconds relative to now; omitted fields take the Kubernetes defaults (SPEC §5).',
      '',
      'Example:',
      '  echo \'{"autoscaler":{"maxReplicas":10,"targetCPUUtilizationPercentage":50},"currentReplicas":2,',
      '        "pods":[{"cpuRequestMilli":1000,"cpuUsageMilli":900},{"cpuRequestMilli":1000,"cpuUsageMilli":700}]}\' \\',
      '    | hms-sys autoscale simulate -f -',
    ].join('\n'),
    options: [{ name: 'filename', short: 'f', type: 'string', required: true, placeholder: 'FILE|-', description: 'scenario file, or - for standard input' }],
    run: (opts, ctx) => runSimulate(opts, ctx, deps),
  };
}

async function runSimulate(opts: ParsedOptions, ctx: CommandContext, deps: AutoscaleSimulateDeps): Promise<number> {
  const file = opts.str('filename');
  const source = file === '-' ? 'standard input' : file;
  const text = file === '-' ? await readStream(deps.stdin ?? process.stdin) : await readScenarioFile(resolve(ctx.cwd, file), file);
  const doc = parseDocument(text, source);
  const results = Array.isArray(doc) ? doc.map((s) => deps.simulate(s)) : [deps.simulate(doc)];
  ctx.stdout.write(`${JSON.stringify(Array.isArray(doc) ? results : results[0], null, 2)}\n`);
  return results.some((r) => 'error' in r) ? 1 : 0;
}

async function readScenarioFile(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw hmsError('HMS_INPUT_INVALID', `cannot read scenario file ${shown}: ${errorMessage(err)}`, { cause: err });
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * JSON is the contract. YAML (a superset for these documents) is tried only when JSON fails, and
 * only an object or a list counts, so plain garbage still reports the JSON error.
 */
function parseDocument(text: string, source: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (jsonErr) {
    try {
      const doc = parseYaml(text) as unknown;
      if (typeof doc === 'object' && doc !== null) return doc;
    } catch {
      // fall through to the JSON error, the format users are told to write
    }
    const detail = text.trim() === '' ? 'it is empty' : errorMessage(jsonErr);
    throw hmsError('HMS_INPUT_INVALID', `${source} is not a valid scenario document (JSON): ${detail}`);
  }
}
