import { describe, expect, it } from 'vitest';
import { afterRestart, DEFAULT_CRASH_LOOP_POLICY, restartDelay, type CrashLoopState } from '../../../src/drivers/local/crashLoopBackoff.js';
import { exitReason } from '../../../src/drivers/local/exitReason.js';
import { cpuSettings, formatCpuMilli, parseCpuQuantity, podCpuSettings, weightFromShares } from '../../../src/drivers/local/quantity.js';
import { pickNode } from '../../../src/drivers/local/scheduler.js';
import { planReplicas, type PlanPod } from '../../../src/drivers/local/replicaPlan.js';
import { budgetStatus, checkEviction, type BudgetPod } from '../../../src/drivers/local/disruptionBudget.js';
import { parseMountInfo, selectCpuHierarchies } from '../../../src/drivers/local/cgroupHierarchies.js';
import { parseProcStat } from '../../../src/drivers/local/procStat.js';
import { bumpKernelRelease } from '../../../src/drivers/local/hostRoot.js';
import { containerArgv, expandVars } from '../../../src/drivers/local/containerEnv.js';
import { humanAge, podStatusText } from '../../../src/drivers/local/podStatus.js';
import { parseProcessWorkloads, formatProcessWorkloads } from '../../../src/drivers/local/processWorkloads.js';

describe('CPU quantities', () => {
  it('parses millicores, decimals and integers', () => {
    expect(parseCpuQuantity('250m', 'x')).toBe(250);
    expect(parseCpuQuantity('0.5', 'x')).toBe(500);
    expect(parseCpuQuantity('2', 'x')).toBe(2000);
    expect(parseCpuQuantity(1.5, 'x')).toBe(1500);
    expect(parseCpuQuantity('0.3', 'x')).toBe(300);
    expect(parseCpuQuantity('0.0001', 'x')).toBe(1);
  });
  it('names the field on bad input', () => {
    expect(() => parseCpuQuantity('2 cores', 'spec.x.cpu')).toThrow(/spec\.x\.cpu must be a CPU quantity/);
    expect(parseCpuQuantity('2k', 'f')).toBe(2_000_000); // the full Kubernetes grammar, as the API server accepts it
    expect(() => parseCpuQuantity('-1', 'f')).toThrow(/f must be/);
    expect(() => parseCpuQuantity(true, 'f')).toThrow(/f must be/);
  });
  it('maps requests and limits like the kubelet', () => {
    expect(cpuSettings(250, 500)).toEqual({ shares: 256, weight: 10, quotaUsec: 50_000, periodUsec: 100_000 });
    expect(cpuSettings(undefined, undefined)).toEqual({ shares: 2, weight: 1, quotaUsec: undefined, periodUsec: 100_000 });
    expect(cpuSettings(1, 5)).toMatchObject({ shares: 2, quotaUsec: 1000 });
    expect(weightFromShares(1024)).toBe(39);
    expect(weightFromShares(262_144)).toBe(10_000);
    // pod quota only when every container is limited
    expect(podCpuSettings([{ cpuRequestMilli: 100, cpuLimitMilli: 200 }, { cpuRequestMilli: 100 }]).quotaUsec).toBeUndefined();
    expect(podCpuSettings([{ cpuRequestMilli: 100, cpuLimitMilli: 200 }, { cpuRequestMilli: 100, cpuLimitMilli: 300 }])).toMatchObject({ shares: 204, quotaUsec: 50_000 });
    expect(formatCpuMilli(250)).toBe('250m');
    expect(formatCpuMilli(2000)).toBe('2');
  });
});

describe('CrashLoopBackOff', () => {
  it('restarts at once, then waits 10s doubling to 5 min', () => {
    const delays: number[] = [];
    let state: CrashLoopState | undefined;
    let t = 0;
    for (let i = 0; i < 9; i++) {
      t += 1000; // runs 1 s, then crashes
      const d = restartDelay(state, t, DEFAULT_CRASH_LOOP_POLICY);
      delays.push(d / 1000);
      t += d;
      state = afterRestart(state, t, DEFAULT_CRASH_LOOP_POLICY);
    }
    expect(delays).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });
  it('resets after running 10 minutes', () => {
    let state: CrashLoopState | undefined = { backoffMs: 160_000, lastRestartMs: 0 };
    expect(restartDelay(state, 599_000)).toBe(160_000);
    expect(restartDelay(state, 600_001)).toBe(0);
    state = afterRestart(state, 600_001);
    expect(state.backoffMs).toBe(10_000);
  });
  it('formats exit reasons', () => {
    expect(exitReason({ code: 0, signal: null })).toBe('Completed (exit 0)');
    expect(exitReason({ code: 1, signal: null })).toBe('Error (exit 1)');
    expect(exitReason({ code: 3, signal: null })).toBe('Error (exit 3)');
    expect(exitReason({ code: null, signal: 'SIGKILL' })).toBe('Signal SIGKILL');
    expect(exitReason({ code: null, signal: null, error: 'spawn ENOENT' })).toBe('StartError: spawn ENOENT');
  });
});

describe('scheduler (seed §6.1 pick_node)', () => {
  const nodes = [
    { name: 'node-1', allocatableCpuMilli: 2000, unschedulable: false, ready: true },
    { name: 'node-2', allocatableCpuMilli: 2000, unschedulable: false, ready: true },
    { name: 'node-3', allocatableCpuMilli: 2000, unschedulable: false, ready: true },
  ];
  it('picks the node with the most free CPU', () => {
    const pods = [
      { node: 'node-1', cpuRequestMilli: 500 },
      { node: 'node-2', cpuRequestMilli: 200 },
      { node: 'node-3', cpuRequestMilli: 900 },
    ];
    expect(pickNode(nodes, pods, 100)).toEqual({ kind: 'placed', node: 'node-2', freeCpuMilli: 1800 });
  });
  it('skips cordoned and not-ready nodes and breaks ties by name', () => {
    const n = [{ ...nodes[0]!, unschedulable: true }, { ...nodes[1]!, ready: false }, nodes[2]!];
    expect(pickNode(n, [], 100)).toMatchObject({ kind: 'placed', node: 'node-3' });
    expect(pickNode(nodes, [], 100)).toMatchObject({ node: 'node-1' });
  });
  it('reports Insufficient cpu when nothing fits', () => {
    const pods = nodes.map((n) => ({ node: n.name, cpuRequestMilli: 1900 }));
    const p = pickNode([...nodes, { name: 'node-4', allocatableCpuMilli: 2000, unschedulable: true, ready: true }], pods, 200);
    expect(p).toEqual({ kind: 'unschedulable', reason: 'Insufficient cpu', message: '0/4 nodes are available: 3 Insufficient cpu, 1 node(s) were unschedulable.' });
    expect(pickNode([], [], 0)).toMatchObject({ kind: 'unschedulable', reason: 'No schedulable nodes' });
  });
});

const pod = (uid: string, over: Partial<PlanPod> = {}): PlanPod => ({
  uid, templateHash: 'h1', scheduled: true, running: true, ready: true, restartCount: 0, createdMs: 0, deleted: false, ...over,
});

describe('replica plan', () => {
  it('creates missing pods and ignores terminating ones', () => {
    expect(planReplicas(3, 'h1', [pod('a'), pod('b', { deleted: true })])).toEqual({ create: 2, remove: [] });
  });
  it('scales down not-ready first, then newest', () => {
    const pods = [pod('old', { createdMs: 1 }), pod('new', { createdMs: 3 }), pod('mid', { createdMs: 2 }), pod('sick', { ready: false, createdMs: 0 })];
    expect(planReplicas(2, 'h1', pods).remove).toEqual(['sick', 'new']);
    expect(planReplicas(0, 'h1', pods).remove).toHaveLength(4);
    expect(planReplicas(3, 'h1', [pod('x', { scheduled: false, running: false, ready: false }), pod('y'), pod('z'), pod('w')]).remove).toEqual(['x']);
  });
  it('rolls out a new template without dropping below the desired ready count', () => {
    let pods = [pod('o1', { templateHash: 'h0' }), pod('o2', { templateHash: 'h0' })];
    expect(planReplicas(2, 'h1', pods)).toEqual({ create: 1, remove: [] });
    pods = [...pods, pod('n1', { ready: false })];
    expect(planReplicas(2, 'h1', pods)).toEqual({ create: 0, remove: [] });
    pods = pods.map((p) => (p.uid === 'n1' ? { ...p, ready: true } : p));
    expect(planReplicas(2, 'h1', pods).remove).toHaveLength(1);
  });
});

describe('disruption budgets', () => {
  const bp = (uid: string, ready = true): BudgetPod => ({ uid, namespace: 'default', labels: { app: 'web' }, ready, deleted: false, phase: 'Running', ownerKey: 'default/web' });
  const pods = [bp('a'), bp('b'), bp('c')];
  it('computes disruptionsAllowed for minAvailable and maxUnavailable', () => {
    const min2 = { namespace: 'default', name: 'pdb', selector: { app: 'web' }, minAvailable: 2 };
    expect(budgetStatus(min2, pods, () => 3).disruptionsAllowed).toBe(1);
    const max0 = { namespace: 'default', name: 'pdb', selector: { app: 'web' }, maxUnavailable: 0 };
    expect(budgetStatus(max0, pods, () => 3).disruptionsAllowed).toBe(0);
    const pct = { namespace: 'default', name: 'pdb', selector: { app: 'web' }, minAvailable: '50%' };
    expect(budgetStatus(pct, pods, () => 3)).toMatchObject({ desiredHealthy: 2, disruptionsAllowed: 1 });
    const maxPct = { namespace: 'default', name: 'pdb', selector: { app: 'web' }, maxUnavailable: '34%' };
    expect(budgetStatus(maxPct, pods, () => 3)).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 2 });
  });
  it('blocks an eviction that would go below minAvailable, counting ready pods', () => {
    const b = { namespace: 'default', name: 'web-pdb', selector: { app: 'web' }, minAvailable: 2 };
    const some = [bp('a'), bp('b'), bp('c', false)];
    const statuses = [budgetStatus(b, some, () => 3)];
    const res = checkEviction(some[0]!, [b], statuses);
    expect(res).toMatchObject({ kind: 'blocked', budgets: ['web-pdb'] });
    // the unready pod may go: the budget is still met without it
    expect(checkEviction(some[2]!, [b], statuses)).toEqual({ kind: 'allowed' });
    // two budgets over one pod is an error, as in the eviction API
    expect(checkEviction(some[0]!, [b, { ...b, name: 'other' }], statuses).kind).toBe('error');
  });
});

describe('cgroup hierarchy detection', () => {
  const hybrid = [
    '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
    '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
    '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
    '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
    '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
    '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  ].join('\n');
  it('finds separate v1 cpu/cpuacct and the hybrid v2 tree', () => {
    const hs = selectCpuHierarchies(parseMountInfo(hybrid), '/sys/fs/cgroup', () => []);
    expect(hs).toEqual([
      { version: 2, mountPoint: '/sys/fs/cgroup/unified', controllers: [] },
      { version: 1, mountPoint: '/sys/fs/cgroup/cpu', controllers: ['cpu'] },
      { version: 1, mountPoint: '/sys/fs/cgroup/cpuacct', controllers: ['cpuacct'] },
    ]);
  });
  it('finds a combined cpu,cpuacct mount once, and pure v2', () => {
    const combined = '25 24 0:22 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n26 24 0:22 / /mnt/x rw - cgroup cgroup rw,cpu,cpuacct';
    expect(selectCpuHierarchies(parseMountInfo(combined), '/sys/fs/cgroup', () => [])).toEqual([{ version: 1, mountPoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpu', 'cpuacct'] }]);
    const v2 = '29 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate';
    expect(selectCpuHierarchies(parseMountInfo(v2), '/sys/fs/cgroup', () => ['cpuset', 'cpu', 'io'])).toEqual([{ version: 2, mountPoint: '/sys/fs/cgroup', controllers: ['cpuset', 'cpu', 'io'] }]);
  });
});

describe('small pure helpers', () => {
  it('parses /proc/<pid>/stat with spaces and parens in comm', () => {
    const text = '4242 (my (odd) prog) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 30 5 2 20 0 1 0 987654 1000 10 18446744073709551615';
    expect(parseProcStat(text)).toEqual({ pid: 4242, state: 'S', pgrp: 4242, cpuTicks: 280, startTicks: 987654 });
  });
  it('bumps kernel releases', () => {
    expect(bumpKernelRelease('6.1.0-18-amd64')).toBe('6.1.0-18-amd64+hms1');
    expect(bumpKernelRelease('6.1.0-18-amd64+hms1')).toBe('6.1.0-18-amd64+hms2');
  });
  it('expands $(VAR) like Kubernetes', () => {
    expect(expandVars('$(A)-$(B)-$$(A)', { A: 'x' })).toBe('x-$(B)-$(A)');
    expect(containerArgv({ name: 'c', command: ['echo', '$(HMS_SYS_POD_NAME)'], args: ['$(X)'], env: [] }, { HMS_SYS_POD_NAME: 'p', X: 'y' })).toEqual(['echo', 'p', 'y']);
  });
  it('shows kubectl statuses and ages', () => {
    expect(podStatusText([{ name: 'a', state: 'running', ready: true, restartCount: 0, everStarted: true }])).toBe('Running');
    expect(podStatusText([{ name: 'a', state: 'waiting', reason: 'CrashLoopBackOff', ready: false, restartCount: 2, everStarted: true }])).toBe('CrashLoopBackOff');
    expect(humanAge(45_000)).toBe('45s');
    expect(humanAge(5 * 60_000 + 3000)).toBe('5m3s');
    expect(humanAge(50 * 3_600_000)).toBe('2d2h');
  });
  it('round-trips the process-workloads file and drops junk', () => {
    const pods = [{ uid: 'u', namespace: 'default', name: 'p', containers: [{ name: 'c', pid: 42, startTicks: 7 }] }];
    expect(parseProcessWorkloads(formatProcessWorkloads(pods))).toEqual(pods);
    expect(parseProcessWorkloads('[{"uid":"u"},{"uid":"v","namespace":"n","name":"m","containers":[{"name":"c","pid":-1}]}]')).toEqual([{ uid: 'v', namespace: 'n', name: 'm', containers: [] }]);
    expect(parseProcessWorkloads('nope')).toEqual([]);
  });
});

describe('cgroup parent guard', () => {
  it('refuses parents that could reach a hierarchy root', async () => {
    const { assertCgroupParent } = await import('../../../src/drivers/local/cgroupManager.js');
    for (const bad of ['', '..', 'a/../..', 'a//b', '/abs', '.hidden/..']) expect(() => assertCgroupParent(bad), bad).toThrow(/cgroup parent/);
    for (const ok of ['hms-sys', 'hms-sys-test-1', 'kubepods.slice/hms', 'a_b/c.d']) expect(() => assertCgroupParent(ok)).not.toThrow();
  });
});
