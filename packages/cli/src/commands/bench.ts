import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { errnoCode, hmsError, type ParsedOptions } from '@hms-sys/common';
import { loadgen } from '@hms-sys/agent';
import { credentialPaths } from '@hms-sys/aggregator';
import type { Command, CommandContext } from '../command.js';
import { outputOption } from '../globalOptions.js';

const D = loadgen.DEFAULT_FLEET_OPTIONS;

/** `hms-sys bench agents`: simulated agents against any aggregator (a load generator). */
const agentsCommand: Command = {
  name: 'agents',
  summary: 'Load-test an aggregator with simulated agents: real WebSockets, real protobuf batches, acks honoured',
  usage: '--server ws://HOST:PORT/v1/agents/stream --token-file F --nodes N [--pods-per-node M] [--containers-per-pod C] [--interval 1s] [--duration 60s]',
  details: [
    'Each simulated node connects, says hello, and sends one MetricsBatch per interval whose cumulative',
    'counters grow; an agent with --max-unacked batches outstanding skips its turn, as a real agent would',
    'hold them. Prints achieved batches/s, the send-to-ack lag (p50/p90/p99) and every error seen.',
    'Node names are <name-prefix>-0..N-1: give each concurrent run its own prefix. An aggregator limits',
    'connection attempts per address (--agent-connect-rate): refused attempts (HTTP 429) are retried and',
    'counted; raise that limit on the aggregator for large fleets from one machine.',
    '',
    'Example:  hms-sys bench agents --server ws://127.0.0.1:9400/v1/agents/stream --token-file .hms-sys/agent-tokens --nodes 500 --duration 30s',
  ].join('\n'),
  options: [
    { name: 'server', type: 'string', default: 'ws://127.0.0.1:9400/v1/agents/stream', placeholder: 'URL', description: 'the aggregator\'s agent stream (ws:// or wss://; http(s)://HOST:PORT gets /v1/agents/stream)' },
    { name: 'token-file', type: 'string', placeholder: 'FILE', description: 'agent token file (first token is used), e.g. <data-dir>/agent-tokens' },
    { name: 'agent-token', type: 'string', placeholder: 'TOKEN', description: 'agent token (instead of --token-file; not the API token of HMS_SYS_TOKEN)' },
    { name: 'data-dir', type: 'string', default: './.hms-sys', placeholder: 'DIR', description: 'without --agent-token/--token-file: the agent token of the `hms-sys up` in this data dir' },
    { name: 'nodes', type: 'int', default: 100, min: 1, max: 100_000, description: 'simulated nodes (one WebSocket each)' },
    { name: 'pods-per-node', type: 'int', default: D.podsPerNode, min: 0, max: 5000, description: 'pods in every batch' },
    { name: 'containers-per-pod', type: 'int', default: D.containersPerPod, min: 0, max: 100, description: 'containers per pod' },
    { name: 'interval', type: 'duration', default: D.intervalMs, min: 100, max: 3_600_000, description: 'each node sends one batch per interval (spread evenly over the fleet)' },
    { name: 'duration', type: 'duration', default: D.durationMs, min: 1000, max: 86_400_000, description: 'length of the measured window' },
    { name: 'warmup', type: 'duration', default: D.warmupMs, min: 0, max: 3_600_000, description: 'sending before the measured window starts' },
    { name: 'name-prefix', type: 'string', default: D.namePrefix, placeholder: 'PREFIX', description: 'node names are PREFIX-0..N-1' },
    { name: 'connect-concurrency', type: 'int', default: D.connectConcurrency, min: 1, max: 10_000, description: 'WebSocket handshakes in flight at once' },
    { name: 'connect-timeout', type: 'duration', default: D.connectTimeoutMs, min: 1000, description: 'stop waiting for all nodes to connect after this long (the rest keep retrying)' },
    { name: 'max-unacked', type: 'int', default: D.maxUnacked, min: 1, max: 10_000, description: 'a node with this many unacknowledged batches skips its turn' },
    { name: 'drain', type: 'duration', default: D.drainMs, min: 0, description: 'after the window, wait this long at most for outstanding acks' },
    { name: 'hold', type: 'duration', default: 0, min: 0, max: 3_600_000, description: 'then keep the idle connections open this long before disconnecting (to inspect the aggregator with the fleet connected)' },
    { name: 'ca-file', type: 'string', placeholder: 'FILE', description: 'CA certificate(s) to trust for wss://' },
    outputOption(['table', 'json'], 'table'),
  ],
  async run(opts, ctx) {
    return runAgents(opts, ctx);
  },
};

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Load generators for benchmarking an aggregator (the repository\'s `npm run bench` uses them too)',
  subcommands: [agentsCommand],
};

/** ws(s)://…/v1/agents/stream from what the user typed. */
export function agentStreamUrl(server: string): string {
  let s = server.trim();
  if (!/^[a-z]+:\/\//i.test(s)) s = `ws://${s}`;
  const url = new URL(s.replace(/^http/i, 'ws'));
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw hmsError('HMS_USAGE', `--server must be a ws://, wss://, http:// or https:// URL (got ${server})`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/agents/stream';
  return url.toString();
}

function firstToken(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw hmsError('HMS_CONFIG_INVALID', `cannot read ${what} ${file}: ${errnoCode(err) ?? String(err)}`);
  }
  const token = text.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'))?.split(/\s+/)[0];
  if (!token) throw hmsError('HMS_CONFIG_INVALID', `${what} ${file} holds no token`);
  return token;
}

function agentToken(opts: ParsedOptions, cwd: string): string {
  const token = opts.optStr('agent-token');
  if (token) return token;
  const file = opts.optStr('token-file');
  if (file) return firstToken(resolve(cwd, file), '--token-file');
  const local = credentialPaths(resolve(cwd, opts.str('data-dir'))).agentTokens;
  try {
    return firstToken(local, 'agent token file');
  } catch {
    throw hmsError('HMS_USAGE', 'no agent token: pass --token-file FILE (the aggregator\'s --agent-token-file) or --agent-token', { hint: `a local \`hms-sys up\` keeps it in <data-dir>/agent-tokens (looked in ${local})` });
  }
}

async function runAgents(opts: ParsedOptions, ctx: CommandContext): Promise<number> {
  const url = agentStreamUrl(opts.str('server'));
  const token = agentToken(opts, ctx.cwd);
  const caFile = opts.optStr('ca-file');
  const json = opts.str('output') === 'json';
  const fleet: loadgen.SimulatedFleetOptions = {
    url, token,
    nodes: opts.num('nodes'),
    podsPerNode: opts.num('pods-per-node'),
    containersPerPod: opts.num('containers-per-pod'),
    intervalMs: opts.num('interval'),
    durationMs: opts.num('duration'),
    warmupMs: opts.num('warmup'),
    namePrefix: opts.str('name-prefix'),
    connectConcurrency: opts.num('connect-concurrency'),
    connectTimeoutMs: opts.num('connect-timeout'),
    maxUnacked: opts.num('max-unacked'),
    drainMs: opts.num('drain'),
    holdMs: opts.num('hold'),
    ...(caFile ? { tls: { ca: readFileSync(resolve(ctx.cwd, caFile)) } } : {}),
  };
  ctx.stderr.write(`${fleet.nodes} simulated nodes × ${fleet.podsPerNode} pods × ${fleet.containersPerPod} containers, one batch per ${fleet.intervalMs} ms, measuring ${fleet.durationMs / 1000} s after ${fleet.warmupMs / 1000} s of warm-up → ${url}\n`);
  const report = await loadgen.runSimulatedFleet(fleet, {
    signal: ctx.signal,
    onProgress: (p) => ctx.stderr.write(`  ${p.phase.padEnd(10)} connected ${p.connected}/${fleet.nodes} · sent ${p.sent} · acked ${p.acked}${p.phase === 'measuring' ? ` · ack lag p99 ${p.ackLagP99Ms.toFixed(1)} ms` : ''}\n`),
  });
  ctx.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  if (report.connect.failed === report.nodes) {
    throw hmsError('HMS_SERVER_UNREACHABLE', `no simulated node could connect to ${url}${report.errors.samples[0] ? ` (${report.errors.samples[0]})` : ''}`, { hint: 'check --server and the agent token' });
  }
  return 0;
}

const n0 = (v: number): string => Math.round(v).toLocaleString('en-US');
const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** The human summary. */
export function formatReport(r: loadgen.FleetReport): string {
  const errs = [
    ...Object.entries(r.errors.closes).map(([code, n]) => `closed ${code} ×${n}`),
    ...Object.entries(r.errors.http).map(([status, n]) => `HTTP ${status} ×${n}`),
    ...(r.errors.socket ? [`socket errors ×${r.errors.socket}`] : []),
  ];
  const lines = [
    `server            ${r.url}`,
    `fleet             ${n0(r.nodes)} nodes × ${r.podsPerNode} pods × ${r.containersPerPod} containers, every ${r.intervalMs} ms (${n0(r.bytesPerBatch)} bytes per batch)`,
    `connected         ${n0(r.connect.connected)}/${n0(r.nodes)} in ${r.connect.seconds.toFixed(1)} s${r.connect.refused ? ` (${n0(r.connect.refused)} attempts refused with 429, retried)` : ''}${r.connect.failed ? `; ${n0(r.connect.failed)} never connected` : ''}`,
    `window            ${(r.windowMs / 1000).toFixed(1)} s`,
    `batches/s         offered ${n0(r.offeredBatchesPerSec)} · sent ${n0(r.sentBatchesPerSec)} · acked ${n0(r.ackedBatchesPerSec)} (${r.offeredBatchesPerSec ? ((100 * r.ackedBatchesPerSec) / r.offeredBatchesPerSec).toFixed(1) : '0'} % of offered)`,
    `samples/s         ${n0(r.podSamplesPerSec)} pod · ${n0(r.containerSamplesPerSec)} container`,
    `ack lag           p50 ${ms(r.ackLagMs.p50)} · p90 ${ms(r.ackLagMs.p90)} · p99 ${ms(r.ackLagMs.p99)} · max ${ms(r.ackLagMs.max)} (${n0(r.ackLagMs.count)} batches, ${(100 * r.ackLagMs.within250ms).toFixed(1)} % within 250 ms)`,
    `skipped turns     ${n0(r.skipped.backpressure)} backpressure (≥ max-unacked outstanding) · ${n0(r.skipped.disconnected)} not connected`,
    `unacked at end    ${n0(r.unackedAtEnd)} · reconnects ${n0(r.reconnects)}`,
    `errors            ${errs.length ? errs.join(', ') : 'none'}`,
    ...r.errors.samples.slice(0, 3).map((s) => `                  ${s}`),
    `generator         ${r.generator.cpuPercent.toFixed(1)} % of a core · event loop p99 ${ms(r.generator.eventLoopP99Ms)} · send lateness p99 ${ms(r.sendLatenessMs.p99)} · RSS ${n0(r.generator.rssBytes / 2 ** 20)} MiB`,
  ];
  return `${lines.join('\n')}\n`;
}
