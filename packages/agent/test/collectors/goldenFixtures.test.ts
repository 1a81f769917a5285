import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CgroupCollector } from '../../src/collectors/cgroupCollector.js';
import { detectCgroupLayout } from '../../src/collectors/cgroupLayout.js';
import { collectNodeUsage } from '../../src/collectors/collectNodeUsage.js';
import { readNodeInfo } from '../../src/collectors/readNodeInfo.js';
import { createFsHostReader } from '../../src/host/fsHostReader.js';
import { createHostPaths } from '../../src/host/hostPaths.js';

/**
 * Runs the collectors on every fixture host tree under test/fixtures/<scenario>/ and compares
 * with its expected.json. `UPDATE_GOLDENS=1 npx vitest run packages/agent/test/collectors`
 * rewrites the goldens on purpose: review the diff by eye before committing it.
 */
const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const UPDATE = process.env['UPDATE_GOLDENS'] === '1';

interface Scenario {
  readonly description: string;
  readonly workloadParents?: string[];
}

const scenarios = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

async function runScenario(root: string, scenario: Scenario): Promise<Record<string, unknown>> {
  const paths = createHostPaths({ hostRoot: root });
  const reader = createFsHostReader();
  const layout = detectCgroupLayout(paths, reader);
  const collector = new CgroupCollector({ paths, reader, layout, workloadParents: scenario.workloadParents ?? [] });
  const first = collector.collect();
  // The second cycle answers from cached directory listings; it must not change anything.
  expect(collector.collect()).toEqual(first);

  const out: Record<string, unknown> = { layout, cgroups: first };
  if (existsSync(path.join(root, 'proc/stat'))) {
    const noSystemFacts = (): never => {
      throw new Error('systeminformation must not be consulted for a fixture host root');
    };
    out['nodeUsage'] = collectNodeUsage(paths, reader);
    out['nodeInfo'] = await readNodeInfo({ paths, reader, cgroupVersion: layout.version, systemFacts: noSystemFacts });
  }
  return out;
}

describe('collectors on fixture host trees (golden files)', () => {
  it('has the scenarios the agent must understand', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of scenarios) {
    const root = path.join(FIXTURES, name);
    const scenario = JSON.parse(readFileSync(path.join(root, 'scenario.json'), 'utf8')) as Scenario;
    it(`${name}: ${scenario.description}`, async () => {
      const actual = await runScenario(root, scenario);
      const goldenPath = path.join(root, 'expected.json');
      if (UPDATE || !existsSync(goldenPath)) {
        writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
        if (!UPDATE) throw new Error(`wrote missing golden ${goldenPath}; review it and rerun`);
      }
      expect(actual).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
    });
  }
});
