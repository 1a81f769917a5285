/**
 * Issue 4, (e): a PodDisruptionBudget (applied with `hms-sys apply`) that blocks. Three healthy
 * web replicas and one crash-looping replica share the label the budget selects; minAvailable 3
 * leaves disruptionsAllowed 0. `patch plan` names the budget and `pdb-blocks` for every node; the
 * run never cordons anything, reports drain.blocked with the reasons, and ends with every node
 * blocked.
 */
import { checkPatchInvariants } from '@hms-sys/aggregator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpStack, idleDeployment, schedule, settled, waitFor, type UpStack } from './kit/upStack.js';

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web-pdb }
spec:
  minAvailable: 3
  selector: { matchLabels: { tier: web } }
`;

describe('a disruption budget that blocks', () => {
  let stack: UpStack;

  beforeAll(async () => {
    stack = await createUpStack();
    await stack.start();
    await stack.apply('web', idleDeployment('web', 3, { labels: { tier: 'web' } }));
    await stack.apply('broken', idleDeployment('broken', 1, { labels: { tier: 'web' }, command: 'echo starting; exit 1' }));
    await stack.apply('pdb', PDB);
    await waitFor(async () => {
      const d = (await stack.api<{ name: string; readyReplicas: number }[]>('GET', '/v1/deployments')).body.find((x) => x.name === 'web');
      return d && d.readyReplicas === 3 ? true : undefined;
    }, 'web ready', 20_000);
  });

  afterAll(async () => {
    await stack?.cleanup();
  });

  it('(e) plan and run report pdb-blocks naming the budget; nothing is cordoned', async () => {
    const plan = await stack.cli(['patch', 'plan', '--window=now/10m', '-o', 'json']);
    expect(plan.code).toBe(0);
    const p = JSON.parse(plan.stdout) as { nodes: { node: string; preflight: { ok: boolean; reasons: { code: string; budget?: string }[] } }[]; budgets: { budget: string; disruptionsAllowed: number; ok: boolean }[] };
    expect(p.budgets).toEqual([expect.objectContaining({ budget: 'default/web-pdb', disruptionsAllowed: 0, ok: false })]);
    for (const n of p.nodes) {
      expect(n.preflight.ok).toBe(false);
      expect(n.preflight.reasons).toContainEqual(expect.objectContaining({ code: 'pdb-blocks', budget: 'default/web-pdb' }));
    }
    const text = await stack.cli(['patch', 'plan', '--window=now/10m']);
    expect(text.stdout).toMatch(/BLOCKED: pdb-blocks/);
    expect(text.stdout).toMatch(/pdb-blocks \(default\/web-pdb\): disruption budget default\/web-pdb allows no disruption now/);

    const id = await schedule(stack, ['--window=now/10m', '--blocked-retry=1s', '--max-blocks=2']);
    const run = await settled(stack, id, 60_000);
    expect(run).toMatchObject({ state: 'done', result: 'partial' });
    for (const n of run.nodes) {
      expect(n.state).toBe('blocked');
      expect(n.blockers).toContainEqual(expect.objectContaining({ code: 'pdb-blocks', budget: 'default/web-pdb' }));
    }
    const events = (await stack.events()).filter((e) => e.run === id);
    const blocked = events.filter((e) => e.type === 'drain.blocked');
    expect(blocked.length).toBe(6); // 3 nodes x 2 refusals
    expect(blocked.every((e) => String(e.message).includes('default/web-pdb'))).toBe(true);
    expect(events.some((e) => e.type === 'patch.step' && e.cordon === 'applied')).toBe(false);
    expect(events.some((e) => e.type === 'command.sent')).toBe(false);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
    const nodes = (await stack.api<{ name: string; unschedulable: boolean }[]>('GET', '/v1/nodes')).body;
    expect(nodes.every((n) => !n.unschedulable)).toBe(true);
    const status = await stack.cli(['patch', 'status', id]);
    expect(status.stdout).toMatch(/blocked .*pdb-blocks: disruption budget default\/web-pdb/);
    const metrics = await (await fetch(`${stack.base}/metrics`)).text();
    expect(metrics).toContain('hms_sys_patch_runs_total{result="partial"} 1');
  }, 90_000);
});
