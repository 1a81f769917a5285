import { isHmsError } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_PATCH_ESTIMATE_MS, estimateNodeDurationMs, percentile } from '../../src/patch/durationEstimate.js';
import { matchesSelector, parseSelector } from '../../src/patch/labelSelector.js';
import { planRollout } from '../../src/patch/planRollout.js';
import { parseWindows } from '../../src/patch/windows.js';
import { budget, node, pod } from './fixtures.js';

const MIN = 60_000;

describe('estimateNodeDurationMs', () => {
  it.each([
    ['no history: the documented default (15 min)', {}, DEFAULT_NODE_PATCH_ESTIMATE_MS, 'default'],
    ['enough own samples: p95 of them', { nodeDurationsMs: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 100].map((m) => m * MIN) }, 28 * MIN, 'node'],
    ['three own samples: p95 = the largest', { nodeDurationsMs: [5 * MIN, 9 * MIN, 7 * MIN] }, 9 * MIN, 'node'],
    ['only the last 20 own samples count', { nodeDurationsMs: [999 * MIN, ...Array<number>(20).fill(4 * MIN)] }, 4 * MIN, 'node'],
    ['fleet history when the node has too little', { nodeDurationsMs: [3 * MIN], fleetDurationsMs: [8, 9, 10, 11, 12].map((m) => m * MIN) }, 12 * MIN, 'fleet'],
    ['a slow node is never estimated faster than it has been', { nodeDurationsMs: [40 * MIN], fleetDurationsMs: [10 * MIN] }, 40 * MIN, 'fleet'],
    ['a single own sample without fleet history', { nodeDurationsMs: [7 * MIN] }, 7 * MIN, 'node'],
    ['garbage samples are ignored', { nodeDurationsMs: [NaN, -1, Infinity] }, DEFAULT_NODE_PATCH_ESTIMATE_MS, 'default'],
  ])('%s', (_name, history, expected, basis) => {
    const e = estimateNodeDurationMs(history);
    expect(e.estimateMs).toBe(expected);
    expect(e.basis).toBe(basis);
  });

  it('percentile is nearest-rank', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(percentile([], 0.95)).toBeUndefined();
  });
});

describe('label selector', () => {
  it.each([
    ['', { a: '1' }, true],
    ['pool=blue', { pool: 'blue' }, true],
    ['pool=blue', { pool: 'green' }, false],
    ['pool==blue,zone=a', { pool: 'blue', zone: 'a' }, true],
    ['pool=blue,zone=a', { pool: 'blue', zone: 'b' }, false],
    ['pool!=blue', {}, true],
    ['pool!=blue', { pool: 'blue' }, false],
    ['node-role.kubernetes.io/worker=', { 'node-role.kubernetes.io/worker': '' }, true],
  ])('%j on %j → %s', (text, labels, expected) => {
    expect(matchesSelector(labels, parseSelector(text))).toBe(expected);
  });

  it.each([['pool'], ['=blue'], ['pool=blue,'], ['po ol=blue'], ['pool=bl ue'], ['pool=-x']])('refuses %j with HMS_USAGE', (text) => {
    try {
      parseSelector(text);
      expect.unreachable();
    } catch (err) {
      expect(isHmsError(err, 'HMS_USAGE')).toBe(true);
      expect((err as Error).message).toMatch(/selector/);
    }
  });
});

describe('planRollout', () => {
  const cluster = () => {
    const heavy = [pod('heavy-1', 'n1', 1500), pod('heavy-2', 'n1', 500)];
    const light = [pod('light-1', 'n2', 200)];
    const mid = [pod('mid-1', 'n3', 700)];
    return {
      nodes: [
        node('n1', 4000, { labels: { pool: 'web' } }),
        node('n2', 4000, { labels: { pool: 'web' } }),
        node('n3', 4000, { labels: { pool: 'web' } }),
        node('n4', 4000, { labels: { pool: 'web' }, unschedulable: true }),
        node('db', 4000, { labels: { pool: 'db' } }),
      ],
      pods: [...heavy, ...light, ...mid, pod('idle-1', 'n4', 900)],
      budgets: [budget('heavy', heavy, 2)],
    };
  };

  it('orders pre-cordoned nodes first, then by evictable CPU ascending; selects by label', () => {
    const p = planRollout({ ...cluster(), selector: 'pool=web', nowMs: 0, concurrency: 1 });
    expect(p.order).toEqual(['n4', 'n2', 'n3', 'n1']);
    expect(p.unselected).toBe(1);
    expect(p.nodes.map((n) => n.position)).toEqual([1, 2, 3, 4]);
    expect(p.nodes[0]?.alreadyCordoned).toBe(true);
    expect(p.nodes.find((n) => n.node === 'n1')?.evictableCpuMilli).toBe(2000);
  });

  it('schedules N at a time with the estimates and sums the time', () => {
    const p = planRollout({
      ...cluster(),
      selector: 'pool=web',
      nowMs: 0,
      concurrency: 2,
      nodeDurationsMs: { n1: [30 * MIN, 30 * MIN, 30 * MIN] },
      fleetDurationsMs: [10 * MIN],
    });
    const byNode = Object.fromEntries(p.nodes.map((n) => [n.node, n.expected]));
    // n4 and n2 start at 0 (10 min each), then n3 and n1 at 10 min; n1 takes 30.
    expect(byNode).toEqual({
      n4: { startMs: 0, endMs: 10 * MIN },
      n2: { startMs: 0, endMs: 10 * MIN },
      n3: { startMs: 10 * MIN, endMs: 20 * MIN },
      n1: { startMs: 10 * MIN, endMs: 40 * MIN },
    });
    expect(p.totals).toMatchObject({ nodes: 4, blocked: 0, estimateSumMs: 60 * MIN, makespanMs: 40 * MIN, finishMs: 40 * MIN, scheduled: 4, fitsWindows: true, windowTimeLeftMs: null });
  });

  it('checks the estimate against the windows: a node that fits no window gets a note', () => {
    const t0 = Date.parse('2024-04-05T02:00Z');
    const windows = parseWindows(['2024-04-05T02:00Z/25m', '2024-04-06T02:00Z/25m']);
    const p = planRollout({ ...cluster(), selector: 'pool=web', nowMs: t0, concurrency: 1, windows, defaultEstimateMs: 10 * MIN, nodeDurationsMs: { n1: [60 * MIN, 60 * MIN, 60 * MIN] } });
    const exp = Object.fromEntries(p.nodes.map((n) => [n.node, n.expected && new Date(n.expected.startMs).toISOString()]));
    expect(exp).toEqual({
      n4: '2024-04-05T02:00:00.000Z',
      n2: '2024-04-05T02:10:00.000Z',
      n3: '2024-04-06T02:00:00.000Z', // 5 min left in the first window: waits for the next one
      n1: null,
    });
    expect(p.nodes.find((n) => n.node === 'n1')?.note).toMatch(/estimate 1h does not fit the 15m left in the current window, and no window follows it/);
    expect(p.totals.fitsWindows).toBe(false);
    expect(p.totals.windowTimeLeftMs).toBe(50 * MIN);
  });

  it('shows what blocks a node and the budget headroom', () => {
    const c = cluster();
    (c.budgets[0] as { disruptionsAllowed: number }).disruptionsAllowed = 0;
    const p = planRollout({ ...c, selector: 'pool=web', nowMs: 0, concurrency: 1 });
    const n1 = p.nodes.find((n) => n.node === 'n1');
    expect(n1?.preflight.ok).toBe(false);
    expect(n1?.note).toMatch(/blocked: disruption budget default\/heavy allows no disruption now \(2 of its pods are on n1/);
    expect(n1?.expected).toBeNull();
    expect(p.budgets).toEqual([{ budget: 'default/heavy', disruptionsAllowed: 0, maxPodsOnOneNode: 2, ok: false }]);
    expect(p.totals.blocked).toBe(1);
    expect(p.totals.fitsWindows).toBe(true); // every unblocked node fits
  });

  it('lets a budget with one disruption drain a node holding two of its pods, one eviction at a time', () => {
    const c = cluster();
    (c.budgets[0] as { disruptionsAllowed: number }).disruptionsAllowed = 1;
    const p = planRollout({ ...c, selector: 'pool=web', nowMs: 0, concurrency: 1 });
    expect(p.nodes.find((n) => n.node === 'n1')?.preflight.ok).toBe(true);
    expect(p.budgets).toEqual([{ budget: 'default/heavy', disruptionsAllowed: 1, maxPodsOnOneNode: 2, ok: true }]);
  });

  it('reports schedulable capacity', () => {
    const p = planRollout({ ...cluster(), nowMs: 0, concurrency: 1 });
    expect(p.totals.schedulableAllocatableMilli).toBe(16000);
    expect(p.totals.schedulableFreeMilli).toBe(16000 - 2900);
  });
});
