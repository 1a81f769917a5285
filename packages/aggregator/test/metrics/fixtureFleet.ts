import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';
import { FleetDriver, fleetBatch, type FixturePod } from '../kit/fleetDriver.js';

/**
 * A deterministic fleet for exposition tests: two nodes, three Deployment pods and one bare pod,
 * two autoscalers (one steady at its target, one that scales up exactly once), one refused agent.
 * Every counter and gauge it leads to is fixed; only timings (histogram sums and buckets, and how
 * often the autoscaler evaluated) vary between runs.
 */
export const FIXTURE_PODS = {
  web1: { uid: 'uid-web-1', namespace: 'default', name: 'web-1', node: 'node-a', deployment: 'web', cpuRequestMilli: 500 },
  web2: { uid: 'uid-web-2', namespace: 'default', name: 'web-2', node: 'node-a', deployment: 'web', cpuRequestMilli: 500 },
  api1: { uid: 'uid-api-1', namespace: 'default', name: 'api-1', node: 'node-b', deployment: 'api', cpuRequestMilli: 500 },
  proxy: { uid: 'uid-proxy-b', namespace: 'kube-system', name: 'kube-proxy-b', node: 'node-b', cpuRequestMilli: 100 },
} satisfies Record<string, FixturePod>;

/** CPU each pod uses, in cores: web at 60 % of its request (its target), api at 90 % (target 50 %). */
export const FIXTURE_CORES = { web1: 0.3, web2: 0.3, api1: 0.45, proxy: 0.05 } as const;

export interface FixtureFleet {
  readonly t: TestAggregator;
  readonly driver: FleetDriver;
  readonly agents: { a: RawAgent; b: RawAgent };
  close(): Promise<void>;
}

type Autoscaler = { name: string; status: { currentReplicas: number | null; desiredReplicas: number | null; currentCPUUtilizationPercentage: number | null } };

async function until(pred: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function autoscalers(t: TestAggregator): Promise<Map<string, Autoscaler['status']>> {
  const res = await fetch(`${t.agg.url}/v1/autoscalers`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
  const list = (await res.json()) as Autoscaler[];
  return new Map(list.map((a) => [a.name, a.status]));
}

/** Starts a test aggregator and brings the fixture fleet to its steady state (bounded, ~3 s). */
export async function startFixtureFleet(config: Parameters<typeof startTestAggregator>[0] = {}): Promise<FixtureFleet> {
  const p = FIXTURE_PODS;
  const driver = new FleetDriver([{ namespace: 'default', name: 'web', replicas: 2 }, { namespace: 'default', name: 'api', replicas: 1 }], Object.values(p));
  const t = await startTestAggregator({ driver, ...config, config: { staleAfterMs: 60_000, ...config.config } });
  const put = async (name: string, body: unknown): Promise<void> => {
    const res = await fetch(`${t.agg.url}/v1/autoscalers/default/${name}`, {
      method: 'PUT', headers: { authorization: `Bearer ${t.tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`PUT ${name}: ${res.status} ${await res.text()}`);
  };
  await put('web', { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
  await put('api', { minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });

  await RawAgent.connect(t.wsUrl, 'not-a-valid-agent-token').then((x) => x.close(), () => undefined); // one refused agent

  const a = await RawAgent.connect(t.wsUrl, t.tokens.agent);
  const b = await RawAgent.connect(t.wsUrl, t.tokens.agent);
  a.hello('node-a', 's-a', 'boot-a');
  b.hello('node-b', 's-b', 'boot-b');
  await a.until(() => a.received.some((m) => m.welcome), 'welcome a');
  await b.until(() => b.received.some((m) => m.welcome), 'welcome b');
  const c = FIXTURE_CORES;
  const sendA = (seq: number): void => a.send(fleetBatch(seq, [{ pod: p.web1, cores: c.web1 }, { pod: p.web2, cores: c.web2 }], { nodeBusyCores: 1, bootId: 'boot-a' }));
  const sendB = (seq: number): void => b.send(fleetBatch(seq, [{ pod: p.api1, cores: c.api1 }, { pod: p.proxy, cores: c.proxy }], { nodeBusyCores: 0.5, bootId: 'boot-b' }));
  // Phase 1: two batches give rates; api (90 % of 50 %) scales 1 -> 2 once.
  for (const seq of [1, 2]) {
    sendA(seq);
    sendB(seq);
  }
  await a.until(() => a.acks().includes(2), 'ack a2');
  await b.until(() => b.acks().includes(2), 'ack b2');
  await until(() => driver.scaleCalls.length > 0, 'api scaled up');
  // Phase 2: one more batch marks the rules due again; api then sees its 2 replicas and stays.
  sendA(3);
  sendB(3);
  await a.until(() => a.acks().includes(3), 'ack a3');
  await b.until(() => b.acks().includes(3), 'ack b3');
  await until(async () => {
    const s = await autoscalers(t);
    const web = s.get('web');
    const api = s.get('api');
    return web?.currentReplicas === 2 && web.desiredReplicas === 2 && web.currentCPUUtilizationPercentage === 60 &&
      api?.currentReplicas === 2 && api.desiredReplicas === 2 && api.currentCPUUtilizationPercentage === 90;
  }, 'autoscalers steady');
  return {
    t, driver, agents: { a, b },
    async close() {
      a.close();
      b.close();
      await t.close();
    },
  };
}
