import { afterEach, describe, expect, it } from 'vitest';
import { batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('summary events', () => {
  it('publish per-interval node totals on the feed, so HMS-OPS can chart from the feed alone', async () => {
    t = await startTestAggregator({ config: { summaryIntervalMs: 200 } });
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello('node-s');
    a.send(batch(1, 1_000_000, 1_000_000, { busy: 1_000_000, total: 4_000_000 }));
    a.send(batch(2, 1_500_000, 2_000_000, { busy: 3_000_000, total: 8_000_000 }));
    await a.until(() => a.acks().includes(2), 'ack 2');
    const deadline = Date.now() + 5000;
    let summary: Record<string, unknown> | undefined;
    while (!summary && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      summary = t.agg.events.since(0, 10_000).reverse().find((e) => e.type === 'summary' && (e.totals as { connected: number }).connected === 1);
    }
    expect(summary).toBeDefined();
    expect(summary!.totals).toMatchObject({ nodes: 1, connected: 1, pods: 1, cpuUsageCores: 2 });
    expect(summary!.nodes).toEqual([{ name: 'node-s', connected: true, cpuUsageCores: 2, pods: 1 }]);
    a.close();
  });

  it('are off with an interval of 0', async () => {
    t = await startTestAggregator({ config: { summaryIntervalMs: 0 } });
    await new Promise((r) => setTimeout(r, 300));
    expect(t.agg.events.since(0).filter((e) => e.type === 'summary')).toEqual([]);
  });
});
