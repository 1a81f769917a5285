import { hmsError, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import { ApiClient } from '../apiClient.js';
import type { Command, CommandContext } from '../command.js';
import { CLIENT_OPTIONS, outputOption } from '../globalOptions.js';
import { formatPlan, formatRunList, formatRunStatus, type PlanJson, type RunJson } from '../patchFormat.js';

/** `hms-sys patch schedule|plan|status|pause|resume|cancel` (SPEC §2), thin over /v1/patches. */

const WINDOW_OPTION: OptionSpec = {
  name: 'window', type: 'list', placeholder: 'START[/END|/DURATION]',
  description: 'maintenance window, repeatable: 2024-04-05T02:00Z/4h, 2024-04-05T02:00[Europe/Berlin]/06:00, now/10m (a zone is required; START alone = 4h)',
};

/** Flags shared by schedule and plan: what a run would be. */
const RUN_SHAPE_OPTIONS: readonly OptionSpec[] = [
  { name: 'concurrency', type: 'int', default: 1, min: 1, description: 'nodes patched at once' },
  { name: 'selector', short: 'l', type: 'string', placeholder: 'K=V[,K2=V2]', description: 'only nodes with these labels' },
  { name: 'estimate', type: 'duration', min: 1000, description: 'estimated time per node without history (default: 15m on Kubernetes, 2m on the local driver)' },
  { name: 'force', type: 'boolean', description: 'evict pods that no controller owns (kubectl drain --force): they do not come back' },
  { name: 'delete-emptydir-data', type: 'boolean', description: 'evict pods with emptyDir volumes (their data is lost)' },
];

const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'Schedule a rolling patch run; prints its id (the last word of the output)',
  usage: '--window=START[/END|/DURATION] --kind=kernel|os|packages --strategy=rolling [--concurrency N] [--drain-timeout 10m] [--selector k=v] [--failure-budget K] [--dry-run]',
  details: [
    'Per node: preflight (capacity, disruption budgets) → cordon (a pre-existing cordon is kept) → drain →',
    'the node\'s agent patches and reboots → the node must come back with a NEW boot id → verify → uncordon →',
    'the evicted workloads must be ready again → next node. A node starts only if its estimated duration',
    'fits what is left of the window; a run stopped by a window\'s end resumes in the next window.',
    '',
    'Example (seed §4):  hms-sys patch schedule --window=2024-04-05T02:00Z --kind=kernel --strategy=rolling',
    'Right now, 10 minutes:  hms-sys patch schedule --window=now/10m --kind=kernel --strategy=rolling',
    'Patch window failed? Extend --drain-timeout, and make sure there is spare capacity (hms-sys patch plan).',
  ].join('\n'),
  options: [
    WINDOW_OPTION,
    { name: 'kind', type: 'string', choices: ['kernel', 'os', 'packages'], description: 'what to patch (required)' },
    { name: 'strategy', type: 'string', choices: ['rolling'], default: 'rolling', description: 'rollout strategy' },
    ...RUN_SHAPE_OPTIONS,
    { name: 'drain-timeout', type: 'duration', default: 600_000, min: 1000, description: 'give up draining a node after this (the node is uncordoned)' },
    { name: 'failure-budget', type: 'int', default: 1, min: 1, description: 'halt the run once this many nodes have failed' },
    { name: 'dry-run', type: 'boolean', description: 'cordon nothing, evict nothing: each agent only reports what it would run' },
    { name: 'command-timeout', type: 'duration', min: 1000, description: 'from sending the command to the agent\'s reboot or result (default 30m)' },
    { name: 'reboot-timeout', type: 'duration', min: 1000, description: 'from "rebooting" to the node back with a new boot id (default 15m)' },
    { name: 'verify-timeout', type: 'duration', min: 1000, description: 'from the new boot id to a verified node (default 5m)' },
    { name: 'health-gate-timeout', type: 'duration', min: 1000, description: 'for the evicted workloads to be ready again (default 10m)' },
    { name: 'blocked-retry', type: 'duration', min: 100, description: 'wait after a preflight refusal before trying the node again (default 1m)' },
    { name: 'max-blocks', type: 'int', min: 1, description: 'preflight refusals before a node is left out of the run as blocked (default 3)' },
    { name: 'expected-kernel', type: 'string', placeholder: 'RELEASE', description: 'fail a node whose kernel after the patch is not this release' },
    outputOption(['table', 'json'], 'table'),
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    const windows = opts.list('window');
    if (windows.length === 0) throw hmsError('HMS_USAGE', '--window is required, e.g. --window=2024-04-05T02:00Z/4h or --window=now/10m');
    if (!opts.has('kind')) throw hmsError('HMS_USAGE', '--kind is required: kernel, os or packages');
    const body: Record<string, unknown> = {
      windows,
      kind: opts.str('kind'),
      strategy: opts.str('strategy'),
      ...shapeBody(opts),
      drainTimeout: opts.num('drain-timeout'),
      failureBudget: opts.num('failure-budget'),
      dryRun: opts.bool('dry-run'),
    };
    for (const [flag, field] of [['command-timeout', 'commandTimeout'], ['reboot-timeout', 'rebootTimeout'], ['verify-timeout', 'verifyTimeout'], ['health-gate-timeout', 'healthGateTimeout'], ['blocked-retry', 'blockedRetry']] as const) {
      if (opts.has(flag)) body[field] = opts.num(flag);
    }
    if (opts.has('max-blocks')) body.maxPreflightBlocks = opts.num('max-blocks');
    if (opts.has('expected-kernel')) body.expectedKernelVersion = opts.str('expected-kernel');
    const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
    const run = await client.post<RunJson>('/v1/patches', body);
    if (opts.str('output') === 'json') {
      ctx.stdout.write(JSON.stringify(run, null, 2) + '\n');
      return 0;
    }
    const order = run.nodes.map((n) => n.name).join(', ');
    ctx.stdout.write([
      `${run.kind} patch, rolling, concurrency ${run.concurrency}, failure budget ${run.failureBudget}${run.dryRun ? ', DRY RUN' : ''}: ${run.nodes.length} node(s) in order ${order}`,
      ...run.windows.map((w) => `  window ${w.start} .. ${w.end}`),
      `  follow it: hms-sys patch status ${run.id} --watch`,
      `scheduled patch run ${run.id}`,
    ].join('\n') + '\n');
    return 0;
  },
};

function shapeBody(opts: ParsedOptions): Record<string, unknown> {
  return {
    concurrency: opts.num('concurrency'),
    ...(opts.has('selector') ? { selector: opts.str('selector') } : {}),
    ...(opts.has('estimate') ? { estimate: opts.num('estimate') } : {}),
    ...(opts.bool('force') ? { force: true } : {}),
    ...(opts.bool('delete-emptydir-data') ? { deleteEmptyDirData: true } : {}),
  };
}

const planCommand: Command = {
  name: 'plan',
  summary: 'Preview a run: node order, what would block each node, capacity and disruption-budget headroom, time vs windows. Changes nothing',
  usage: '[--window …] [--selector k=v] [--concurrency N] [--kind K]',
  options: [
    WINDOW_OPTION,
    { name: 'kind', type: 'string', choices: ['kernel', 'os', 'packages'], default: 'kernel', description: 'what would be patched' },
    ...RUN_SHAPE_OPTIONS,
    outputOption(['table', 'json'], 'table'),
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
    const plan = await client.post<PlanJson>('/v1/patches/plan', { windows: opts.list('window'), kind: opts.str('kind'), ...shapeBody(opts) });
    ctx.stdout.write(opts.str('output') === 'json' ? JSON.stringify(plan, null, 2) + '\n' : formatPlan(plan));
    return 0;
  },
};

const statusCommand: Command = {
  name: 'status',
  summary: 'Per-node step of a run (the latest without ID); --watch redraws progress bars until it settles',
  usage: '[ID] [--watch] [-o table|json]',
  details: 'With --watch the exit code is 0 when every node was patched, 1 otherwise. `-o json` prints {id, state, nodes: [{name, state, …}], …}.',
  options: [
    { name: 'watch', short: 'w', type: 'boolean', description: 'redraw every second until the run settles (Ctrl-C to stop watching; the run goes on)' },
    { name: 'all', type: 'boolean', description: 'without ID: list every run instead of showing the latest' },
    outputOption(['table', 'json'], 'table'),
    ...CLIENT_OPTIONS,
  ],
  async run(opts, ctx) {
    return runStatus(opts, ctx);
  },
};

async function runStatus(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
  const json = opts.str('output') === 'json';
  if (opts.positionals.length > 1) throw hmsError('HMS_USAGE', 'give at most one run id');
  const id = opts.positionals[0];
  if (!id && opts.bool('all')) {
    const runs = await client.get<RunJson[]>('/v1/patches');
    ctx.stdout.write(json ? JSON.stringify(runs, null, 2) + '\n' : runs.length ? formatRunList(runs, Date.now()) : 'No patch runs yet.\n');
    return 0;
  }
  const path = `/v1/patches/${encodeURIComponent(id ?? 'latest')}`;
  if (!opts.bool('watch')) {
    const run = await client.get<RunJson>(path);
    ctx.stdout.write(json ? JSON.stringify(run, null, 2) + '\n' : formatRunStatus(run, Date.now()));
    return 0;
  }
  const tty = (ctx.stdout as { isTTY?: boolean }).isTTY === true;
  let last = '';
  let run: RunJson | undefined;
  let failures = 0;
  while (!ctx.signal.aborted) {
    try {
      run = await client.get<RunJson>(path);
      failures = 0;
    } catch (err) {
      // The aggregator may be restarting (that is what resumable runs are for): keep watching a while.
      if (++failures > 30) throw err;
      if (!json) ctx.stderr.write(`(aggregator unreachable, retrying: ${(err as Error).message})\n`);
      await sleep(1000, ctx.signal);
      continue;
    }
    if (!json) {
      const text = formatRunStatus(run, Date.now(), { bars: true });
      const key = text.replace(/\b\d+(\.\d+)?(ms|s|m)\b/g, '');
      if (tty) ctx.stdout.write(`\x1b[H\x1b[2J${text}`);
      else if (key !== last) ctx.stdout.write(`${text}\n`);
      last = key;
    }
    if (run.settled) break;
    await sleep(1000, ctx.signal);
  }
  if (json && run) ctx.stdout.write(JSON.stringify(run, null, 2) + '\n');
  return run?.settled && run.state === 'done' && run.result === 'success' ? 0 : 1;
}

function controlCommand(verb: 'pause' | 'resume' | 'cancel', summary: string): Command {
  return {
    name: verb,
    summary,
    usage: 'ID',
    options: [{ name: 'reason', type: 'string', placeholder: 'TEXT', description: 'why (recorded in the event log)' }, outputOption(['table', 'json'], 'table'), ...CLIENT_OPTIONS],
    async run(opts, ctx) {
      const id = opts.positionals[0];
      if (!id || opts.positionals.length > 1) throw hmsError('HMS_USAGE', `give exactly one run id: hms-sys patch ${verb} ID`);
      const client = ApiClient.fromOptions(opts, ctx.env, ctx.cwd);
      const run = await client.post<RunJson>(`/v1/patches/${encodeURIComponent(id)}/${verb}`, opts.has('reason') ? { reason: opts.str('reason') } : {});
      if (opts.str('output') === 'json') ctx.stdout.write(JSON.stringify(run, null, 2) + '\n');
      else ctx.stdout.write(`patch run ${run.id}: ${run.state}${run.reason ? ` (${run.reason})` : ''}\n`);
      return 0;
    },
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

export const patchCommand: Command = {
  name: 'patch',
  summary: 'Capacity-aware rolling patch and reboot windows (seed §4)',
  subcommands: [
    scheduleCommand,
    planCommand,
    statusCommand,
    controlCommand('pause', 'Pause a run: no node starts; nodes not yet cordoned wait; a draining node holds; commanded nodes finish'),
    controlCommand('resume', 'Resume a paused run'),
    controlCommand('cancel', 'Cancel a run: pending nodes are skipped, cordoned-not-commanded nodes uncordoned, commanded nodes finish'),
  ],
};
