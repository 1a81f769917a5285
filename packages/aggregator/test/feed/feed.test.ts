import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Ev = { seq: number; type: string; n?: number };

/** Collects feed events over WebSocket until `count` arrived (bounded wait). */
async function wsCollect(t: TestAggregator, since: number, count: number, token = t.tokens.viewer): Promise<Ev[]> {
  const ws = new WebSocket(`ws://127.0.0.1:${t.agg.port}/v1/feed?since=${since}`, { headers: { authorization: `Bearer ${token}` } });
  const got: Ev[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${got.length}/${count} events`)), 10_000);
    ws.on('message', (d) => {
      if (got.length >= count) return;
      got.push(JSON.parse(d.toString()) as Ev);
      if (got.length >= count) {
        clearTimeout(timer);
        resolve();
      }
    });
    ws.on('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  ws.close();
  return got;
}

/** Reads an SSE stream with fetch until `count` events arrived. */
async function sseCollect(t: TestAggregator, since: number, count: number, lastEventId?: number): Promise<Ev[]> {
  const ctl = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${t.tokens.viewer}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const res = await fetch(`${t.agg.url}/v1/feed${lastEventId === undefined ? `?since=${since}` : ''}`, { headers, signal: ctl.signal });
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const got: Ev[] = [];
  let buf = '';
  const deadline = Date.now() + 10_000;
  while (got.length < count && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      const id = block.split('\n').find((l) => l.startsWith('id: '));
      if (data && id) {
        const ev = JSON.parse(data.slice(6)) as Ev;
        expect(Number(id.slice(4))).toBe(ev.seq);
        got.push(ev);
      }
    }
  }
  ctl.abort();
  return got;
}

const seqs = (evs: Ev[]): number[] => evs.map((e) => e.seq);

describe('HMS-OPS feed', () => {
  it('delivers the backlog then live events, exactly once and in order, over WebSocket and SSE', async () => {
    t = await startTestAggregator();
    for (let i = 1; i <= 1200; i++) t.agg.events.append('test.tick', { n: i }); // more than one page
    const base = t.agg.events.lastSeq() - 1200;
    const wsPromise = wsCollect(t, base, 1300);
    const ssePromise = sseCollect(t, base, 1300);
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 1201; i <= 1300; i++) t.agg.events.append('test.tick', { n: i }); // live
    const [ws, sse] = await Promise.all([wsPromise, ssePromise]);
    const want = Array.from({ length: 1300 }, (_, i) => base + i + 1);
    expect(seqs(ws)).toEqual(want);
    expect(seqs(sse)).toEqual(want);
    expect(ws.map((e) => e.n)).toEqual(Array.from({ length: 1300 }, (_, i) => i + 1));
    expect(ws[0]).toMatchObject({ type: 'test.tick' });
    expect(typeof (ws[0] as unknown as { time: string }).time).toBe('string');
  });

  it('resumes after a disconnect with since=SEQ (and SSE Last-Event-ID) without gaps or duplicates', async () => {
    t = await startTestAggregator();
    for (let i = 1; i <= 50; i++) t.agg.events.append('test.tick', { n: i });
    const first = await wsCollect(t, 0, 20);
    const last = first[first.length - 1]!.seq;
    for (let i = 51; i <= 80; i++) t.agg.events.append('test.tick', { n: i }); // while disconnected
    const total = t.agg.events.lastSeq();
    const rest = await wsCollect(t, last, total - last);
    expect(seqs([...first, ...rest])).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const sseRest = await sseCollect(t, 0, total - last, last);
    expect(seqs(sseRest)).toEqual(seqs(rest));
  });

  it('refuses consumers without a viewer token', async () => {
    t = await startTestAggregator();
    await expect(wsCollect(t, 0, 1, 'bad-token-bad-token')).rejects.toThrow('HTTP 401');
    const res = await fetch(`${t.agg.url}/v1/feed`, { headers: { accept: 'text/event-stream' } });
    expect(res.status).toBe(401);
  });

  it('disconnects a consumer that falls too far behind, with a reason, without slowing appends', async () => {
    t = await startTestAggregator({ config: { feedMaxLagEvents: 2000 } });
    const ws = new WebSocket(`ws://127.0.0.1:${t.agg.port}/v1/feed?since=0`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
    await new Promise((r) => ws.once('open', r));
    // A consumer that never reads: pause its socket so the server-side buffer fills up.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    const big = 'x'.repeat(1000);
    // Appends are synchronous and never wait on consumers: this loop completes although the
    // consumer reads nothing (if append waited, the test would hang here).
    for (let i = 0; i < 20_000; i++) t.agg.events.append('test.flood', { big });
    expect(t.agg.events.lastSeq()).toBeGreaterThanOrEqual(20_000);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    // Fresh appends after the buffer drains find the consumer far behind.
    const more = setInterval(() => t?.agg.events.append('test.flood', { big }), 50);
    const { code, reason } = await closed;
    clearInterval(more);
    expect(code).toBe(4008);
    expect(reason).toMatch(/too far behind.*since=\d+/);
  });
});
