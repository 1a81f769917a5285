import { afterEach, describe, expect, it } from 'vitest';
import { apiGet, batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Pod = { uid: string; namespace: string; name: string; node: string; cpuUsageCores: number | null; containers: { id: string; cpuUsageCores: number | null }[] };
type Node = { name: string; connected: boolean; bootId: string; kernelVersion: string; cpuUsageCores: number | null };

describe('agent stream', () => {
  it('welcomes, acks each batch after processing and serves rates per pod and node', async () => {
    t = await startTestAggregator();
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello('node-a');
    await a.until(() => a.received.some((m) => m.welcome), 'welcome');
    expect(Number(a.received[0]?.welcome?.lastAckedSeq)).toBe(0);
    a.send(batch(1, 1_000_000, 10_000_000));
    a.send(batch(2, 1_750_000, 11_000_000)); // 0.75 core over 1 s
    await a.until(() => a.acks().includes(2), 'ack 2');
    expect(a.acks()).toEqual([1, 2]);

    const pods = await apiGet<Pod[]>(t, '/v1/pods');
    expect(pods.status).toBe(200);
    expect(pods.body).toHaveLength(1);
    expect(pods.body[0]).toMatchObject({ uid: 'pod-uid-1', namespace: 'default', name: 'web-1', node: 'node-a', cpuUsageCores: 0.75 });
    const nodes = await apiGet<Node[]>(t, '/v1/nodes');
    expect(nodes.body[0]).toMatchObject({ name: 'node-a', connected: true, bootId: 'boot-1', kernelVersion: '6.1.0', cpuUsageCores: 1 });

    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_pod_cpu_usage_cores{namespace="default",pod="web-1",node="node-a"} 0.75');
    expect(metrics).toContain('hms_sys_node_connected{node="node-a"} 1');
    expect(metrics).toContain('hms_sys_agents_connected 1');
    expect(metrics).toMatch(/hms_sys_ingest_samples_total 2/);
    a.close();
  });

  it('discards replayed seqs and keeps processing exactly once across an aggregator restart', async () => {
    t = await startTestAggregator();
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello('node-a', 'stream-1');
    for (let s = 1; s <= 3; s++) a.send(batch(s, s * 100_000, s * 1_000_000));
    await a.until(() => a.acks().includes(3), 'ack 3');
    a.send(batch(2, 200_000, 2_000_000)); // replay
    await a.until(() => a.acks().length >= 4, 'ack for the replay');
    expect(a.acks().at(-1)).toBe(3);
    a.close();

    t = await t.restart();
    const b = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    b.hello('node-a', 'stream-1');
    await b.until(() => b.received.some((m) => m.welcome), 'welcome');
    expect(Number(b.received[0]?.welcome?.lastAckedSeq)).toBe(3); // the agent resends only what follows
    for (let s = 1; s <= 5; s++) b.send(batch(s, s * 100_000, s * 1_000_000)); // naive full resend
    await b.until(() => b.acks().includes(5), 'ack 5');
    const rows = t.agg.db.prepare("SELECT seq FROM batches WHERE node = 'node-a' ORDER BY seq").pluck().all();
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toMatch(/hms_sys_ingest_duplicate_batches_total 3/);
    b.close();
  });

  it('refuses a connection without a valid token with 401', async () => {
    t = await startTestAggregator();
    await expect(RawAgent.connect(t.wsUrl, undefined)).rejects.toThrow('HTTP 401');
    await expect(RawAgent.connect(t.wsUrl, 'x'.repeat(40))).rejects.toThrow('HTTP 401');
    await expect(RawAgent.connect(t.wsUrl, t.tokens.operator)).rejects.toThrow('HTTP 401'); // API tokens are not agent tokens
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_ingest_rejected_frames_total{reason="unauthorized"} 3');
  });

  it('closes only the connection that sent garbage or an oversized frame', async () => {
    t = await startTestAggregator({ config: { maxFrameBytes: 64 * 1024 } });
    const good = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    good.hello('good');
    await good.until(() => good.received.some((m) => m.welcome), 'welcome');

    const garbage = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    garbage.hello('bad-1');
    garbage.ws.send(Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { binary: true });
    await garbage.until(() => garbage.closeCode !== undefined, 'close of the garbage sender');
    expect(garbage.closeCode).toBe(1007);
    expect(garbage.closeReason).toMatch(/decode/);

    const big = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    big.hello('bad-2');
    big.ws.send(Buffer.alloc(100 * 1024, 1), { binary: true });
    await big.until(() => big.closeCode !== undefined, 'close of the oversized sender');
    expect(big.closeCode).toBe(1009);

    const text = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    text.ws.send('hello?');
    await text.until(() => text.closeCode !== undefined, 'close of the text sender');
    expect(text.closeCode).toBe(1003);

    good.send(batch(1, 1, 1_000_000));
    await good.until(() => good.acks().includes(1), 'good agent still served');
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_ingest_rejected_frames_total{reason="decode"} 1');
    expect(metrics).toContain('hms_sys_ingest_rejected_frames_total{reason="too_large"} 1');
    expect(metrics).toContain('hms_sys_ingest_rejected_frames_total{reason="text_frame"} 1');
    good.close();
  });

  it('refuses frames before hello, bad protocol versions and out-of-range counters', async () => {
    t = await startTestAggregator();
    const early = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    early.send(batch(1, 1, 1));
    await early.until(() => early.closeCode !== undefined, 'close');
    expect(early.closeCode).toBe(1008);

    const old = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    old.send({ hello: { nodeName: 'n', protocolVersion: 99, streamId: 's' } });
    await old.until(() => old.closeCode !== undefined, 'close');
    expect(old.closeCode).toBe(4000);

    const huge = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    huge.hello('n2');
    huge.send(batch(1, 2 ** 60, 1));
    await huge.until(() => huge.closeCode !== undefined, 'close');
    expect(huge.closeCode).toBe(1007);
    expect(huge.closeReason).toMatch(/out of range/);
  });

  it('marks a node that stops sending as disconnected within a few intervals', async () => {
    t = await startTestAggregator({ config: { staleAfterMs: 1000 } });
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello('quiet');
    a.send(batch(1, 1, 1_000_000));
    await a.until(() => a.acks().includes(1), 'ack');
    const deadline = Date.now() + 8000;
    let connected = true;
    while (connected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      connected = (await apiGet<Node[]>(t, '/v1/nodes')).body[0]?.connected ?? true;
    }
    expect(connected).toBe(false);
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_node_connected{node="quiet"} 0');
    const events = (await apiGet<{ type: string; node: string }[]>(t, '/v1/events')).body.map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['node.joined', 'node.left']));
    a.close();
  });

  it('requires a viewer token for the API and 404s unknown paths', async () => {
    t = await startTestAggregator();
    expect((await apiGet(t, '/v1/nodes', null)).status).toBe(401);
    expect((await apiGet(t, '/v1/nodes', 'nope-nope-nope-nope')).status).toBe(401);
    expect((await apiGet(t, '/v1/nodes', t.tokens.agent)).status).toBe(401);
    expect((await apiGet(t, '/v1/nodes')).status).toBe(200);
    const missing = await apiGet<{ error: string }>(t, '/v1/nothing');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('HMS_NOT_FOUND');
    expect((await apiGet(t, '/healthz', null)).status).toBe(200);
    expect((await apiGet(t, '/readyz', null)).status).toBe(200);
  });
});
