import { afterAll, describe, expect, it } from 'vitest';
import { apiGet, startTestAggregator, type TestAggregator } from '../../aggregator/test/kit/testAggregator.js';
import { eventually, runCli } from '../../../test/e2e/kit/cli.js';
import { agentStreamUrl } from '../src/commands/bench.js';

describe('hms-sys bench agents --server', () => {
  it('takes a ws(s) URL as is and completes what users type', () => {
    expect(agentStreamUrl('ws://10.0.0.5:9400/v1/agents/stream')).toBe('ws://10.0.0.5:9400/v1/agents/stream');
    expect(agentStreamUrl('wss://agg.example:443/v1/agents/stream')).toBe('wss://agg.example/v1/agents/stream');
    expect(agentStreamUrl('http://127.0.0.1:9400')).toBe('ws://127.0.0.1:9400/v1/agents/stream');
    expect(agentStreamUrl('https://agg.example')).toBe('wss://agg.example/v1/agents/stream');
    expect(agentStreamUrl('127.0.0.1:9400')).toBe('ws://127.0.0.1:9400/v1/agents/stream');
    expect(() => agentStreamUrl('ftp://x')).toThrow(/--server/);
  });
});

/**
 * The load generator as users run it: the built `hms-sys` process against a real aggregator on
 * loopback. What a user relies on: the nodes it simulates appear in the aggregator with their
 * pods and a CPU rate, every batch sent in the window is acknowledged, and the report says so.
 */
describe('hms-sys bench agents against a real aggregator', () => {
  let t: TestAggregator | undefined;
  afterAll(async () => {
    await t?.close();
  });

  it('simulated nodes connect, stream batches that are acked, and show up with their pods', async () => {
    t = await startTestAggregator({ config: { maxFrameBytes: 1024 * 1024 } });
    const args = ['bench', 'agents', '--server', t.agg.url, '--agent-token', t.tokens.agent, '--nodes', '3', '--pods-per-node', '4',
      '--containers-per-pod', '2', '--interval', '250ms', '--duration', '2s', '--warmup', '500ms', '--name-prefix', 'loadtest', '-o', 'json'];
    // --hold keeps the fleet connected after the window, so the aggregator's view can be read.
    const done = runCli([...args, '--hold', '3s'], {}, 25_000);
    const nodes = await eventually(async () => {
      const body = (await apiGet<{ name: string; connected: boolean; pods: number; cpuUsageCores: number | null }[]>(t!, '/v1/nodes')).body;
      return body.length === 3 && body.every((n) => n.connected && n.pods === 4 && n.cpuUsageCores !== null) ? body : undefined;
    }, 'three simulated nodes with 4 pods and a CPU rate each');
    expect(nodes.map((n) => n.name)).toEqual(['loadtest-0', 'loadtest-1', 'loadtest-2']);
    const pods = (await apiGet<{ node: string }[]>(t, '/v1/pods')).body;
    expect(pods.length).toBe(12);
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { connect: { connected: number; failed: number }; ackedBatchesPerSec: number; sentBatchesPerSec: number; unackedAtEnd: number; ackLagMs: { count: number } };
    expect(report.connect).toMatchObject({ connected: 3, failed: 0 });
    expect(report.ackLagMs.count).toBeGreaterThan(0);
    expect(report.unackedAtEnd).toBe(0);
    expect(report.ackedBatchesPerSec).toBe(report.sentBatchesPerSec);
  }, 30_000);

  it('a wrong token: every node is refused and the command fails with a one-line reason', async () => {
    t ??= await startTestAggregator();
    const r = await runCli(['bench', 'agents', '--server', t.wsUrl, '--agent-token', 'not-a-token', '--nodes', '2', '--pods-per-node', '1',
      '--duration', '1s', '--warmup', '0s', '--connect-timeout', '2s', '--drain', '0s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no simulated node could connect/);
  }, 30_000);
});
