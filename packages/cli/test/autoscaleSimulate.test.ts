/**
 * `hms-sys autoscale simulate`: exit codes, array in → array out, stdin, one-line errors.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { HmsError, parseOptions } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../aggregator/src/autoscaler/simulate.js';
import type { CommandContext } from '../src/command.js';
import { createAutoscaleSimulateCommand } from '../src/commands/autoscaleSimulate.js';

const scenario = (current: number, usage: number) => ({
  autoscaler: { maxReplicas: 10, targetCPUUtilizationPercentage: 50 },
  currentReplicas: current,
  pods: Array.from({ length: current }, (_, i) => ({ name: `p${i}`, cpuRequestMilli: 1000, cpuUsageMilli: usage })),
  history: { recommendations: [] },
});

function sink(): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({ write(chunk: Buffer, _enc, cb) { out += chunk.toString(); cb(); } });
  return { stream, text: () => out };
}

async function run(argv: string[], opts: { stdin?: string; cwd?: string } = {}) {
  const cmd = createAutoscaleSimulateCommand({ simulate: simulateScenario, ...(opts.stdin === undefined ? {} : { stdin: Readable.from([opts.stdin]) }) });
  const stdout = sink();
  const stderr = sink();
  const ctx: CommandContext = { stdout: stdout.stream, stderr: stderr.stream, env: {}, cwd: opts.cwd ?? dir, signal: new AbortController().signal };
  const code = await cmd.run!(parseOptions(cmd.options ?? [], argv, {}), ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'hms-simulate-'));
const file = (name: string, content: string): string => {
  writeFileSync(join(dir, name), content);
  return name;
};

describe('autoscale simulate', () => {
  it('reads one scenario from a file (relative to cwd) and prints its decision, exit 0', async () => {
    const r = await run(['-f', file('one.json', JSON.stringify(scenario(2, 900)))]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      desiredReplicas: 4,
      recommendation: 4,
      cpuUtilizationPercent: 90,
      limitReason: 'DesiredWithinRange',
      conditions: [
        { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale' },
        { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
        { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange' },
      ],
    });
  });

  it('reads standard input with -f -', async () => {
    const r = await run(['-f', '-'], { stdin: JSON.stringify(scenario(2, 500)) });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ desiredReplicas: 2, recommendation: 2 });
  });

  it('an array in gives an array out, in order', async () => {
    const r = await run(['--filename', file('many.json', JSON.stringify([scenario(2, 900), scenario(4, 100)]))]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { desiredReplicas: number }[]).map((x) => x.desiredReplicas)).toEqual([4, 1]);
  });

  it('an invalid element gives {error} in its place and exit 1, the others still run', async () => {
    const r = await run(['-f', '-'], { stdin: JSON.stringify([scenario(2, 900), { currentReplicas: 1 }]) });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out[0]).toMatchObject({ desiredReplicas: 4 });
    expect(out[1]).toEqual({ error: 'autoscaler is required (an object with at least maxReplicas); autoscaler.maxReplicas is required (an integer >= 1)' });
  });

  it('a single invalid scenario prints {error} and exits 1', async () => {
    const r = await run(['-f', '-'], { stdin: '{"autoscaler":{"maxReplica":3},"currentReplicas":1}' });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ error: expect.stringContaining('unknown field autoscaler.maxReplica (did you mean "maxReplicas"?)') });
  });

  it('an empty array is fine', async () => {
    const r = await run(['-f', '-'], { stdin: '[]' });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('accepts YAML', async () => {
    const r = await run(['-f', file('one.yaml', 'autoscaler:\n  maxReplicas: 10\n  targetCPUUtilizationPercentage: 50\ncurrentReplicas: 1\npods:\n  - cpuRequestMilli: 1000\n    cpuUsageMilli: 1000\n')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ recommendation: 2, cpuUtilizationPercent: 100 });
  });

  it.each([
    ['a missing file', ['-f', 'nope.json'], undefined, /^cannot read scenario file nope\.json: ENOENT/],
    ['invalid JSON', ['-f', '-'], 'this is not json', /^standard input is not a valid scenario document \(JSON\): /],
    ['empty input', ['-f', '-'], '', /^standard input is not a valid scenario document \(JSON\): it is empty$/],
  ])('%s is a one-line error with exit code 1', async (_name, argv, stdin, message) => {
    const err = await run(argv, stdin === undefined ? {} : { stdin }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HmsError);
    expect((err as HmsError).exitCode).toBe(1);
    expect((err as HmsError).message).toMatch(message);
    expect((err as HmsError).message).not.toContain('\n');
  });

  it('requires -f', () => {
    const cmd = createAutoscaleSimulateCommand({ simulate: simulateScenario });
    expect(() => parseOptions(cmd.options ?? [], [], {})).toThrow(/--filename is required/);
  });
});
