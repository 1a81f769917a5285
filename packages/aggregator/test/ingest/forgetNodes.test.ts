import { ManualClock } from '@hms-sys/common';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDriver } from '../kit/fakeDriver.js';
import { batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('decommissioned nodes', () => {
  it('are forgotten, series and all, once disconnected long enough and unknown to the driver', async () => {
    const clock = new ManualClock(Date.now());
    const driver = new FakeDriver();
    driver.nodeList = [{ name: 'kept', allocatableCpuMilli: 1000, unschedulable: false, ready: false, labels: {} }];
    t = await startTestAggregator({ clock, driver, config: { forgetNodesAfterMs: 600_000 } });
    for (const name of ['gone', 'kept']) {
      const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
      a.hello(name);
      a.send(batch(1, 1, 1_000_000, { uid: `${name}-pod` }));
      await a.until(() => a.acks().includes(1), 'ack');
      a.close();
      await a.until(() => a.closeCode !== undefined, 'closed');
    }
    await clock.advanceAsync(5_000, 1000);
    let metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_node_connected{node="gone"} 0');
    await clock.advanceAsync(11 * 60_000, 60_000); // past --forget-nodes-after; housekeeping runs each minute
    metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).not.toContain('node="gone"');
    expect(metrics).toContain('hms_sys_node_connected{node="kept"} 0'); // the driver still lists it
    expect(t.agg.events.since(0).some((e) => e.type === 'node.left' && e.node === 'gone' && String(e.reason).startsWith('forgotten'))).toBe(true);
    expect(t.agg.db.prepare("SELECT count(*) FROM nodes WHERE name = 'gone'").pluck().get()).toBe(0);
  });
});
