/**
 * Issue 4 end to end, on real processes: `hms-sys up --nodes 3 --simulate-reboots`, a small
 * Deployment, then rolling kernel patch runs scheduled with the CLI.
 * (a) a full run: one node at a time, every boot id changed exactly once, pods moved off each
 *     drained node, the invariant checker finds nothing in the event log;
 * (g) an agent restart without a reboot is never counted as rebooted: the node's machine is slow
 *     to go down (hold-reboot), its agent is SIGKILLed and restarts on the SAME boot id; the node
 *     stays `rebooting` with no node.rebooted until the machine really goes down.
 */
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkPatchInvariants } from '@hms-sys/aggregator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootIds, createUpStack, getRun, idleDeployment, schedule, settled, waitFor, type FeedEvent, type UpStack } from './kit/upStack.js';

const FAST = ['--drain-timeout=30s', '--reboot-timeout=30s', '--verify-timeout=30s', '--health-gate-timeout=30s'];

describe('rolling kernel patch over 3 virtual nodes', () => {
  let stack: UpStack;

  beforeAll(async () => {
    stack = await createUpStack();
    await stack.start();
    await stack.apply('web', idleDeployment('web', 3));
    await waitFor(async () => {
      const d = (await stack.api<{ name: string; readyReplicas: number }[]>('GET', '/v1/deployments')).body.find((x) => x.name === 'web');
      return d && d.readyReplicas === 3 ? true : undefined;
    }, 'web ready', 20_000);
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('(a) patches one node at a time; every boot id changes exactly once; pods move off drained nodes; invariants hold', async () => {
    const before = await bootIds(stack);
    const plan = await stack.cli(['patch', 'plan', '--window=now/10m']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/0 blocked, 3 fit the windows/);

    const id = await schedule(stack, ['--window=now/10m', ...FAST]);
    // While a node is down, no web pod is bound to it and web keeps its replicas elsewhere.
    const checkedDown = new Set<string>();
    const run = await waitFor(async () => {
      const r = await getRun(stack, id);
      for (const n of r.nodes.filter((x) => x.state === 'rebooting' || x.state === 'verifying' || x.state === 'patching')) {
        const pods = (await stack.api<{ name: string; node: string; namespace: string }[]>('GET', '/v1/pods')).body.filter((p) => p.name.startsWith('web-'));
        expect(pods.filter((p) => p.node === n.name)).toEqual([]);
        checkedDown.add(n.name);
      }
      return r.settled ? r : undefined;
    }, `run ${id} to settle`, 90_000, 150);

    expect(run).toMatchObject({ state: 'done', result: 'success' });
    expect(checkedDown.size).toBeGreaterThan(0);
    const after = await bootIds(stack);
    for (const n of run.nodes) {
      expect(n).toMatchObject({ state: 'done', rebooted: true, simulated: true, bootIdBefore: before[n.name] });
      expect(n.bootId).not.toBe(before[n.name]);
      expect(after[n.name]).toBe(n.bootId);
    }
    const events = (await stack.events()).filter((e) => e.run === id);
    const reboots = events.filter((e) => e.type === 'node.rebooted');
    expect(reboots.map((e) => e.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(reboots.every((e) => e.simulated === true)).toBe(true);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    // One at a time: each node's [preflight, done] interval is disjoint from the others'.
    const spans = run.nodes.map((n) => {
      const steps = events.filter((e) => e.type === 'patch.step' && e.node === n.name);
      return [seqOf(steps, (e) => e.from === 'pending'), seqOf(steps, (e) => e.to === 'done')] as const;
    }).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThan(spans[i - 1]![1]);
    const deployments = (await stack.api<{ name: string; readyReplicas: number; replicas: number }[]>('GET', '/v1/deployments')).body;
    expect(deployments.find((d) => d.name === 'web')).toMatchObject({ replicas: 3, readyReplicas: 3 });
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    expect(metrics).toContain('hms_sys_patch_runs_total{result="done"} 1');
    expect(metrics).toContain('hms_sys_patch_runs_total{result="halted"} 0');
    for (const n of run.nodes) expect(metrics).toContain(`hms_sys_patch_node_state{run="${id}",node="${n.name}",state="done"} 1`);
    const status = await stack.cli(['patch', 'status', id, '-o', 'json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ id, state: 'done', nodes: [{ state: 'done' }, { state: 'done' }, { state: 'done' }] });
  }, 120_000);

  it('(g) an agent restart on the same boot id while the reboot is pending is not a reboot; the real one later counts once', async () => {
    for (const n of ['node-1', 'node-2', 'node-3']) writeFileSync(join(stack.nodeDir(n), 'hold-reboot'), '');
    const before = await bootIds(stack);
    const id = await schedule(stack, ['--window=now/10m', ...FAST]);
    const first = await waitFor(async () => (await getRun(stack, id)).nodes.find((n) => n.state === 'rebooting'), 'a node in rebooting', 30_000);
    const pid = stack.agentPid(first.name) as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    // The supervisor restarts the agent on the same boot id; the aggregator sees it reconnect.
    await waitFor(async () => {
      const ev = (await stack.events()).filter((e) => e.run === id && e.type === 'patch.step' && e.node === first.name);
      return ev.some((e) => e.from === 'rebooting' && e.to === 'rebooting' && String(e.reason).includes('the agent restarted, the node has not rebooted')) ? true : undefined;
    }, 'the aggregator to notice the agent restart', 20_000);
    const mid = await getRun(stack, id);
    expect(mid.nodes.find((n) => n.name === first.name)).toMatchObject({ state: 'rebooting', rebooted: false });
    expect((await stack.events()).filter((e) => e.run === id && e.type === 'node.rebooted')).toEqual([]);
    expect((await bootIds(stack))[first.name]).toBe(before[first.name]);

    // The machine finally goes down: exactly one reboot per node for the whole run.
    for (const n of ['node-1', 'node-2', 'node-3']) rmSync(join(stack.nodeDir(n), 'hold-reboot'), { force: true });
    const run = await settled(stack, id, 90_000);
    expect(run).toMatchObject({ state: 'done', result: 'success' });
    const events = (await stack.events()).filter((e) => e.run === id);
    expect(events.filter((e) => e.type === 'node.rebooted').map((e) => e.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const after = await bootIds(stack);
    for (const n of run.nodes) {
      expect(n.bootIdBefore).toBe(before[n.name]);
      expect(after[n.name]).not.toBe(before[n.name]);
    }
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
  }, 150_000);
});

function seqOf(events: FeedEvent[], pred: (e: FeedEvent) => boolean): number {
  const e = events.find(pred);
  if (!e) throw new Error('missing step event');
  return e.seq;
}
