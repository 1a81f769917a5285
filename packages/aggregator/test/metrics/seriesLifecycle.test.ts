/**
 * Bounded cardinality of the aggregator's /metrics: --max-pod-series caps the per-pod series and
 * counts the rest, --no-pod-series switches them off, and series of pods and nodes that are gone
 * leave the exposition with them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';
import { fleetBatch, type FixturePod } from '../kit/fleetDriver.js';

let t: TestAggregator | undefined;
const agents: RawAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.close();
  await t?.close();
  t = undefined;
});

const pod = (i: number, node = 'node-a'): FixturePod => ({ uid: `uid-${node}-${i}`, namespace: 'default', name: `p-${node}-${i}`, node, cpuRequestMilli: 100 });
const scrape = async (): Promise<string> => (await fetch(`${t!.agg.url}/metrics`)).text();
const podSeries = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('hms_sys_pod_cpu_usage_cores{'));
const seriesOfNode = (text: string, node: string): string[] => text.split('\n').filter((l) => l.startsWith('hms_sys_') && l.includes(`node="${node}"`));

async function until(pred: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Connects a node and sends batches 1..n with the given pods (0.1 core each). */
async function node(name: string, pods: FixturePod[], batches = 2): Promise<RawAgent> {
  const a = await RawAgent.connect(t!.wsUrl, t!.tokens.agent);
  agents.push(a);
  a.hello(name, `s-${name}`, `boot-${name}`);
  for (let seq = 1; seq <= batches; seq++) a.send(fleetBatch(seq, pods.map((p) => ({ pod: p, cores: 0.1 })), { bootId: `boot-${name}` }));
  await a.until(() => a.acks().includes(batches), `ack ${batches} from ${name}`);
  return a;
}

describe('per-pod series', () => {
  it('--max-pod-series caps them and counts the rest in hms_sys_pod_series_dropped', async () => {
    t = await startTestAggregator({ config: { maxPodSeries: 2, staleAfterMs: 60_000 } });
    const pods = [0, 1, 2, 3, 4].map((i) => pod(i));
    const a = await node('node-a', pods);
    let text = await scrape();
    expect(podSeries(text)).toHaveLength(2);
    expect(text).toContain('hms_sys_pod_series_dropped 3\n');
    // Fewer pods than the cap: all shown, nothing dropped (the count is per scrape, not cumulative).
    a.send(fleetBatch(3, pods.slice(0, 1).map((p) => ({ pod: p, cores: 0.1 })), { bootId: 'boot-node-a' }));
    a.send(fleetBatch(4, pods.slice(0, 1).map((p) => ({ pod: p, cores: 0.1 })), { bootId: 'boot-node-a' }));
    await a.until(() => a.acks().includes(4), 'ack 4');
    text = await scrape();
    expect(podSeries(text)).toHaveLength(1);
    expect(text).toContain('hms_sys_pod_series_dropped 0\n');
  });

  it('--no-pod-series switches them off; node series stay', async () => {
    t = await startTestAggregator({ config: { podSeries: false, staleAfterMs: 60_000 } });
    await node('node-a', [pod(0), pod(1)]);
    const text = await scrape();
    expect(podSeries(text)).toEqual([]);
    expect(text).toContain('# TYPE hms_sys_pod_cpu_usage_cores gauge'); // the family is still declared
    expect(text).toContain('hms_sys_pod_series_dropped 0\n');
    expect(text).toMatch(/^hms_sys_node_cpu_usage_cores\{node="node-a"\} 1$/m);
    expect(text).toContain('hms_sys_node_connected{node="node-a"} 1\n');
  });
});

describe('series of things that are gone', () => {
  it('a pod missing from its node\'s next batch leaves /metrics', async () => {
    t = await startTestAggregator({ config: { staleAfterMs: 60_000 } });
    const pods = [pod(0), pod(1), pod(2)];
    const a = await node('node-a', pods);
    expect(podSeries(await scrape())).toHaveLength(3);
    a.send(fleetBatch(3, pods.slice(0, 2).map((p) => ({ pod: p, cores: 0.1 })), { bootId: 'boot-node-a' }));
    await a.until(() => a.acks().includes(3), 'ack 3');
    const text = await scrape();
    expect(podSeries(text)).toHaveLength(2);
    expect(text).not.toContain('pod="p-node-a-2"');
  });

  it('a disconnected node keeps only hms_sys_node_connected 0 and its info; a forgotten node has no series at all', async () => {
    t = await startTestAggregator({ config: { staleAfterMs: 60_000 } });
    await node('node-a', [pod(0, 'node-a')]);
    const b = await node('node-b', [pod(0, 'node-b'), pod(1, 'node-b')]);
    expect(seriesOfNode(await scrape(), 'node-b')).toHaveLength(5); // 2 pods, cpu, connected, info
    b.close();
    await until(async () => (await scrape()).includes('hms_sys_node_connected{node="node-b"} 0\n'), 'node-b disconnected');
    let text = await scrape();
    expect(seriesOfNode(text, 'node-b').sort()).toEqual([
      'hms_sys_node_connected{node="node-b"} 0',
      'hms_sys_node_info{node="node-b",kernel_version="6.1.0",os_image="Test OS",boot_id="boot-node-b"} 1',
    ]);
    expect(text).toContain('hms_sys_agents_connected 1\n');

    t.agg.fleet.forget('node-b');
    text = await scrape();
    expect(seriesOfNode(text, 'node-b')).toEqual([]);
    expect(seriesOfNode(text, 'node-a')).toHaveLength(4); // the other node is untouched
  });
});
