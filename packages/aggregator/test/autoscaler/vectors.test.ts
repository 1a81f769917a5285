/**
 * Vectors ported from the upstream Kubernetes controller tests, each a SPEC §5 scenario run through
 * simulateScenario. Expected values are the upstream ones (see `source` in each entry).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateScenario } from '../../src/autoscaler/simulate.js';

interface Vector {
  readonly name: string;
  readonly source: string;
  readonly scenario: unknown;
  readonly expect: Record<string, unknown>;
}

const dir = new URL('./vectors/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('upstream vectors', () => {
  it('has the fixture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });
  for (const file of files) {
    const vectors = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Vector[];
    describe(file, () => {
      it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
        const out = simulateScenario(v.scenario);
        expect(out, JSON.stringify(out)).not.toHaveProperty('error');
        expect(out).toMatchObject(v.expect);
      });
    });
  }
});
