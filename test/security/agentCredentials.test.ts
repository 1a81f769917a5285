/**
 * Issue 8.1, the agent's side: the real agent (startAgent) connects over wss:// with
 * --ca-file / --client-cert / --client-key to an aggregator that requires client certificates,
 * and re-reads its --token-file at every connection, so tokens rotate without restarting agents.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, seededRandom, silentLogger, systemClock } from '@hms-sys/common';
import { AGENT_OPTIONS, agentConfigFrom, startAgent, type Agent } from '@hms-sys/agent';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestCa, hasOpenssl } from '../../packages/aggregator/test/kit/pki.js';
import { apiGet, startTestAggregator, type TestAggregator } from '../../packages/aggregator/test/kit/testAggregator.js';

const FIXTURE = fileURLToPath(new URL('../../packages/agent/test/fixtures/v2-systemd-containerd', import.meta.url));

let t: TestAggregator | undefined;
let agent: Agent | undefined;
const dirs: string[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await t?.close();
  t = undefined;
  for (const c of cleanups.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function runAgent(node: string, url: string, extra: string[]): Promise<Agent> {
  const state = mkdtempSync(join(tmpdir(), 'hms-agent-state-'));
  dirs.push(state);
  const config = agentConfigFrom(parseOptions(AGENT_OPTIONS, [
    '--node', node, '--aggregator', url, '--host-root', FIXTURE, '--state-dir', state, '--metrics-listen', 'none', '--interval', '200ms', ...extra,
  ], {}));
  return startAgent(config, { clock: systemClock, random: seededRandom(1), logger: silentLogger() });
}

async function until(pred: () => Promise<boolean> | boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('agent credentials', () => {
  it.skipIf(!hasOpenssl())('the real agent connects with its client certificate over wss:// and reports as the certificate\'s node', async () => {
    const ca = createTestCa();
    cleanups.push(() => ca.cleanup());
    const server = ca.issue('server', { cn: 'aggregator', san: 'IP:127.0.0.1', usage: 'server' });
    const client = ca.issue('node-m', { cn: 'node-m', usage: 'client' });
    t = await startTestAggregator({ config: { tls: { certFile: server.certFile, keyFile: server.keyFile, clientCaFile: ca.certFile } } });
    agent = await runAgent('node-m', t.wsUrl, ['--ca-file', ca.certFile, '--client-cert', client.certFile, '--client-key', client.keyFile]);
    await until(() => agent!.stream.connected, 'the agent to connect over mTLS');
    const nodes = await new Promise<{ name: string; connected: boolean }[]>((resolve, reject) => {
      request(`${t!.agg.url}/v1/nodes`, { ca: ca.cert, headers: { authorization: `Bearer ${t!.tokens.viewer}` } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(JSON.parse(body) as { name: string; connected: boolean }[]));
      }).on('error', reject).end();
    });
    expect(nodes).toEqual([expect.objectContaining({ name: 'node-m', connected: true })]);
    // Flags that cannot work together are refused at start, all at once.
    expect(() => agentConfigFrom(parseOptions(AGENT_OPTIONS, ['--node', 'x', '--aggregator', 'ws://h/v1/agents/stream', '--client-cert', client.certFile], {})))
      .toThrow(/--client-cert and --client-key go together; --client-cert needs a wss:\/\/ --aggregator URL/);
  });

  it('re-reads --token-file at every connection: both sides rotate without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hms-agent-rotation-'));
    dirs.push(dir);
    const serverFile = join(dir, 'agent-tokens');
    const agentFile = join(dir, 'agent-token');
    const oldToken = 'old-'.padEnd(40, '0');
    const newToken = 'new-'.padEnd(40, '1');
    writeFileSync(serverFile, `${oldToken} node-r\n`);
    writeFileSync(agentFile, `${oldToken}\n`);
    t = await startTestAggregator({ config: { agentTokenFile: serverFile } });
    agent = await runAgent('node-r', t.wsUrl, ['--token-file', agentFile]);
    await until(() => agent!.stream.connected, 'the agent to connect with the old token');

    // Rotate: the aggregator accepts only the new token, the agent's file holds it; the next
    // connection (forced here by closing the current one) must present it.
    writeFileSync(serverFile, `${newToken} node-r\n`);
    writeFileSync(agentFile, `# rotated\n${newToken}\n`);
    t.agg.ingest.session('node-r')?.close(1012, 'test: reconnect');
    await until(async () => (await apiGet<{ name: string; connected: boolean }[]>(t!, '/v1/nodes')).body.some((n) => n.name === 'node-r' && n.connected) && agent!.stream.connected && agent!.stream.reconnects > 0, 'the agent to reconnect with the new token');
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).not.toContain('hms_sys_ingest_rejected_frames_total{reason="unauthorized"}');
  });
});
