import { describe, expect, it } from 'vitest';
import { bar, formatPlan, formatRunStatus, nodeFraction, type PlanJson, type RunJson } from '../src/patchFormat.js';

const NOW = Date.parse('2024-04-05T02:05:00Z');

const run: RunJson = {
  id: 'p-20240405-020000-ab12', state: 'running', result: null, settled: false, reason: 'a node started', kind: 'kernel', concurrency: 1, failureBudget: 1,
  dryRun: false, selector: '', windows: [{ start: '2024-04-05T02:00:00.000Z', end: '2024-04-05T06:00:00.000Z' }], created: '2024-04-05T02:00:00.000Z',
  started: '2024-04-05T02:00:01.000Z', finished: null, nextStart: null, inFlight: ['n2'], progress: { final: 2, total: 3, done: 1 },
  nodes: [
    { name: 'n1', state: 'done', rebooted: true, simulated: true, bootIdBefore: 'aaaaaaaa-1', bootId: 'bbbbbbbb-2', kernelVersion: '6.1.0+hms1', durationMs: 42_000 },
    { name: 'n3', state: 'failed', bootId: 'cccccccc', failure: { code: 'command-failed', message: 'agent: patch failed (exit code 100)', leftCordoned: true }, agent: { state: 'failed', message: 'x', exitCode: 100, outputTail: 'E: broken\n' } },
    { name: 'n2', state: 'rebooting', since: '2024-04-05T02:04:50.000Z', bootIdBefore: 'dddddddd', bootId: 'dddddddd', reason: 'agent is rebooting the node' },
  ],
};

describe('patch status and plan rendering', () => {
  it('shows the run, a progress bar, each node with its boot ids, failures with the agent output tail', () => {
    const text = formatRunStatus(run, NOW, { bars: true });
    expect(text).toContain('Patch run p-20240405-020000-ab12: running — a node started');
    expect(text).toContain('(open, 3h55m left)');
    expect(text).toMatch(/n1\s+\[#{12}\]\s+done\s+took 42s\s+aaaaaaaa -> bbbbbbbb \(simulated\)\s+6\.1\.0\+hms1/);
    expect(text).toMatch(/n2\s+\[#{7}\.{5}\]\s+rebooting\s+10s/);
    expect(text).toContain('command-failed: agent: patch failed (exit code 100)');
    expect(text).toContain('n3 failed: command-failed: agent: patch failed (exit code 100) (left cordoned)\nn3: agent exit code 100, last output:\n  | E: broken');
    expect(bar(0.5, 10)).toBe('[#####.....]');
    expect(nodeFraction('pending')).toBe(0);
    expect(nodeFraction('blocked')).toBe(1);
  });

  it('explains a plan: order, verdicts with named reasons, budgets, time vs windows', () => {
    const plan: PlanJson = {
      now: '2024-04-05T02:00:00.000Z', kind: 'kernel', concurrency: 1, selector: '', windows: [{ start: '2024-04-05T02:00:00.000Z', end: '2024-04-05T02:10:00.000Z' }],
      defaultEstimateMs: 120_000, activeRun: null, unselected: 0,
      nodes: [
        { node: 'n2', position: 1, alreadyCordoned: false, evictableCpuMilli: 100, evictablePods: 1, estimate: { estimateMs: 120_000, basis: 'default', samples: 0 }, expected: { startMs: Date.parse('2024-04-05T02:00:00Z'), endMs: Date.parse('2024-04-05T02:02:00Z') }, note: null, preflight: { ok: true, reasons: [], warnings: [], capacity: { neededMilli: 100, freeMilli: 3800, candidates: ['n1', 'n3'] }, placements: [{ label: 'default/web-1', node: 'n1', cpuMilli: 100 }] } },
        { node: 'n1', position: 2, alreadyCordoned: false, evictableCpuMilli: 200, evictablePods: 2, estimate: { estimateMs: 120_000, basis: 'default', samples: 0 }, expected: null, note: 'blocked: …', preflight: { ok: false, reasons: [{ code: 'pdb-blocks', budget: 'default/web', message: 'disruption budget default/web allows 0 disruption(s) now but 2 of its pods are on n1' }], warnings: [], capacity: { neededMilli: 200, freeMilli: 3800, candidates: [] }, placements: [] } },
      ],
      budgets: [{ budget: 'default/web', disruptionsAllowed: 0, maxPodsOnOneNode: 2, ok: false }],
      totals: { nodes: 2, blocked: 1, estimateSumMs: 240_000, finishMs: Date.parse('2024-04-05T02:02:00Z'), makespanMs: 120_000, scheduled: 1, fitsWindows: true, windowTimeLeftMs: 600_000, schedulableAllocatableMilli: 6000, schedulableFreeMilli: 5700 },
    };
    const text = formatPlan(plan);
    expect(text).toMatch(/1\s+n2\s+1\s+100m\s+2m \(default\)\s+\+0s\s+\+2m\s+ok/);
    expect(text).toMatch(/2\s+n1\s+2\s+200m\s+2m \(default\)\s+-\s+-\s+BLOCKED: pdb-blocks/);
    expect(text).toContain('default/web: allows 0 disruption(s) now; at most 2 of its pods on one node — BLOCKS a drain');
    expect(text).toContain('n1: pdb-blocks (default/web): disruption budget default/web allows 0');
    expect(text).toContain('n2: default/web-1 -> n1');
    expect(text).toContain('Summary: 2 node(s), 1 blocked, 1 fit the windows');
    expect(text).toContain('window time left 10m');
  });
});
