/**
 * Issue 4, (f): a window that closes mid-run. Two short windows: the first holds about two
 * nodes' estimates, the second opens later. Nodes start only while their estimate fits what is
 * left of the window; the run waits (waiting-window) and resumes in the next window.
 */
import { checkPatchInvariants } from '@hms-sys/aggregator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpStack, idleDeployment, schedule, settled, waitFor, type UpStack } from './kit/upStack.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('windows', () => {
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

  it('(f) a run stopped by the end of its window waits and resumes in the next one', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const w1 = { start: now, end: now + 12_000 };
    const w2 = { start: now + 30_000, end: now + 150_000 };
    const id = await schedule(stack, [`--window=${iso(w1.start)}/12s`, `--window=${iso(w2.start)}/2m`, '--estimate=7s', '--drain-timeout=30s', '--health-gate-timeout=30s']);
    const run = await settled(stack, id, 120_000);
    expect(run).toMatchObject({ state: 'done', result: 'success' });
    const events = (await stack.events()).filter((e) => e.run === id);
    const statuses = events.filter((e) => e.type === 'patch.run').map((e) => e.to);
    expect(statuses).toContain('waiting-window');
    const starts = events.filter((e) => e.type === 'patch.step' && e.from === 'pending' && e.to === 'preflight').map((e) => ({ node: e.node, at: Date.parse(e.time) }));
    // Every start is inside a window with the 7 s estimate left; at least one waited for the second.
    for (const s of starts) {
      const inW1 = s.at >= w1.start && s.at + 7000 <= w1.end + 1000;
      const inW2 = s.at >= w2.start && s.at < w2.end;
      expect(inW1 || inW2, `${String(s.node)} started at ${new Date(s.at).toISOString()}`).toBe(true);
    }
    expect(starts.some((s) => s.at >= w2.start)).toBe(true);
    expect(starts.some((s) => s.at < w1.end)).toBe(true);
    expect(run.nodes.every((n) => n.rebooted)).toBe(true);
    expect(checkPatchInvariants(events, { complete: true })).toEqual([]);
  }, 150_000);
});
