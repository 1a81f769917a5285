import { describe, expect, it } from 'vitest';
import type { DisruptionBudget, DriverNode, DriverPod } from '../../src/drivers/types.js';
import { classifyPodForDrain } from '../../src/patch/drainFilter.js';
import { acceptsNewPods, freeCpuMilli, pickNode, simulatePlacement } from '../../src/patch/placement.js';
import { preflight, type PreflightReasonCode } from '../../src/patch/preflight.js';
import { budget, node, pod } from './fixtures.js';

describe('pickNode (seed §6.1)', () => {
  const nodes = [
    { name: 'a', freeMilli: 500 },
    { name: 'b', freeMilli: 2000 },
    { name: 'c', freeMilli: 1000 },
  ];
  it.each([
    [100, 'b'],
    [2000, 'b'],
    [2001, undefined],
  ])('needs %i m → %s (most free CPU first)', (need, expected) => {
    expect(pickNode(nodes, need)?.name).toBe(expected);
  });
  it('breaks ties by name', () => {
    expect(pickNode([{ name: 'z', freeMilli: 10 }, { name: 'm', freeMilli: 10 }], 5)?.name).toBe('m');
  });
});

describe('simulatePlacement', () => {
  it('places biggest first, each placement lowering its node for the next pod', () => {
    const r = simulatePlacement(
      [
        { key: 's', cpuMilli: 300, label: 'small' },
        { key: 'l', cpuMilli: 900, label: 'large' },
        { key: 'm', cpuMilli: 600, label: 'medium' },
      ],
      [
        { name: 'a', freeMilli: 1000 },
        { name: 'b', freeMilli: 800 },
      ],
    );
    expect(r.placements.map((p) => `${p.label}->${p.node}`)).toEqual(['large->a', 'medium->b']);
    // large->a (a:100 left), medium->b (b:200 left), small (300) fits nowhere.
    expect(r.unplaced.map((d) => [d.label, d.bestFreeMilli])).toEqual([['small', 200]]);
    expect(r.freeAfter).toEqual({ a: 100, b: 200 });
  });

  it('smallest-first would have packed differently: the order is part of the contract', () => {
    // 700 + 300 fit on a (1000) and 600 on b (600) only when 700 goes first.
    const r = simulatePlacement(
      [
        { key: '1', cpuMilli: 300, label: 'p300' },
        { key: '2', cpuMilli: 600, label: 'p600' },
        { key: '3', cpuMilli: 700, label: 'p700' },
      ],
      [
        { name: 'a', freeMilli: 1000 },
        { name: 'b', freeMilli: 600 },
      ],
    );
    expect(r.unplaced).toEqual([]);
  });
});

describe('freeCpuMilli / acceptsNewPods', () => {
  it('counts requests of pods that still hold CPU (terminating yes, finished no)', () => {
    const n = node('a', 2000);
    const pods = [
      pod('x-1', 'a', 500),
      pod('y-1', 'a', 300, { deleted: true }),
      pod('z-1', 'a', 700, { phase: 'Succeeded' }),
      pod('w-1', 'b', 100),
      pod('n-1', 'a', undefined),
    ];
    expect(freeCpuMilli(n, pods)).toBe(1200);
  });
  it.each([
    [{}, true],
    [{ unschedulable: true }, false],
    [{ ready: false }, false],
    [{ taints: ['node-role.kubernetes.io/control-plane=:NoSchedule'] }, false],
    [{ taints: ['dedicated=gpu:NoExecute'] }, false],
    [{ taints: ['spot=true:PreferNoSchedule'] }, true],
    [{ taints: ['node.kubernetes.io/unschedulable=:NoSchedule'] }, true],
  ] as [Partial<DriverNode>, boolean][])('%j → %s', (extra, ok) => {
    expect(acceptsNewPods(node('a', 1000, extra))).toBe(ok);
  });
});

describe('classifyPodForDrain (kubectl drain filters)', () => {
  it.each([
    [{ mirror: true }, {}, 'skip', 'mirror'],
    [{ owner: { kind: 'Node', name: 'a' } }, {}, 'skip', 'mirror'],
    [{ owner: { kind: 'DaemonSet', name: 'agent' } }, {}, 'skip', 'daemonset'],
    [{ deleted: true }, {}, 'wait', 'terminating'],
    [{ phase: 'Succeeded', owner: undefined }, {}, 'evict', 'finished'],
    [{ hasEmptyDir: true }, {}, 'block', 'emptydir-pod'],
    [{ hasEmptyDir: true }, { deleteEmptyDirData: true }, 'evict', 'emptydir-allowed'],
    [{ owner: undefined }, {}, 'block', 'unmanaged-pod'],
    [{ owner: undefined }, { force: true }, 'evict', 'unmanaged-forced'],
    [{}, {}, 'evict', 'managed'],
  ] as [Partial<DriverPod>, object, string, string][])('%j %j → %s %s', (extra, opts, action, reason) => {
    const c = classifyPodForDrain(pod('p-1', 'a', 100, extra), opts);
    expect([c.action, c.reason]).toEqual([action, reason]);
  });
});

describe('preflight', () => {
  const base = (): { nodes: DriverNode[]; pods: DriverPod[]; budgets: DisruptionBudget[] } => {
    const web = [pod('web-1', 'a', 500), pod('web-2', 'b', 500)];
    return {
      nodes: [node('a', 2000), node('b', 2000), node('c', 2000)],
      pods: [...web, pod('api-1', 'a', 1000), pod('agent-a', 'a', 100, { owner: { kind: 'DaemonSet', name: 'agent' } })],
      budgets: [budget('web', web, 1)],
    };
  };

  it('passes with evictions (biggest first), placements on the most-free nodes, and headroom', () => {
    const { nodes, pods, budgets } = base();
    const r = preflight({ nodes, pods, budgets, node: 'a' });
    expect(r.ok).toBe(true);
    expect(r.reasons).toEqual([]);
    expect(r.evictions.map((p) => p.name)).toEqual(['api-1', 'web-1']);
    expect(r.evictions[0]).toMatchObject({ node: 'a', cpuRequestMilli: 1000, owner: 'Deployment/api' });
    // c is the emptiest (2000 free) → api-1 (1000); then c and b have 1000/1500 free → web-1 → b.
    expect(r.placements.map((p) => `${p.label}->${p.node}`)).toEqual(['default/api-1->c', 'default/web-1->b']);
    expect(r.skipped).toEqual([{ pod: 'default/agent-a', reason: 'daemonset' }]);
    expect(r.capacity).toEqual({ neededMilli: 1500, committedMilli: 0, freeMilli: 3500, candidates: ['b', 'c'] });
    expect(r.budgets).toEqual([{ budget: 'default/web', disruptionsAllowed: 1, evicting: 1, neverAllows: false, ok: true }]);
    expect(r.nodeInfo).toEqual({ unschedulable: false, ready: true, bootId: 'boot-a', kernelVersion: '6.1.0' });
  });

  type Case = [string, (v: ReturnType<typeof base>) => void, PreflightReasonCode, RegExp, { force?: boolean; unavailable?: string[]; node?: string }?];
  const cases: Case[] = [
    ['unknown node', () => {}, 'node-not-found', /node zz is not in the cluster/, { node: 'zz' }],
    ['an unmanaged pod', (v) => v.pods.push(pod('bare', 'a', 10, { owner: undefined })), 'unmanaged-pod', /pod default\/bare has no controller.*--force/],
    ['an emptyDir pod', (v) => v.pods.push(pod('cache-1', 'a', 10, { hasEmptyDir: true })), 'emptydir-pod', /default\/cache-1 uses emptyDir.*--delete-emptydir-data/],
    [
      'no other node',
      (v) => {
        v.nodes.splice(1);
        v.pods = v.pods.filter((p) => p.node === 'a');
        v.budgets = [];
      },
      'no-other-node',
      /it is the only node/,
    ],
    [
      'every other node cordoned or NotReady',
      (v) => {
        v.nodes = [node('a', 2000), node('b', 2000, { unschedulable: true }), node('c', 2000, { ready: false })];
      },
      'no-other-node',
      /every other node is cordoned, NotReady, tainted or already being patched \(b, c\)/,
    ],
    [
      'not enough CPU elsewhere',
      (v) => v.pods.push(pod('big-1', 'b', 1900), pod('big-2', 'c', 1500)),
      'insufficient-capacity',
      /pod default\/api-1 needs 1000m CPU; the most free on any other schedulable node after placing the larger pods is 500m/,
    ],
    [
      'capacity committed to an in-flight node',
      (v) => v.pods.push(pod('moving-1', 'c', 1800), pod('moving-2', 'c', 100)),
      'insufficient-capacity',
      /needs/,
      { unavailable: ['c'] },
    ],
    ['a budget without headroom', (v) => ((v.budgets[0] as { disruptionsAllowed: number }).disruptionsAllowed = 0), 'pdb-blocks', /disruption budget default\/web allows no disruption now \(1 of its pods are on a: default\/web-1\)/],
    ['maxUnavailable 0', (v) => (v.budgets[0] = { ...(v.budgets[0] as DisruptionBudget), maxUnavailable: 0, disruptionsAllowed: 0 }), 'pdb-never-allows', /default\/web \(maxUnavailable 0\) never allows an eviction/],
    ['maxUnavailable 0%', (v) => (v.budgets[0] = { ...(v.budgets[0] as DisruptionBudget), maxUnavailable: '0%', disruptionsAllowed: 5 }), 'pdb-never-allows', /never allows/],
    ['minAvailable = every pod', (v) => (v.budgets[0] = { ...(v.budgets[0] as DisruptionBudget), minAvailable: 2, disruptionsAllowed: 0 }), 'pdb-never-allows', /minAvailable 2 of 2 pods/],
    ['minAvailable 100%', (v) => (v.budgets[0] = { ...(v.budgets[0] as DisruptionBudget), minAvailable: '100%', disruptionsAllowed: 0 }), 'pdb-never-allows', /minAvailable 100% of 2 pods/],
    [
      'two budgets select one pod',
      (v) => v.budgets.push(budget('web-too', v.pods.filter((p) => p.name === 'web-1'), 5)),
      'pdb-multiple',
      /pod default\/web-1 is selected by 2 disruption budgets \(default\/web, default\/web-too\)/,
    ],
  ];

  it.each(cases)('refuses: %s', (_name, mutate, code, message, opts = {}) => {
    const v = base();
    mutate(v);
    const r = preflight({ nodes: v.nodes, pods: v.pods, budgets: v.budgets, node: opts.node ?? 'a', unavailableNodes: opts.unavailable, options: { force: opts.force } });
    expect(r.ok).toBe(false);
    const reason = r.reasons.find((x) => x.code === code);
    expect(reason, JSON.stringify(r.reasons)).toBeDefined();
    expect(reason?.message).toMatch(message);
  });

  it('reports every problem at once', () => {
    const v = base();
    v.pods.push(pod('bare', 'a', 10, { owner: undefined }), pod('cache-1', 'a', 10, { hasEmptyDir: true }));
    (v.budgets[0] as { disruptionsAllowed: number }).disruptionsAllowed = 0;
    const r = preflight({ ...v, node: 'a' });
    expect(r.reasons.map((x) => x.code).sort()).toEqual(['emptydir-pod', 'pdb-blocks', 'unmanaged-pod']);
  });

  it('--force and --delete-emptydir-data turn those blocks into warnings', () => {
    const v = base();
    v.pods.push(pod('bare', 'a', 10, { owner: undefined }), pod('cache-1', 'a', 10, { hasEmptyDir: true }));
    const r = preflight({ ...v, node: 'a', options: { force: true, deleteEmptyDirData: true } });
    expect(r.ok).toBe(true);
    expect(r.warnings.join('\n')).toMatch(/bare has no controller and is evicted because of --force/);
    expect(r.warnings.join('\n')).toMatch(/cache-1 loses its emptyDir data/);
  });

  it('counts unbound pending pods as competing demand (and can be told not to)', () => {
    const v = base();
    v.pods.push(pod('pending-1', undefined, 1900, { phase: 'Pending' }), pod('pending-2', undefined, 1900, { phase: 'Pending' }));
    expect(preflight({ ...v, node: 'a' }).reasons.map((r) => r.code)).toContain('insufficient-capacity');
    expect(preflight({ ...v, node: 'a', options: { countPendingPods: false } }).ok).toBe(true);
  });

  it('an in-flight node is never a target', () => {
    const v = base();
    const r = preflight({ ...v, node: 'a', unavailableNodes: ['c'] });
    expect(r.placements.every((p) => p.node === 'b')).toBe(true);
    expect(r.capacity.candidates).toEqual(['b']);
    expect(r.capacity.committedMilli).toBe(0);
  });

  it('a pod without a CPU request is placed as 0m with a warning', () => {
    const v = base();
    v.pods.push(pod('noreq-1', 'a', undefined));
    const r = preflight({ ...v, node: 'a' });
    expect(r.ok).toBe(true);
    expect(r.warnings.join()).toMatch(/noreq-1 requests no CPU/);
  });

  it('finished pods are evicted but need neither a place nor budget headroom', () => {
    const v = base();
    const done = pod('job-1', 'a', 5000, { phase: 'Succeeded', owner: { kind: 'Job', name: 'job' } });
    v.pods.push(done);
    v.budgets.push(budget('job', [done], 0));
    const r = preflight({ ...v, node: 'a' });
    expect(r.ok).toBe(true);
    expect(r.evictions.map((p) => p.name)).toContain('job-1');
  });
});
