/**
 * Issue 8.4: malformed YAML and JSON handed to the real `hms-sys` CLI (apply -f, autoscale -f,
 * autoscale simulate -f) against a real aggregator: one clear line on stderr, exit code 1 (2 for
 * bad usage), no stack trace, and the aggregator keeps serving. The API side of the same inputs
 * is covered in packages/aggregator/test/security/apiAccess.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@hms-sys/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAggregator, type TestAggregator } from '../../packages/aggregator/test/kit/testAggregator.js';
import { WorkloadFakeDriver } from '../../packages/aggregator/test/kit/workloadFakeDriver.js';
import { runCli } from '../e2e/kit/cli.js';

let t: TestAggregator;
let dir: string;
beforeAll(async () => {
  t = await startTestAggregator({ driver: new WorkloadFakeDriver() });
  dir = mkdtempSync(join(tmpdir(), 'hms-malformed-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const r = seededRandom(84);
const garbage = Buffer.from(Array.from({ length: 2048 }, () => Math.floor(r.next() * 256)));
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: 9 }, (_, i) => {
  const prev = String.fromCharCode(97 + i);
  const next = String.fromCharCode(98 + i);
  return `${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`;
})].join('\n') + '\n';

/** Inputs no command may choke on. */
const INPUTS: Record<string, string | Buffer> = {
  'broken.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n',
  'broken.json': '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}',
  'tabs.yaml': 'apiVersion: apps/v1\n\tkind: Deployment\n',
  'scalar.yaml': '42\n',
  'empty.yaml': '',
  'laughs.yaml': laughs,
  'garbage.bin': garbage,
  'deep.json': '['.repeat(50_000) + ']'.repeat(50_000),
};

function expectCleanFailure(res: { code: number | null; stdout: string; stderr: string }, what: string): void {
  const lines = res.stderr.trim().split('\n').filter(Boolean);
  expect([what, res.code]).toEqual([what, 1]);
  expect([what, lines.length]).toEqual([what, 1]);
  expect(lines[0], what).toMatch(/^hms-sys: /);
  expect(res.stderr, what).not.toMatch(/\n\s+at |internal error/);
}

describe('malformed input to the CLI', () => {
  const client = (): string[] => ['--server', t.agg.url, '--token', t.tokens.operator];

  for (const [name, content] of Object.entries(INPUTS)) {
    it(`${name}: apply -f, autoscale -f and autoscale simulate -f fail with one line and exit 1`, async () => {
      const file = join(dir, name);
      writeFileSync(file, content);
      const runs = await Promise.all([
        runCli(['apply', '-f', file, ...client()]),
        runCli(['autoscale', 'deployment', 'web', '-f', file, '--cpu-percent', '50', '--max', '3', ...client()]),
        runCli(['autoscale', 'simulate', '-f', file]),
      ]);
      expectCleanFailure(runs[0]!, `apply ${name}`);
      expectCleanFailure(runs[1]!, `autoscale -f ${name}`);
      // simulate reports an invalid scenario as {"error": ...} on stdout (SPEC §5) or one line on stderr.
      const sim = runs[2]!;
      expect([`simulate ${name}`, sim.code]).toEqual([`simulate ${name}`, 1]);
      expect(sim.stderr).not.toMatch(/\n\s+at |internal error/);
      if (sim.stderr.trim()) expect(sim.stderr.trim().split('\n')).toHaveLength(1);
      else {
        const out = JSON.parse(sim.stdout) as unknown;
        for (const element of Array.isArray(out) ? out : [out]) expect(element).toHaveProperty('error');
      }
    });
  }

  it('usage mistakes exit 2; the aggregator served every request above and is still up', async () => {
    expect((await runCli(['apply', ...client()])).code).toBe(2);
    expect((await runCli(['autoscale', 'simulate'])).code).toBe(2);
    const missing = await runCli(['apply', '-f', join(dir, 'does-not-exist.yaml'), ...client()]);
    expectCleanFailure(missing, 'missing file');
    expect((await fetch(`${t.agg.url}/healthz`)).status).toBe(200);
  });
});
