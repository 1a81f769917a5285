// Reaction time: a CPU step in a real pod cgroup to the first scale-up decision, on the embedded
// stack (aggregator + host agent + local driver, as `hms-sys up` / `hms-sys demo` run it) at a
// 1 s interval. The workload is the demo's: vote-api replicas pull requests from the vote router;
// the step is the router going from 0 to RPS requests/s. Repeated on fresh Deployments.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist, emitResult, figure, log, machineInfo, parseArgs, round, sleep, summarize } from './lib/common.js';

const args = parseArgs();
const REPS = Number(args.reps ?? (args.quick ? 2 : 3));
const RPS = Number(args.rps ?? 600);
const COST_MS = 1;

const { parseOptions, silentLogger } = await import(dist('common'));
const { STACK_OPTIONS } = await import(dist('cli', 'commands/up.js'));
const { startLocalStack } = await import(dist('cli', 'localStack.js'));
const { VoteRouter } = await import(dist('cli', 'demo/voteRouter.js'));

const dataDir = mkdtempSync(join(tmpdir(), 'hms-bench-reaction-'));
let stack;
let router;

function manifest(name, routerUrl) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: vote-api
          image: govregistry/vote:1.0
          command: ["vote-api"]
          env:
            - { name: VOTE_ROUTER, value: "${routerUrl}" }
          resources:
            requests: { cpu: 100m }
            limits: { cpu: 500m }
`;
}

async function api(method, path, body) {
  const res = await fetch(`${stack.agg.url}${path}`, { method, headers: { authorization: `Bearer ${stack.tokens.operator}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

async function until(pred, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function main() {
  const opts = parseOptions(STACK_OPTIONS, ['--data-dir', dataDir, '--listen', '127.0.0.1:0', '--interval', '1s', '--cgroup-parent', `hms-bench-${process.pid}`, '--summary-interval', '0s'], {});
  stack = await startLocalStack(opts, process.cwd(), silentLogger());
  router = new VoteRouter(COST_MS);
  const routerPort = await router.listen(0);
  const mode = stack.driver.mode();
  log(`reaction: ${mode.mode === 'cgroup' ? 'real cgroups' : 'process mode (no root)'}; ${REPS} steps of 0 → ${RPS} requests/s × ${COST_MS} ms CPU`);
  const decisions = [];
  const unsubscribe = stack.agg.events.subscribe((e) => {
    if (e.type === 'scale.decision') decisions.push(e);
  });
  const reps = [];
  try {
    for (let k = 1; k <= REPS; k++) {
      const name = `step-${k}`;
      stack.driver.apply(manifest(name, `http://127.0.0.1:${routerPort}`));
      await api('PUT', `/v1/autoscalers/default/${name}`, { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
      await until(() => stack.driver.pods().some((p) => p.owner?.name === name && p.ready === true), 30_000, `${name} ready`);
      router.setRps(0);
      await sleep(4000); // quiet: the rule sees its pod idle
      const t0 = Date.now();
      router.setRps(RPS);
      let up;
      await until(() => (up = decisions.find((d) => d.deployment === name && Date.parse(d.time) >= t0 && Number(d.desired) > Number(d.current))), 20_000, `a scale-up of ${name}`).catch(() => undefined);
      router.setRps(0);
      const seconds = up ? (Date.parse(up.time) - t0) / 1000 : NaN;
      reps.push({ name, seconds, from: up?.current ?? null, to: up?.desired ?? null, cpuUtilizationPercent: up?.cpuUtilizationPercent ?? null });
      log(`reaction: ${name}: ${up ? `${round(seconds, 2)} s to ${up.current} → ${up.desired} replicas at ${up.cpuUtilizationPercent}% CPU` : 'no scale-up within 20 s'}`);
      await api('DELETE', `/v1/autoscalers/default/${name}`).catch(() => undefined);
      stack.driver.deleteDeployment('default', name);
      await until(() => !stack.driver.pods().some((p) => p.owner?.name === name), 30_000, `${name} gone`).catch(() => undefined);
    }
  } finally {
    unsubscribe();
  }
  const ok = reps.filter((r) => Number.isFinite(r.seconds)).map((r) => r.seconds);
  const s = summarize(ok);
  return {
    name: 'reaction',
    title: 'CPU step in a real pod cgroup → first scale-up decision (local driver, 1 s interval)',
    mode: mode.mode === 'cgroup' ? `real processes in real cgroups (${mode.reason})` : `process mode: ${mode.reason}`,
    figures: [
      figure('step → first scale-up decision', ok.length ? s.max : NaN, 's', {
        goal: { op: '<', value: 3 }, spread: { min: round(s.min, 2), p50: round(s.p50, 2), max: round(s.max, 2), n: ok.length, failed: reps.length - ok.length },
        baseline: { name: 'HPA with metrics-server defaults (typical, §4.6 of the reference)', value: 30 },
        note: 'worst of the steps; anchors: metrics-server + HPA typically 25–35 s, worst ~50–65 s before the step is even fully visible',
      }),
    ],
    details: { reps, rps: RPS, costMs: COST_MS, machine: machineInfo() },
  };
}

async function cleanup() {
  await router?.close().catch(() => undefined);
  await stack?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => cleanup().finally(() => process.exit(130)));

main()
  .then((r) => emitResult(r, args.out))
  .catch((err) => {
    emitResult({ name: 'reaction', error: String(err?.stack ?? err) }, args.out);
    process.exitCode = 1;
  })
  .finally(async () => {
    await cleanup();
    setTimeout(() => process.exit(), 500).unref();
  });
