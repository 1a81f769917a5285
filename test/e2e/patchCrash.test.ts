/**
 * Issue 4, (b): the whole `hms-sys up` process group is killed with SIGKILL in the middle of a
 * rolling run — while a node is down between "reboot issued" and "node back" — and started again
 * on the same data dir. The run must resume and complete with every boot id changed exactly once
 * (no node rebooted twice, none counted as done without its reboot).
 */
import { checkPatchInvariants } from '@hms-sys/aggregator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootIds, createUpStack, getRun, idleDeployment, schedule, settled, waitFor, type UpStack } from './kit/upStack.js';

describe('kill -9 of hms-sys up mid-run', () => {
  let stack: UpStack;

  beforeAll(async () => {
    // A reboot keeps the node down 4 s: a wide window between "reboot issued" and "node back".
    stack = await createUpStack({ extraArgs: ['--reboot-delay', '4s'] });
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

  it('(b) resumes after a restart on the same data dir; every boot id changed exactly once; no false done', async () => {
    const before = await bootIds(stack);
    const id = await schedule(stack, ['--window=now/10m', '--drain-timeout=30s', '--reboot-timeout=60s', '--verify-timeout=60s', '--health-gate-timeout=60s']);
    // Wait until one node is down: its reboot was issued and it is not back yet.
    const down = await waitFor(async () => {
      const r = await getRun(stack, id);
      return r.nodes.find((n) => (n.state === 'rebooting' || n.state === 'verifying') && n.agentConnected === false);
    }, 'a node down mid-reboot', 40_000, 100);
    await stack.killGroup();
    await stack.start();

    const run = await settled(stack, id, 120_000);
    expect(run, stack.output().slice(-2000)).toMatchObject({ state: 'done', result: 'success' });
    const after = await bootIds(stack);
    const events = (await stack.events()).filter((e) => e.run === id);
    for (const n of run.nodes) {
      expect(n).toMatchObject({ state: 'done', rebooted: true, bootIdBefore: before[n.name] });
      expect(after[n.name]).not.toBe(before[n.name]);
      expect(after[n.name]).toBe(n.bootId);
    }
    // Exactly one reboot per node: one node.rebooted per node in the run, and ingest (which
    // records every boot-id change it sees in agent hellos, run or not) saw one change per node.
    expect(events.filter((e) => e.type === 'node.rebooted').map((e) => e.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const seen = (await stack.events()).filter((e) => e.type === 'node.rebooted' && e.run === undefined);
    expect(seen.map((e) => e.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    // The resume is on record: the restarted aggregator re-attached to the commanded node (same command id).
    expect(events.some((e) => e.type === 'command.sent' && e.node === down.name && e.reattach === true)).toBe(true);
  }, 180_000);
});
