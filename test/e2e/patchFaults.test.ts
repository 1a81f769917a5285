/**
 * Issue 4 fault injection on real processes:
 * (c) a node's agent is SIGKILLed while the node drains: the drain goes on (the aggregator drives
 *     it), the restarted agent (same boot id) gets the command, every node reboots exactly once;
 * (d) a node that never comes back from its reboot (stay-down): it fails after the reboot timeout,
 *     stays cordoned with a reason, and the failure budget halts the run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPatchInvariants } from '@hms-sys/aggregator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootIds, createUpStack, getRun, idleDeployment, schedule, settled, waitFor, type UpStack } from './kit/upStack.js';

describe('patch runs under faults', () => {
  let stack: UpStack;

  beforeAll(async () => {
    stack = await createUpStack();
    await stack.start();
    // Pods that ignore SIGTERM for their 4 s grace period: each drain takes a few seconds.
    await stack.apply('slow', idleDeployment('slow', 3, { ignoreTerm: true, graceSeconds: 4 }));
    await waitFor(async () => {
      const d = (await stack.api<{ name: string; readyReplicas: number }[]>('GET', '/v1/deployments')).body.find((x) => x.name === 'slow');
      return d && d.readyReplicas === 3 ? true : undefined;
    }, 'slow ready', 20_000);
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('(c) an agent killed mid-drain: the drain completes, the node reboots once, the agent restart is no reboot', async () => {
    const before = await bootIds(stack);
    const id = await schedule(stack, ['--window=now/10m', '--drain-timeout=40s', '--reboot-timeout=30s', '--verify-timeout=30s', '--health-gate-timeout=40s']);
    const draining = await waitFor(async () => (await getRun(stack, id)).nodes.find((n) => n.state === 'draining'), 'a draining node', 30_000, 100);
    const pid = stack.agentPid(draining.name) as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => ((await stack.api<{ name: string; connected: boolean }[]>('GET', '/v1/nodes')).body.find((n) => n.name === draining.name)?.connected === false ? true : undefined), 'the agent to drop', 10_000, 100).catch(() => undefined);

    const run = await settled(stack, id, 120_000);
    expect(run, JSON.stringify(run.nodes.map((n) => [n.name, n.state, n.reason]))).toMatchObject({ state: 'done', result: 'success' });
    const events = (await stack.events()).filter((e) => e.run === id);
    const steps = events.filter((e) => e.type === 'patch.step' && e.node === draining.name).map((e) => `${String(e.from)}>${String(e.to)}`);
    expect(steps).toContain('draining>patching');
    expect(steps.some((s) => s.includes('releasing'))).toBe(false);
    expect(events.filter((e) => e.type === 'node.rebooted').map((e) => e.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const after = await bootIds(stack);
    for (const n of run.nodes) {
      expect(n.bootIdBefore).toBe(before[n.name]);
      expect(after[n.name]).not.toBe(before[n.name]);
    }
    // Ingest saw the killed agent come back on the same boot: no reboot recorded for that.
    const all = await stack.events();
    const killedAt = all.find((e) => e.type === 'node.left' && e.node === draining.name)?.seq ?? 0;
    const next = all.find((e) => e.seq > killedAt && e.node === draining.name && (e.type === 'node.joined' || e.type === 'node.rebooted'));
    expect(next?.type).toBe('node.joined');
    expect(next?.bootId).toBe(before[draining.name]);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
  }, 150_000);

  it('(d) a node that never comes back fails after the reboot timeout; the failure budget halts the run', async () => {
    for (const n of ['node-1', 'node-2', 'node-3']) writeFileSync(join(stack.nodeDir(n), 'stay-down'), '');
    const before = await bootIds(stack);
    const id = await schedule(stack, ['--window=now/10m', '--drain-timeout=40s', '--reboot-timeout=5s', '--failure-budget=1']);
    const run = await settled(stack, id, 90_000);
    expect(run.state).toBe('halted');
    const failed = run.nodes.filter((n) => n.state === 'failed');
    expect(failed).toHaveLength(1);
    const dead = failed[0]!;
    expect(dead.failure).toMatchObject({ code: 'reboot-timeout', leftCordoned: true });
    expect(dead.failure?.message).toMatch(/no new boot id within 5s/);
    expect(dead.rebooted).toBe(false);
    expect(run.nodes.filter((n) => n.name !== dead.name).map((n) => n.state)).toEqual(['skipped', 'skipped']);
    const nodes = (await stack.api<{ name: string; unschedulable: boolean }[]>('GET', '/v1/nodes')).body;
    expect(nodes.find((n) => n.name === dead.name)?.unschedulable).toBe(true);
    expect(nodes.filter((n) => n.name !== dead.name).every((n) => !n.unschedulable)).toBe(true);
    const events = (await stack.events()).filter((e) => e.run === id);
    const last = events.filter((e) => e.type === 'patch.step' && e.node === dead.name).at(-1);
    expect(last).toMatchObject({ to: 'failed', cordon: 'left' });
    expect(String(last?.reason)).toMatch(/left cordoned/);
    expect(events.filter((e) => e.type === 'node.rebooted')).toEqual([]);
    expect((await bootIds(stack))[dead.name]).toBe(before[dead.name]);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    expect(metrics).toContain('hms_sys_patch_runs_total{result="halted"} 1');
    expect(metrics).toContain(`hms_sys_patch_node_state{run="${id}",node="${dead.name}",state="failed"} 1`);
  }, 120_000);
});
