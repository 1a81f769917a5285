/**
 * Issue 8.4: hostile input on the agent WebSocket endpoint. While a well-behaved agent keeps
 * sending, other connections send random bytes, truncated and oversized frames, counters at and
 * beyond 2^53, negative and future timestamps, 100 000 pods in one batch, and misuse the
 * hello/metrics order. Each bad connection is closed with a code and reason; the aggregator
 * stays up, memory stays bounded, the good agent is acked throughout and nothing it had acked
 * is lost. Seeded (FUZZ_SEED) and bounded.
 */
import { seededRandom, type Random } from '@hms-sys/common';
import { encodeAgentMessage, PROTOCOL_VERSION, type IAgentMessage } from '@hms-sys/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PODS_PER_BATCH, validateBatch } from '../../src/ingest/validateBatch.js';
import { apiGet, batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

const SEED = Number(process.env.FUZZ_SEED ?? 8);

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const int = (r: Random, n: number): number => Math.floor(r.next() * n);
const randomBytes = (r: Random, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(r, 256)));

/** The good agent: sends batch seq every call, remembers what was acked. */
class GoodAgent {
  seq = 0;
  constructor(readonly a: RawAgent) {}
  static async start(t: TestAggregator, node = 'good'): Promise<GoodAgent> {
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello(node, 'good-stream');
    await a.until(() => a.received.some((m) => m.welcome), 'welcome');
    return new GoodAgent(a);
  }
  send(): void {
    this.seq++;
    this.a.send(batch(this.seq, this.seq * 250_000, this.seq * 1_000_000));
  }
  async allAcked(): Promise<void> {
    await this.a.until(() => this.a.acks().includes(this.seq), `ack ${this.seq} for the good agent`);
  }
}

/** Opens a connection, runs `attack`, and returns how it was closed (bounded wait). */
async function attack(t: TestAggregator, node: string | undefined, send: (a: RawAgent) => void): Promise<{ code: number | undefined; reason: string }> {
  const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
  if (node) {
    a.hello(node, `s-${node}`);
    await a.until(() => a.received.some((m) => m.welcome) || a.closeCode !== undefined, 'welcome');
  }
  send(a);
  await a.until(() => a.closeCode !== undefined, `close of ${node ?? 'an attacker'}`, 8000).catch(() => undefined);
  if (a.closeCode === undefined) a.ws.terminate();
  return { code: a.closeCode, reason: a.closeReason };
}

const rawHello = (nodeName: string, extra: Record<string, unknown> = {}): IAgentMessage => ({ hello: { nodeName, agentVersion: 'x', protocolVersion: PROTOCOL_VERSION, streamId: 's', ...extra } });

describe('hostile input on /v1/agents/stream', () => {
  it('closes each bad connection with a code and reason while a good agent keeps being acked', async () => {
    t = await startTestAggregator({ config: { maxFrameBytes: 256 * 1024 } });
    const good = await GoodAgent.start(t);
    for (let i = 0; i < 3; i++) good.send();
    await good.allAcked();

    const r = seededRandom(SEED);
    const valid = Buffer.from(encodeAgentMessage(batch(1, 1, 1)));
    const cases: [string, string | undefined, (a: RawAgent) => void, number[]][] = [
      ['random bytes', 'rnd', (a) => { for (let i = 0; i < 20; i++) a.ws.send(randomBytes(r, 1 + int(r, 300)), { binary: true }); }, [1007, 1008]],
      ['truncated batch', 'trunc', (a) => a.ws.send(valid.subarray(0, valid.length - 7), { binary: true }), [1007]],
      ['oversized frame', 'big', (a) => a.ws.send(Buffer.alloc(300 * 1024, 0x0a), { binary: true }), [1009]],
      ['counter at 2^53', 'c53', (a) => a.send(batch(1, 2 ** 53, 1_000_000)), [1007]],
      ['seq beyond 2^53', 'seq', (a) => a.send({ metrics: { ...batch(1, 1, 1).metrics, seq: 2 ** 60 } }), [1007]],
      ['seq 0', 'seq0', (a) => a.send({ metrics: { ...batch(1, 1, 1).metrics, seq: 0 } }), [1007]],
      ['metrics before hello', undefined, (a) => a.send(batch(1, 1, 1)), [1008]],
      ['hello twice', 'twice', (a) => a.send(rawHello('twice')), [1008]],
      ['invalid node name', undefined, (a) => a.send(rawHello('../../etc/passwd')), [1008]],
      ['1000-character node name', undefined, (a) => a.send(rawHello('a'.repeat(1000))), [1008]],
      ['hello without stream id', undefined, (a) => a.send(rawHello('nostream', { streamId: '' })), [1008]],
      ['protocol version 0', undefined, (a) => a.send({ hello: { nodeName: 'old', protocolVersion: 0, streamId: 's' } }), [4000]],
      ['empty frame', undefined, (a) => a.ws.send(Buffer.alloc(0), { binary: true }), [1008]],
      ['text frame', undefined, (a) => a.ws.send('{"hello": {}}'), [1003]],
      ['over-long strings', 'strings', (a) => a.send({ metrics: { ...batch(1, 1, 1).metrics, pods: [{ uid: 'u'.repeat(10_000), containers: [] }] } }), [1007]],
    ];
    for (const [what, node, send, codes] of cases) {
      const closed = await attack(t, node, send);
      expect([what, codes.includes(closed.code ?? -1) ? 'closed as expected' : `closed ${closed.code} ${closed.reason}`]).toEqual([what, 'closed as expected']);
      // ws closes an over-limit frame itself (1009, no reason); every other refusal says why.
      if (closed.code !== 1009) expect([what, closed.reason.length > 0]).toEqual([what, true]);
      good.send();
      await good.allAcked();
    }
    expect((await apiGet(t, '/healthz', null)).status).toBe(200);
    // Nothing the good agent had acked is missing from the journal.
    const rows = t.agg.db.prepare("SELECT seq FROM batches WHERE node = 'good' ORDER BY seq").pluck().all();
    expect(rows).toEqual(Array.from({ length: good.seq }, (_, i) => i + 1));
    good.a.close();
  });

  it('100 000 pods in one batch is refused — by size, or by count when the size limit allows it — and memory stays bounded', async () => {
    const pods = Array.from({ length: 100_000 }, (_, i) => ({ uid: `u${i}`, containers: [{ id: 'c', cpuUsageUsec: i }] }));
    const frame = Buffer.from(encodeAgentMessage({ metrics: { ...batch(1, 1, 1).metrics, pods } }));
    expect(frame.length).toBeGreaterThan(1024 * 1024);

    for (const maxFrameBytes of [256 * 1024, 16 * 1024 * 1024]) {
      t = await startTestAggregator({ config: { maxFrameBytes } });
      const good = await GoodAgent.start(t);
      good.send();
      await good.allAcked();
      const rssBefore = process.memoryUsage().rss;
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const closed = await attack(t, `huge-${i}`, (a) => a.ws.send(frame, { binary: true }));
        codes.push(closed.code ?? -1);
        good.send();
      }
      await good.allAcked();
      expect(codes).toEqual(Array(5).fill(maxFrameBytes < frame.length ? 1009 : 1007));
      // Coarse: five 1.5 MB frames (plus decoding when allowed) must not leave the process hundreds of MB bigger.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
      const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
      expect(metrics).toContain(`hms_sys_ingest_rejected_frames_total{reason="${maxFrameBytes < frame.length ? 'too_large' : 'invalid_batch'}"} 5`);
      const nodes = (await apiGet<{ name: string }[]>(t, '/v1/nodes')).body.map((n) => n.name);
      expect(nodes).toContain('good');
      good.a.close();
      await t.close();
      t = undefined;
    }
    expect(MAX_PODS_PER_BATCH).toBeLessThan(100_000);
  });

  it('negative and future timestamps are accepted without breaking rates (time comes from the monotonic clock)', async () => {
    t = await startTestAggregator();
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.hello('skewed');
    const tenYears = Date.now() + 10 * 365 * 86_400_000;
    // Wall clock: in the far future, then negative, then back to now; monotonic: steady 1 s steps.
    a.send({ metrics: { ...batch(1, 1_000_000, 10_000_000).metrics, collectedAtMs: tenYears } });
    a.send({ metrics: { ...batch(2, 1_500_000, 11_000_000).metrics, collectedAtMs: -86_400_000 } });
    a.send({ metrics: { ...batch(3, 2_000_000, 12_000_000).metrics, collectedAtMs: Date.now() } });
    await a.until(() => a.acks().includes(3), 'ack 3');
    const pods = (await apiGet<{ name: string; cpuUsageCores: number }[]>(t, '/v1/pods')).body;
    expect(pods[0]?.cpuUsageCores).toBe(0.5);
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).not.toMatch(/ (NaN|[+-]Inf)$/m); // no sample value is NaN or infinite
    a.close();
  });

  it('validateBatch never throws on decoded garbage (seeded)', async () => {
    const { decodeAgentMessage } = await import('@hms-sys/protocol');
    const r = seededRandom(SEED + 1);
    let batches = 0;
    for (let i = 0; i < 5000; i++) {
      const valid = encodeAgentMessage(batch(1 + int(r, 10), int(r, 1e9), int(r, 1e12)));
      const frame = Uint8Array.from(valid);
      for (let k = 0; k < 3; k++) frame[int(r, frame.length)] = int(r, 256);
      let msg;
      try { msg = decodeAgentMessage(frame); } catch { continue; }
      if (!msg.metrics) continue;
      batches++;
      const problem = validateBatch(msg.metrics);
      expect(problem === undefined || typeof problem === 'string').toBe(true);
    }
    expect(batches).toBeGreaterThan(200);
  });
});
