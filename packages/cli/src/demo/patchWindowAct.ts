import { formatDuration, hmsError } from '@hms-sys/common';
import type { Aggregator } from '@hms-sys/aggregator';
import type { LocalDriver } from '@hms-sys/aggregator/local';
import type { VoteRouter } from './voteRouter.js';

/**
 * Act two of `hms-sys demo` (SPEC §7): a rolling kernel-patch window over the three virtual
 * nodes, concurrency 1, while the vote router keeps offering load to vote-api. vote-api is held
 * at 4 replicas (the autoscaler rule's min = max) behind a PodDisruptionBudget (minAvailable 2).
 * Everything goes through the public API, as an operator would; the act ends with whether every
 * boot id changed exactly once and how many requests were served and shed during the window.
 */

export const ACT_TWO_REPLICAS = 4;
/** Requests/s offered during the window (1 ms of CPU each by default: ~0.3 cores). */
export const ACT_TWO_RPS = 300;

export const VOTE_API_PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: vote-api }
spec:
  minAvailable: 2
  selector: { matchLabels: { app: vote-api } }
`;

export interface ActTwoDeps {
  readonly agg: Aggregator;
  readonly driver: LocalDriver;
  readonly operatorToken: string;
  readonly router: VoteRouter;
  readonly out: (s: string) => void;
  readonly signal: AbortSignal;
  /** Bound on the whole window (ms). */
  readonly timeoutMs?: number;
}

export interface ActTwoSummary {
  readonly run: string | null;
  readonly state: string;
  readonly result: string | null;
  readonly seconds: number;
  readonly order: readonly string[];
  readonly nodes: readonly { name: string; bootIdBefore: string; bootIdAfter: string; reboots: number; simulated: boolean; kernelBefore: string; kernelAfter: string }[];
  readonly everyBootIdChangedExactlyOnce: boolean;
  readonly requestsServed: number;
  readonly requestsShed: number;
  readonly minReadyReplicas: number;
}

interface NodeJson { name: string; bootId: string; kernelVersion: string; connected: boolean }
interface RunJson {
  id: string; state: string; result: string | null; settled: boolean; reason: string | null;
  nodes: { name: string; state: string; rebooted: boolean; simulated: boolean; failure: { code: string; message: string } | null; blockers: { code: string; message: string }[] | null }[];
}
interface PlanJson { order: string[]; nodes: { node: string; preflight: { ok: boolean; reasons: { code: string; message: string }[] } }[] }

export async function runPatchWindowAct(d: ActTwoDeps): Promise<ActTwoSummary> {
  const { agg, driver, router, out, signal } = d;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${agg.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${d.operatorToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw hmsError('HMS_SERVER_ERROR', `${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const voteApi = (): { replicas: number; readyReplicas: number } => driver.deployments().find((x) => x.name === 'vote-api') ?? { replicas: 0, readyReplicas: 0 };

  out('\nAct two — patch night: a rolling kernel window over the three nodes while vote-api keeps answering\n');
  router.setRps(ACT_TWO_RPS);
  await api('PUT', '/v1/autoscalers/default/vote-api', { minReplicas: ACT_TWO_REPLICAS, maxReplicas: ACT_TWO_REPLICAS, targetCPUUtilizationPercentage: 60 });
  driver.apply(VOTE_API_PDB);
  out(`vote-api held at ${ACT_TWO_REPLICAS} replicas (autoscale --min=${ACT_TWO_REPLICAS} --max=${ACT_TWO_REPLICAS}) behind PodDisruptionBudget vote-api (minAvailable 2); ${ACT_TWO_RPS} requests/s offered\n`);
  await until(() => {
    const v = voteApi();
    const terminating = driver.pods().some((p) => p.owner?.name === 'vote-api' && p.deleted);
    return v.replicas === ACT_TWO_REPLICAS && v.readyReplicas === ACT_TWO_REPLICAS && !terminating;
  }, 90_000, signal, `vote-api at ${ACT_TWO_REPLICAS} ready replicas`);

  const before = await api<NodeJson[]>('GET', '/v1/nodes');
  out(`Nodes: ${before.map((n) => `${n.name} (boot ${n.bootId.slice(0, 8)}, kernel ${n.kernelVersion})`).join(', ')}\n`);
  const plan = await api<PlanJson>('POST', '/v1/patches/plan', { windows: ['now/10m'], kind: 'kernel', concurrency: 1 });
  out(`Plan: ${plan.nodes.map((n) => `${n.node} ${n.preflight.ok ? 'ok' : `BLOCKED (${n.preflight.reasons.map((r) => r.code).join(', ')})`}`).join(' → ')}\n`);
  const seqBefore = agg.events.lastSeq();
  const created = await api<RunJson>('POST', '/v1/patches', { windows: ['now/10m'], kind: 'kernel', strategy: 'rolling', concurrency: 1, failureBudget: 1, drainTimeout: '2m' });
  out(`$ hms-sys patch schedule --window=now/10m --kind=kernel --strategy=rolling   → ${created.id}\n`);

  const t0 = Date.now();
  const stats0 = router.stats();
  let last = stats0;
  let lastLine = '';
  let lastPrint = 0;
  let minReady = voteApi().readyReplicas;
  let run: RunJson = created;
  const deadline = t0 + (d.timeoutMs ?? 5 * 60_000);
  while (!signal.aborted && Date.now() < deadline) {
    await sleep(1000, signal);
    run = await api<RunJson>('GET', `/v1/patches/${created.id}`);
    const s = router.stats();
    const v = voteApi();
    minReady = Math.min(minReady, v.readyReplicas);
    const nodes = run.nodes.map((n) => `${n.name} ${n.state}`).join(' · ');
    const line = `${String(Math.round((Date.now() - t0) / 1000)).padStart(4)}s  ${nodes.padEnd(60)} served ${String(s.served - last.served).padStart(4)}/s  shed ${String(s.shed - last.shed).padStart(3)}/s  vote-api ${v.readyReplicas}/${v.replicas} ready\n`;
    if (nodes !== lastLine || Date.now() - lastPrint >= 5000) {
      out(line);
      lastLine = nodes;
      lastPrint = Date.now();
    }
    last = s;
    if (run.settled) break;
  }
  const seconds = (Date.now() - t0) / 1000;
  const stats = router.stats();
  const after = await api<NodeJson[]>('GET', '/v1/nodes');
  const rebootEvents: { node?: unknown; simulated?: unknown }[] = [];
  for (let since = seqBefore; ;) {
    const page = await api<{ seq: number; type: string; run?: string; node?: string; simulated?: boolean }[]>('GET', `/v1/events?since=${since}&limit=5000`);
    rebootEvents.push(...page.filter((e) => e.type === 'node.rebooted' && e.run === created.id));
    if (page.length < 5000) break;
    since = page[page.length - 1]!.seq;
  }
  const nodes = before.map((b) => {
    const a = after.find((x) => x.name === b.name);
    const reboots = rebootEvents.filter((e) => e.node === b.name);
    return {
      name: b.name, bootIdBefore: b.bootId, bootIdAfter: a?.bootId ?? '', reboots: reboots.length, simulated: reboots.every((e) => e.simulated === true),
      kernelBefore: b.kernelVersion, kernelAfter: a?.kernelVersion ?? '',
    };
  });
  const exactlyOnce = nodes.every((n) => n.reboots === 1 && n.bootIdAfter !== '' && n.bootIdAfter !== n.bootIdBefore);
  const served = stats.served - stats0.served;
  const shed = stats.shed - stats0.shed;

  out('\nAct two summary\n');
  out(`  run ${run.id}: ${run.state}${run.result ? ` (${run.result})` : ''} in ${formatDuration(seconds * 1000)}, one node at a time: ${created.nodes.map((n) => n.name).join(', ')}\n`);
  for (const n of nodes) {
    out(`  ${n.name}: boot ${n.bootIdBefore.slice(0, 8)} → ${n.bootIdAfter.slice(0, 8)} (${n.reboots} reboot${n.reboots === 1 ? '' : 's'}${n.simulated && n.reboots ? ', simulated' : ''}), kernel ${n.kernelBefore} → ${n.kernelAfter}\n`);
  }
  for (const n of run.nodes.filter((x) => x.failure || x.state === 'blocked')) {
    out(`  ${n.name} ${n.state}: ${n.failure?.message ?? n.blockers?.map((b) => `${b.code}: ${b.message}`).join('; ') ?? ''}\n`);
  }
  out(`  every boot id changed exactly once: ${exactlyOnce ? 'yes' : 'NO'}\n`);
  out(`  vote-api during the window: ${served} requests served, ${shed} shed (${served + shed ? ((100 * shed) / (served + shed)).toFixed(1) : '0'}%); never fewer than ${minReady} ready replicas\n`);
  return {
    run: run.id, state: run.state, result: run.result, seconds, order: created.nodes.map((n) => n.name), nodes,
    everyBootIdChangedExactlyOnce: exactlyOnce, requestsServed: served, requestsShed: shed, minReadyReplicas: minReady,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function until(pred: () => boolean, timeoutMs: number, signal: AbortSignal, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (signal.aborted) return;
    if (Date.now() > deadline) throw hmsError('HMS_UNAVAILABLE', `timed out waiting for ${what}`);
    await sleep(200, signal);
  }
}
