/**
 * End to end with a real Prometheus server (Debian's `prometheus` binary): it scrapes a test
 * aggregator every second on loopback, and PromQL over its HTTP API returns the pod CPU the
 * agent's counters imply. Skipped, with the reason printed, where the binary is absent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { which } from '../../../../test/kit/promText.js';
import { fleetBatch, type FixturePod } from '../kit/fleetDriver.js';
import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

const prometheusBin = which('prometheus');
if (!prometheusBin) console.warn('[metrics] SKIP real Prometheus scrape: prometheus not installed (Debian: apt-get install -y prometheus)');

let t: TestAggregator | undefined;
let agent: RawAgent | undefined;
let prom: ChildProcess | undefined;
let promLog = '';
let dir: string | undefined;

afterAll(async () => {
  if (prom && prom.exitCode === null) {
    const exited = new Promise<void>((r) => prom!.once('exit', () => r()));
    prom.kill('SIGTERM');
    const timer = setTimeout(() => prom?.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  agent?.close();
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A free loopback port (bound and released; Prometheus takes it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline || (prom && prom.exitCode !== null)) throw new Error(`timed out waiting for ${what}; prometheus said:\n${promLog.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Sample = { metric: Record<string, string>; value: [number, string] };

describe.skipIf(!prometheusBin)('a real Prometheus scraping the aggregator', () => {
  it('stores hms_sys_pod_cpu_usage_cores as sent, queryable with PromQL', async () => {
    t = await startTestAggregator({ config: { staleAfterMs: 60_000 } });
    const web: FixturePod = { uid: 'uid-web-1', namespace: 'shop', name: 'web-1', node: 'node-p', cpuRequestMilli: 500 };
    agent = await RawAgent.connect(t.wsUrl, t.tokens.agent);
    agent.hello('node-p', 's-p', 'boot-p');
    for (const seq of [1, 2]) agent.send(fleetBatch(seq, [{ pod: web, cores: 0.375 }], { bootId: 'boot-p' }));
    await agent.until(() => agent!.acks().includes(2), 'ack 2');

    dir = mkdtempSync(join(tmpdir(), 'hms-prom-'));
    const port = await freePort();
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global:', '  scrape_interval: 1s', '  scrape_timeout: 1s', '  evaluation_interval: 1s',
      'scrape_configs:', '  - job_name: hms-sys', '    static_configs:', `      - targets: ['127.0.0.1:${t.agg.port}']`, '',
    ].join('\n'));
    prom = spawn(prometheusBin!, [
      `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout?.on('data', (d: Buffer) => { promLog += d.toString(); });
    prom.stderr?.on('data', (d: Buffer) => { promLog += d.toString(); });
    const base = `http://127.0.0.1:${port}`;
    await until(async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 'Prometheus ready', 15_000);

    const query = async (q: string): Promise<Sample[]> => {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await res.json()) as { status: string; data: { result: Sample[] } };
      expect(body.status).toBe('success');
      return body.data.result;
    };
    const up = await until(async () => {
      const r = await query('up{job="hms-sys"}');
      return r.length > 0 ? r : undefined;
    }, 'a first scrape', 15_000);
    expect(up[0]?.value[1]).toBe('1');

    const pod = await until(async () => {
      const r = await query('hms_sys_pod_cpu_usage_cores{pod="web-1"}');
      return r.length > 0 ? r : undefined;
    }, 'the pod series', 10_000);
    expect(pod).toHaveLength(1);
    expect(pod[0]!.metric).toMatchObject({ __name__: 'hms_sys_pod_cpu_usage_cores', namespace: 'shop', pod: 'web-1', node: 'node-p', job: 'hms-sys' });
    expect(Number(pod[0]!.value[1])).toBeCloseTo(0.375, 6);

    const nodeCpu = await query('hms_sys_node_cpu_usage_cores{node="node-p"}');
    expect(Number(nodeCpu[0]?.value[1])).toBeCloseTo(1, 6);
    // A scrape-time sum across pods, as a dashboard would write it.
    const byNs = await query('sum by (namespace) (hms_sys_pod_cpu_usage_cores)');
    expect(byNs.map((s) => [s.metric.namespace, Number(s.value[1])])).toEqual([['shop', 0.375]]);
  });
});
