/**
 * Issue 8.5: a node's wall clock jumps (NTP step, a VM resumed, an operator's `date -s`). The
 * agent collects through an injected Clock whose wall time leaps hours forward and back, and ten
 * years ahead; the pods' CPU is exactly 0.25 core per container throughout. Rates use the node's
 * CLOCK_MONOTONIC (SPEC §4, GUIDE §4), so the aggregator's rates stay right and the node stays
 * connected; the wall time only travels along as `collected_at_ms` for display.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions, systemClock, type Clock } from '@hms-sys/common';
import { AGENT_OPTIONS, agentConfigFrom, openNode } from '@hms-sys/agent';
import { afterAll, describe, expect, it } from 'vitest';
import { buildBatch } from '../../packages/agent/src/stream/batchBuilder.js';
import { apiGet, RawAgent, startTestAggregator, type TestAggregator } from '../../packages/aggregator/test/kit/testAggregator.js';

const FIXTURE = fileURLToPath(new URL('../../packages/agent/test/fixtures/v2-systemd-containerd', import.meta.url));

/** Every container cgroup (a `*.scope` leaf) of the fixture copy. */
function containerStats(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e === 'cpu.stat' && dir.endsWith('.scope')) out.push(p);
    }
  };
  walk(join(root, 'sys/fs/cgroup/kubepods.slice'));
  return out;
}

let t: TestAggregator | undefined;
let hostRoot: string | undefined;
afterAll(async () => {
  await t?.close();
  if (hostRoot) rmSync(hostRoot, { recursive: true, force: true });
});

describe('a node whose wall clock jumps', () => {
  it('keeps correct rates and stays connected: rate math runs on the monotonic clock', async () => {
    hostRoot = mkdtempSync(join(tmpdir(), 'hms-clockjump-'));
    cpSync(FIXTURE, hostRoot, { recursive: true });
    const stats = containerStats(hostRoot);
    expect(stats.length).toBeGreaterThan(2);

    let offsetMs = 0;
    const jumpy: Clock = { ...systemClock, now: () => Date.now() + offsetMs };
    const config = agentConfigFrom(parseOptions(AGENT_OPTIONS, ['--node', 'jumpy', '--aggregator', 'ws://127.0.0.1:1/v1/agents/stream', '--host-root', hostRoot], {}));
    const node = await openNode(config, { clock: jumpy });

    t = await startTestAggregator({ config: { staleAfterMs: 2000 } });
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    a.send({ hello: { nodeName: 'jumpy', agentVersion: 'test', protocolVersion: 1, streamId: 'jumpy-1', intervalMs: 200, node: { bootId: node.info.bootId, cpuCores: 64 } } });

    // Each container burns exactly 0.25 core of *real* (monotonic) time.
    const start = process.hrtime.bigint();
    const burn = (): void => {
      const usec = Number((process.hrtime.bigint() - start) / 1000n);
      for (const f of stats) writeFileSync(f, `usage_usec ${1_000_000 + Math.round(usec * 0.25)}\nuser_usec 0\nsystem_usec 0\n`);
    };
    const jumps = [0, 3_600_000, -7_200_000, 10 * 365 * 86_400_000, -10 * 365 * 86_400_000, 0];
    const collectedAt: number[] = [];
    for (let seq = 1; seq <= jumps.length; seq++) {
      offsetMs = jumps[seq - 1] as number;
      burn();
      const c = node.collect();
      collectedAt.push(c.collectedAtMs);
      a.send({ metrics: buildBatch(seq, c, node.info.bootId, 0) });
      await a.until(() => a.acks().includes(seq), `ack ${seq}`);
      if (seq > 1) {
        const pods = (await apiGet<{ containers: { id: string; cpuUsageCores: number | null }[] }[]>(t, '/v1/pods')).body;
        const rates = pods.flatMap((p) => p.containers.map((x) => x.cpuUsageCores)).filter((x) => x !== null);
        expect(rates.length, `rates after jump ${offsetMs} ms`).toBe(stats.length);
        for (const r of rates) expect(r, `rate after a wall-clock jump of ${offsetMs} ms`).toBeCloseTo(0.25, 1);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    // The wall clock really did jump in what the agent reported…
    expect(collectedAt[3]! - collectedAt[2]!).toBeGreaterThan(10 * 365 * 86_400_000);
    expect(collectedAt[2]! - collectedAt[1]!).toBeLessThan(-3_600_000);
    // …and the node stayed connected (staleness runs on the aggregator's clock, not the agent's).
    const nodes = (await apiGet<{ name: string; connected: boolean }[]>(t, '/v1/nodes')).body;
    expect(nodes.find((n) => n.name === 'jumpy')?.connected).toBe(true);
    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).not.toMatch(/ (NaN|[+-]Inf)$/m); // no sample value is NaN or infinite
    a.close();
  });
});
