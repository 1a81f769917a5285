/**
 * The agent's stream client against a real aggregator: batches are acked, unacked ones survive a
 * restart of the aggregator and are resent, and every seq is processed exactly once.
 */
import { silentLogger, systemClock, seededRandom } from '@hms-sys/common';
import { PROTOCOL_VERSION } from '@hms-sys/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/stream/replayBuffer.js';
import { StreamClient } from '../../src/stream/streamClient.js';
import { startTestAggregator, type TestAggregator } from '../../../aggregator/test/kit/testAggregator.js';

let t: TestAggregator | undefined;
let client: StreamClient | undefined;
afterEach(async () => {
  await client?.stop();
  await t?.close();
  client = undefined;
  t = undefined;
});

async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const batch = (seq: number) => ({
  seq, collectedAtMs: Date.now(), monotonicUsec: seq * 1_000_000, bootId: 'b',
  pods: [{ uid: 'p1', containers: [{ id: 'c', cpuUsageUsec: seq * 100_000 }] }],
});

describe('StreamClient', () => {
  it('resends what was not acked across an aggregator restart, and each seq is processed once', async () => {
    t = await startTestAggregator();
    const buffer = new ReplayBuffer(300);
    let port = t.agg.port;
    client = new StreamClient(
      {
        url: `ws://127.0.0.1:${port}/v1/agents/stream`, token: t.tokens.agent,
        hello: () => ({ nodeName: 'sc-node', agentVersion: 't', protocolVersion: PROTOCOL_VERSION, streamId: 'stream-sc', intervalMs: 1000, node: { bootId: 'b' } }),
        buffer, backoffBaseMs: 50, backoffCapMs: 200, idleTimeoutMs: 30_000, highWaterBytes: 1 << 20,
      },
      {}, systemClock, seededRandom(1), silentLogger(),
    );
    client.start();
    await until(() => client!.connected, 'connected');
    for (let s = 1; s <= 5; s++) client.sendBatch(batch(s));
    await until(() => buffer.size === 0, 'all acked');

    // The aggregator goes away; batches keep being produced and wait in the buffer.
    const dataDir = t.dataDir;
    await t.agg.stop();
    await until(() => !client!.connected, 'disconnected');
    for (let s = 6; s <= 9; s++) client.sendBatch(batch(s));
    expect(buffer.size).toBe(4);

    // It comes back on the same port and data dir: the client reconnects and resends 6..9 only.
    t = await startTestAggregator({ dataDir, config: { port } });
    port = t.agg.port;
    await until(() => buffer.size === 0, 'resent batches acked', 15_000);
    const seqs = t.agg.db.prepare("SELECT seq FROM batches WHERE node = 'sc-node' ORDER BY seq").pluck().all();
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(client.reconnects).toBeGreaterThan(0);
  });
});
