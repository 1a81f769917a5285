/**
 * Issue 8.5, end to end with real processes (`hms-sys aggregator`, `hms-sys agent`) on loopback:
 * - the aggregator is SIGKILLed while three agents stream: after a restart every seq of every
 *   stream is in the journal exactly once — nothing acked was lost (agents resend what was not
 *   acked), nothing was processed twice;
 * - an agent is SIGKILLed: its node is marked disconnected, and its restart comes back on a new stream;
 * - connections cut in the middle of a frame (a proxy forwarding half a chunk; a raw socket
 *   writing half a frame): the aggregator stays up and the agent resends;
 * - a real aggregator process under hostile frames stays up with bounded memory while a real
 *   agent keeps being served.
 */
import { connect } from 'node:net';
import { seededRandom } from '@hms-sys/common';
import { encodeAgentMessage, PROTOCOL_VERSION } from '@hms-sys/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { batch, RawAgent } from '../../packages/aggregator/test/kit/testAggregator.js';
import { eventually } from './kit/cli.js';
import { AGENT_TOKEN, CuttingProxy, FaultStack, gaps, rssBytes } from './kit/faultStack.js';

let stack: FaultStack | undefined;
let proxy: CuttingProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
  await stack?.cleanup();
  stack = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const streamsOf = (j: Map<string, number[]>, node: string): number[][] => [...j].filter(([k]) => k.startsWith(`${node}/`)).map(([, v]) => v);
const maxSeq = (j: Map<string, number[]>, node: string): number => Math.max(0, ...streamsOf(j, node).map((s) => s.at(-1) ?? 0));

describe('faults with real processes', () => {
  it('aggregator kill -9 during ingest: no acked batch lost, none processed twice', async () => {
    const s = (stack = new FaultStack());
    await s.startAggregator();
    const nodes = ['node-1', 'node-2', 'node-3'];
    for (const n of nodes) s.startAgent(n);
    await eventually(() => (nodes.every((n) => maxSeq(s.journal(), n) >= 10) ? true : undefined), 'ten batches from every agent', 20_000, 100);

    const first = s.aggregator!;
    first.child.kill('SIGKILL');
    await first.stop();
    const atKill = s.journal();
    await sleep(1500); // agents keep collecting; nothing is acked meanwhile

    const restartedAt = Date.now();
    await s.startAggregator();
    await eventually(() => {
      const j = s.journal();
      return nodes.every((n) => maxSeq(j, n) >= maxSeq(atKill, n) + 25) ? true : undefined;
    }, 'every agent to catch up after the restart', 30_000, 200).catch((err: Error) => { throw new Error(`${err.message}\n${s.output()}`); });
    await s.stopAgents();
    await sleep(300);

    const journal = s.journal();
    expect(gaps(journal), s.output()).toEqual([]);
    for (const n of nodes) expect(streamsOf(journal, n), `${n} kept one stream`).toHaveLength(1);
    // Batches collected while the aggregator was dead reached it after the restart.
    for (const n of nodes) expect(maxSeq(journal, n)).toBeGreaterThan(maxSeq(atKill, n) + 10);
    // Every batch processed by the restarted aggregator was journalled once: none twice.
    expect(await s.metric('hms_sys_ingest_batches_total')).toBe(s.rowsReceivedSince(restartedAt));
    expect(s.integrityCheck()).toBe('ok');
  }, 90_000);

  it('agent kill -9: the node is marked disconnected, the restarted agent comes back on a new stream', async () => {
    const s = (stack = new FaultStack());
    await s.startAggregator();
    const agent = s.startAgent('node-k');
    await eventually(async () => ((await s.nodes()).find((n) => n.name === 'node-k')?.connected ? true : undefined), 'node-k connected', 15_000, 100);
    await eventually(() => (maxSeq(s.journal(), 'node-k') >= 5 ? true : undefined), 'batches from node-k', 10_000, 100);

    agent.child.kill('SIGKILL');
    await agent.stop();
    await eventually(async () => ((await s.nodes()).find((n) => n.name === 'node-k')?.connected === false ? true : undefined), 'node-k disconnected', 10_000, 100);
    expect(await s.metric('hms_sys_node_connected{node="node-k"}')).toBe(0);

    s.startAgent('node-k');
    await eventually(() => (streamsOf(s.journal(), 'node-k').length === 2 && streamsOf(s.journal(), 'node-k').every((x) => x.length >= 3) ? true : undefined), 'a second stream for node-k', 15_000, 100);
    expect((await s.nodes()).find((n) => n.name === 'node-k')?.connected).toBe(true);
    const events = await s.api<{ type: string; node?: string }[]>('/v1/events?limit=1000');
    expect(events.filter((e) => e.node === 'node-k').map((e) => e.type)).toEqual(['node.joined', 'node.left', 'node.joined']);
    await s.stopAgents();
    await sleep(200);
    expect(gaps(s.journal()), s.output()).toEqual([]);
  }, 60_000);

  it('connections cut mid-frame: the aggregator stays up, the agent reconnects and resends', async () => {
    const s = (stack = new FaultStack());
    await s.startAggregator();
    proxy = new CuttingProxy(() => s.port);
    await proxy.start();
    const p = proxy;
    s.startAgent('node-p', `ws://127.0.0.1:${p.port}/v1/agents/stream`);
    await eventually(() => (maxSeq(s.journal(), 'node-p') >= 5 ? true : undefined), 'batches through the proxy', 15_000, 100);

    for (let i = 0; i < 3; i++) {
      const before = maxSeq(s.journal(), 'node-p');
      const cuts = p.cuts;
      p.cutNext();
      await eventually(() => (p.cuts > cuts ? true : undefined), 'a cut', 5000, 20);
      await eventually(() => (maxSeq(s.journal(), 'node-p') >= before + 5 ? true : undefined), `ingest after cut ${i + 1}`, 20_000, 100)
        .catch((err: Error) => { throw new Error(`${err.message}\n${s.output()}`); });
    }

    // A raw client: a valid upgrade, a hello, then half of a frame header promising 1000 bytes.
    for (const variant of ['header', 'payload'] as const) {
      await new Promise<void>((resolve, reject) => {
        const sock = connect(s.port, '127.0.0.1');
        sock.on('error', () => resolve());
        let buf = '';
        sock.on('data', (d: Buffer) => {
          buf += d.toString('latin1');
          if (!buf.includes('\r\n\r\n')) return;
          if (!buf.startsWith('HTTP/1.1 101')) return reject(new Error(`upgrade refused: ${buf.split('\r\n')[0]}`));
          const hello = Buffer.from(encodeAgentMessage({ hello: { nodeName: `raw-${variant}`, protocolVersion: PROTOCOL_VERSION, streamId: 'raw' } }));
          sock.write(maskedFrame(hello));
          const half = maskedFrame(Buffer.alloc(1000, 7));
          sock.write(variant === 'header' ? half.subarray(0, 3) : half.subarray(0, 500), () => {
            sock.destroy();
            resolve();
          });
          buf = '';
        });
        sock.write(`GET /v1/agents/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer ${AGENT_TOKEN}\r\n\r\n`);
      });
    }
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(s.aggregator!.child.exitCode).toBeNull();
    await s.stopAgents();
    await sleep(300);
    const journal = s.journal();
    expect(gaps(journal), s.output()).toEqual([]);
    expect(streamsOf(journal, 'node-p')).toHaveLength(1); // one agent life, several connections
  }, 90_000);

  it('a real aggregator process under hostile frames stays up, bounded, and keeps serving a real agent', async () => {
    const s = (stack = new FaultStack());
    await s.startAggregator(['--max-frame-bytes', String(2 * 1024 * 1024)]);
    s.startAgent('steady');
    await eventually(() => (maxSeq(s.journal(), 'steady') >= 5 ? true : undefined), 'the steady agent', 15_000, 100);
    const pid = s.aggregator!.child.pid as number;
    const rssBefore = rssBytes(pid);

    const r = seededRandom(2026);
    const pods = Array.from({ length: 100_000 }, (_, i) => ({ uid: `u${i}`, containers: [{ id: 'c', cpuUsageUsec: i }] }));
    const huge = Buffer.from(encodeAgentMessage({ metrics: { ...batch(1, 1, 1).metrics, pods } }));
    const closes: (number | undefined)[] = [];
    for (let round = 0; round < 30; round++) {
      const a = await RawAgent.connect(s.streamUrl, AGENT_TOKEN);
      a.hello(`hostile-${round}`, `h-${round}`);
      switch (round % 5) {
        case 0: a.ws.send(Buffer.from(Array.from({ length: 200 }, () => Math.floor(r.next() * 256))), { binary: true }); break;
        case 1: a.ws.send(huge, { binary: true }); break; // 100 000 pods (~1.6 MB): refused by count
        case 2: a.ws.send(Buffer.alloc(3 * 1024 * 1024, 1), { binary: true }); break; // over --max-frame-bytes
        case 3: a.send(batch(1, 2 ** 60, 1)); break; // counter beyond 2^53
        default: a.ws.send(Buffer.from(encodeAgentMessage(batch(1, 1, 1))).subarray(0, 20), { binary: true }); // truncated
      }
      await a.until(() => a.closeCode !== undefined, `close of hostile ${round}`, 10_000);
      closes.push(a.closeCode);
    }
    expect(new Set(closes)).toEqual(new Set([1007, 1009]));
    expect(s.aggregator!.child.exitCode).toBeNull();
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const steadyBefore = maxSeq(s.journal(), 'steady');
    await eventually(() => (maxSeq(s.journal(), 'steady') >= steadyBefore + 5 ? true : undefined), 'the steady agent still ingested', 10_000, 100);
    // Coarse: 30 hostile connections (six of them 1.6 MB frames decoded and refused) leave RSS within 200 MB.
    expect(rssBytes(pid) - rssBefore).toBeLessThan(200 * 1024 * 1024);
    expect(await s.metric('hms_sys_ingest_rejected_frames_total{reason="invalid_batch"}')).toBe(12);
    await s.stopAgents();
    await sleep(200);
    expect(gaps(s.journal())).toEqual([]);
  }, 90_000);
});

/** One client→server WebSocket binary frame (clients must mask). */
function maskedFrame(payload: Buffer): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const len = payload.length;
  const header = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 126, len >> 8, len & 255]);
  const body = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, body]);
}
