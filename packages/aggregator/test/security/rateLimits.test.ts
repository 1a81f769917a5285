/**
 * Issue 8.3: rate limits on the agent and feed endpoints. Connection attempts per remote address
 * (token bucket, 429 at the upgrade, counted as rejected{reason="rate_limited"}), frames per agent
 * connection (a flood is closed with 1008), concurrent feed consumers per token and feed
 * connection attempts per address. Others keep being served throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_ACCESS_LIMITS } from '../../src/config.js';
import { KeyedRateLimiter, TokenBucket } from '../../src/http/rateLimiter.js';
import { apiGet, batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const metric = async (name: string): Promise<number> => {
  const text = await (await fetch(`${t!.agg.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return line ? Number(line.split(' ')[1]) : 0;
};

/** Opens a WebSocket; resolves with 101 when open, else the HTTP status of the refusal. */
function wsStatus(url: string, token: string, localAddress?: string): Promise<{ status: number; ws: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, ...(localAddress ? { localAddress } : {}) });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_q, res) => { resolve({ status: res.statusCode ?? 0, ws }); ws.terminate(); });
    ws.on('error', (err) => reject(err));
  });
}

describe('token buckets', () => {
  it('allow the burst, then the rate, per key; forget idle keys beyond the bound', () => {
    let now = 0;
    const b = new TokenBucket(2, 3, now);
    expect([b.take(now), b.take(now), b.take(now), b.take(now)]).toEqual([true, true, true, false]);
    now += 500; // one token back at 2/s
    expect([b.take(now), b.take(now)]).toEqual([true, false]);
    now += 10_000;
    expect(b.full(now)).toBe(true);

    const l = new KeyedRateLimiter(1, 2, () => now, 100);
    expect([l.take('a'), l.take('a'), l.take('a'), l.take('a'), l.take('b')]).toEqual(['ok', 'ok', 'limited-first', 'limited', 'ok']);
    for (let i = 0; i < 10_000; i++) l.take(`10.0.${i >> 8}.${i & 255}`);
    expect(l.size).toBeLessThanOrEqual(100);
    expect(new KeyedRateLimiter(0, 1, () => now).take('x')).toBe('ok'); // 0 = unlimited
  });

  it('defaults leave room for a fleet behind one address and for a full replay', () => {
    expect(DEFAULT_ACCESS_LIMITS.agentConnectBurst).toBeGreaterThanOrEqual(50);
    expect(DEFAULT_ACCESS_LIMITS.agentFrameBurst).toBeGreaterThan(300_000 / 1000); // agent --buffer 5m / --interval 1s
  });
});

describe('agent endpoint limits', () => {
  it('answers 429 to an address over its connection budget; other addresses still get in', async () => {
    t = await startTestAggregator({ config: { limits: { agentConnectRate: 0.5, agentConnectBurst: 3 } } });
    for (let i = 0; i < 3; i++) {
      const { status, ws } = await wsStatus(t.wsUrl, t.tokens.agent);
      expect(status).toBe(101);
      ws.close();
    }
    // Bad tokens spend the same budget: guessing is limited too.
    const refused: number[] = [];
    for (let i = 0; i < 5; i++) refused.push((await wsStatus(t.wsUrl, i % 2 ? 'wrong-token-0123456789' : t.tokens.agent)).status);
    expect(refused).toEqual([429, 429, 429, 429, 429]);
    expect((await wsStatus(t.wsUrl, t.tokens.agent, '127.0.0.2')).status).toBe(101);
    expect(await metric('hms_sys_ingest_rejected_frames_total{reason="rate_limited"}')).toBe(5);
    // One event for the burst, not one per attempt (a flood must not fill the event log).
    const events = (await apiGet<{ type: string; reason?: string }[]>(t, '/v1/events')).body.filter((e) => e.type === 'agent.rejected');
    expect(events.filter((e) => e.reason === 'rate_limited')).toHaveLength(1);
  });

  it('closes a connection that floods frames, and keeps acking a well-behaved agent', async () => {
    t = await startTestAggregator({ config: { limits: { agentFrameRate: 5, agentFrameBurst: 20 } } });
    const good = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    good.hello('good');
    const flood = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    flood.hello('flood');
    await flood.until(() => flood.received.some((m) => m.welcome), 'welcome');
    for (let s = 1; s <= 200 && flood.closeCode === undefined; s++) flood.send(batch(s, s, s * 1_000_000));
    await flood.until(() => flood.closeCode !== undefined, 'the flooding connection to be closed');
    expect(flood.closeCode).toBe(1008);
    expect(flood.closeReason).toMatch(/^rate_limited: more than 5 frames\/s/);
    // What it sent within its budget was processed and acked; nothing beyond it.
    expect(Math.max(0, ...flood.acks())).toBeLessThanOrEqual(20);
    expect(await metric('hms_sys_ingest_rejected_frames_total{reason="rate_limited"}')).toBe(1);

    good.send(batch(1, 1, 1_000_000));
    await good.until(() => good.acks().includes(1), 'the good agent is still acked');
    good.close();
  });
});

describe('feed endpoint limits', () => {
  it('caps concurrent consumers per token (WebSocket and SSE); another token is unaffected; a closed slot frees', async () => {
    t = await startTestAggregator({ config: { limits: { feedMaxConsumers: 2 } } });
    const feed = `ws://127.0.0.1:${t.agg.port}/v1/feed`;
    const a = await wsStatus(feed, t.tokens.viewer);
    const b = await wsStatus(feed, t.tokens.viewer);
    expect([a.status, b.status]).toEqual([101, 101]);
    expect((await wsStatus(feed, t.tokens.viewer)).status).toBe(429);
    const sse = await fetch(`${t.agg.url}/v1/feed`, { headers: { authorization: `Bearer ${t.tokens.viewer}`, accept: 'text/event-stream' } });
    expect(sse.status).toBe(429);
    expect(((await sse.json()) as { error: string }).error).toBe('HMS_RATE_LIMITED');
    const other = await wsStatus(feed, t.tokens.operator);
    expect(other.status).toBe(101);

    a.ws.close();
    const deadline = Date.now() + 3000;
    let again = 429;
    while (again !== 101 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      const r = await wsStatus(feed, t.tokens.viewer);
      again = r.status;
      if (again === 101) r.ws.close();
    }
    expect(again).toBe(101);
    b.ws.close();
    other.ws.close();
  });

  it('limits feed connection attempts per address', async () => {
    t = await startTestAggregator({ config: { limits: { feedConnectRate: 0.5, feedConnectBurst: 3 } } });
    const feed = `ws://127.0.0.1:${t.agg.port}/v1/feed`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await wsStatus(feed, t.tokens.viewer);
      statuses.push(r.status);
      r.ws.close();
    }
    expect(statuses).toEqual([101, 101, 101, 429, 429]);
    expect((await wsStatus(feed, t.tokens.viewer, '127.0.0.3')).status).toBe(101);
    // The API itself is not limited by the feed's budget.
    expect((await apiGet(t, '/v1/nodes')).status).toBe(200);
  });
});
