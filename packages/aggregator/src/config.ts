import { hmsError, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import { DEFAULT_MAX_FRAME_BYTES } from '@hms-sys/protocol';
import type { TlsFiles } from './http/tlsFiles.js';

/** Typed, validated, frozen aggregator configuration (GUIDE §9). */
export interface AggregatorConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly driver: 'local' | 'kubernetes' | 'none';
  /** undefined: generated in the data dir on first start. */
  readonly agentTokenFile: string | undefined;
  readonly apiTokenFile: string | undefined;
  /** Ed25519 key that signs patch/reboot commands; undefined: generated in the data dir. */
  readonly commandSigningKeyFile?: string | undefined;
  readonly maxFrameBytes: number;
  readonly staleAfterMs: number;
  readonly eventRetentionMs: number;
  readonly batchRetentionMs: number;
  readonly podSeries: boolean;
  readonly maxPodSeries: number;
  /** The autoscaler evaluates each rule at most once per this interval (ms). */
  readonly autoscaleIntervalMs: number;
  /** A feed consumer this many events behind is disconnected (it resumes with since=SEQ). */
  readonly feedMaxLagEvents: number;
  /** Disconnected nodes unknown to the driver are forgotten after this long (ms). */
  readonly forgetNodesAfterMs: number;
  /** Interval of `summary` events (ms); 0 = none. */
  readonly summaryIntervalMs: number;
  /** HTTPS + WSS on the same port (issue 8); undefined = plain HTTP. */
  readonly tls?: TlsFiles | undefined;
  /** Rate limits on the agent and feed endpoints; missing fields take DEFAULT_ACCESS_LIMITS. */
  readonly limits?: Partial<AccessLimits> | undefined;
}

/** Rate limits of the agent stream and the feed (issue 8). A rate of 0 disables that limit. */
export interface AccessLimits {
  /** Agent stream upgrade attempts per second per remote address (token bucket)… */
  readonly agentConnectRate: number;
  /** …with this burst. Over it: HTTP 429 at the upgrade. */
  readonly agentConnectBurst: number;
  /** Sustained frames per second one agent connection may send… */
  readonly agentFrameRate: number;
  /** …with this burst (covers the replay of unacked batches after a reconnect). Over it: close 1008. */
  readonly agentFrameBurst: number;
  /** Concurrent feed consumers (WebSocket + SSE) per API token. */
  readonly feedMaxConsumers: number;
  /** Feed connection attempts per second per remote address… */
  readonly feedConnectRate: number;
  /** …with this burst. */
  readonly feedConnectBurst: number;
}

/**
 * Safe defaults: a fleet reconnecting through one NAT address at 10/s, an agent replaying its
 * whole default buffer (300 batches) at once, 20 frames/s sustained (a 100 ms interval plus
 * command statuses), a dashboard opening a handful of feeds.
 */
export const DEFAULT_ACCESS_LIMITS: AccessLimits = Object.freeze({
  agentConnectRate: 10,
  agentConnectBurst: 100,
  agentFrameRate: 20,
  agentFrameBurst: 1000,
  feedMaxConsumers: 32,
  feedConnectRate: 5,
  feedConnectBurst: 30,
});

export const DEFAULT_LISTEN = '127.0.0.1:9400';

/** Flags of `hms-sys aggregator` (also used by `hms-sys up`). */
export const AGGREGATOR_OPTIONS: readonly OptionSpec[] = [
  { name: 'listen', type: 'string', default: DEFAULT_LISTEN, placeholder: 'HOST:PORT', description: 'address for the API, /metrics and the agent stream' },
  { name: 'data-dir', type: 'string', default: './.hms-sys', placeholder: 'DIR', description: 'where the SQLite state and generated tokens live' },
  { name: 'agent-token-file', type: 'string', placeholder: 'FILE', description: 'agent tokens, one per line ("TOKEN" any node, "TOKEN NODE" one node); default: generated in --data-dir' },
  { name: 'api-token-file', type: 'string', placeholder: 'FILE', description: 'API tokens, lines "viewer TOKEN" or "operator TOKEN"; default: generated in --data-dir' },
  { name: 'command-signing-key-file', type: 'string', placeholder: 'FILE', description: 'Ed25519 private key (PKCS#8 PEM) that signs patch and reboot commands, shared by HA replicas (e.g. a Secret); empty or unset: a key pair generated in --data-dir' },
  { name: 'max-frame-bytes', type: 'int', default: DEFAULT_MAX_FRAME_BYTES, min: 1024, max: 64 * 1024 * 1024, description: 'largest agent frame accepted; bigger frames close that connection' },
  { name: 'stale-after', type: 'duration', default: 5000, min: 500, description: 'mark a node disconnected after this long without data (at least 3 intervals)' },
  { name: 'event-retention', type: 'duration', default: 7 * 86_400_000, min: 60_000, description: 'how long the event log (HMS-OPS feed) keeps events' },
  { name: 'batch-retention', type: 'duration', default: 3_600_000, min: 60_000, description: 'how long the ingest journal keeps per-batch rows' },
  { name: 'pod-series', type: 'boolean', default: true, description: 'export per-pod hms_sys_pod_cpu_usage_cores series (--no-pod-series for very large fleets)' },
  { name: 'max-pod-series', type: 'int', default: 200_000, min: 0, description: 'cap on per-pod series in /metrics' },
  { name: 'feed-max-lag', type: 'int', default: 100_000, min: 100, description: 'disconnect a feed consumer that is this many events behind' },
  { name: 'forget-nodes-after', type: 'duration', default: 3_600_000, min: 60_000, description: 'forget a node (and its series) that has been disconnected this long and is not in the cluster' },
  { name: 'summary-interval', type: 'duration', default: 5000, min: 0, description: 'publish a summary event (nodes, deployments) on the feed this often; 0 disables' },
  { name: 'autoscale-interval', type: 'duration', default: 1000, min: 100, description: 'evaluate each scaling rule at most once per this interval, when fresh metrics arrive' },
  { name: 'agent-connect-rate', type: 'number', default: DEFAULT_ACCESS_LIMITS.agentConnectRate, min: 0, description: 'agent stream connection attempts per second per remote address (burst --agent-connect-burst); more get HTTP 429; 0 = unlimited' },
  { name: 'agent-connect-burst', type: 'int', default: DEFAULT_ACCESS_LIMITS.agentConnectBurst, min: 1, description: 'agent stream connection attempts one address may make at once' },
  { name: 'agent-frame-rate', type: 'number', default: DEFAULT_ACCESS_LIMITS.agentFrameRate, min: 0, description: 'sustained frames per second one agent connection may send (burst --agent-frame-burst); over it the connection is closed (1008); 0 = unlimited' },
  { name: 'agent-frame-burst', type: 'int', default: DEFAULT_ACCESS_LIMITS.agentFrameBurst, min: 1, description: 'frames an agent connection may send at once (keep above the agents\' --buffer / --interval)' },
  { name: 'feed-max-consumers', type: 'int', default: DEFAULT_ACCESS_LIMITS.feedMaxConsumers, min: 1, description: 'concurrent /v1/feed consumers per API token; more get HTTP 429' },
  { name: 'feed-connect-rate', type: 'number', default: DEFAULT_ACCESS_LIMITS.feedConnectRate, min: 0, description: '/v1/feed connection attempts per second per remote address (burst --feed-connect-burst); 0 = unlimited' },
  { name: 'feed-connect-burst', type: 'int', default: DEFAULT_ACCESS_LIMITS.feedConnectBurst, min: 1, description: '/v1/feed connection attempts one address may make at once' },
];

/** TLS flags of `hms-sys aggregator` (not of `up`, whose embedded agents connect over loopback). */
export const AGGREGATOR_TLS_OPTIONS: readonly OptionSpec[] = [
  { name: 'tls-cert', type: 'string', placeholder: 'FILE', description: 'serve HTTPS and wss:// with this PEM certificate (chain); re-read when it changes' },
  { name: 'tls-key', type: 'string', placeholder: 'FILE', description: 'private key of --tls-cert (PEM); re-read when it changes' },
  { name: 'client-ca', type: 'string', placeholder: 'FILE', description: 'agents must present a client certificate signed by this CA (PEM); its CN (or DNS SAN) is the only node it may report for' },
];

/** Splits HOST:PORT (IPv6 as [::1]:9400). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw hmsError('HMS_CONFIG_INVALID', `--listen must be HOST:PORT, e.g. 127.0.0.1:9400 (got "${listen}")`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

/** TLS files from the flags; undefined without --tls-cert. Every inconsistency reported at once. */
function tlsFrom(opts: ParsedOptions, driver: AggregatorConfig['driver']): TlsFiles | undefined {
  const certFile = opts.optStr('tls-cert');
  const keyFile = opts.optStr('tls-key');
  const clientCaFile = opts.optStr('client-ca');
  const problems: string[] = [];
  if (certFile && !keyFile) problems.push('--tls-cert needs --tls-key');
  if (keyFile && !certFile) problems.push('--tls-key needs --tls-cert');
  if (clientCaFile && !certFile) problems.push('--client-ca needs --tls-cert and --tls-key');
  if (certFile && driver === 'local') problems.push('--tls-cert is not supported with --driver local (its agents connect over loopback without a CA)');
  if (problems.length) throw hmsError('HMS_CONFIG_INVALID', problems.join('; '));
  return certFile && keyFile ? Object.freeze({ certFile, keyFile, clientCaFile }) : undefined;
}

function limitsFrom(opts: ParsedOptions): AccessLimits {
  const num = (flag: string, fallback: number): number => opts.optNum(flag) ?? fallback;
  const d = DEFAULT_ACCESS_LIMITS;
  return Object.freeze({
    agentConnectRate: num('agent-connect-rate', d.agentConnectRate),
    agentConnectBurst: num('agent-connect-burst', d.agentConnectBurst),
    agentFrameRate: num('agent-frame-rate', d.agentFrameRate),
    agentFrameBurst: num('agent-frame-burst', d.agentFrameBurst),
    feedMaxConsumers: num('feed-max-consumers', d.feedMaxConsumers),
    feedConnectRate: num('feed-connect-rate', d.feedConnectRate),
    feedConnectBurst: num('feed-connect-burst', d.feedConnectBurst),
  });
}

export function aggregatorConfigFrom(opts: ParsedOptions, driver: AggregatorConfig['driver']): AggregatorConfig {
  const { host, port } = parseListen(opts.str('listen'));
  const tls = tlsFrom(opts, driver);
  return Object.freeze({
    host,
    port,
    dataDir: opts.str('data-dir'),
    driver,
    agentTokenFile: opts.optStr('agent-token-file'),
    apiTokenFile: opts.optStr('api-token-file'),
    commandSigningKeyFile: opts.optStr('command-signing-key-file'),
    maxFrameBytes: opts.num('max-frame-bytes'),
    staleAfterMs: opts.num('stale-after'),
    eventRetentionMs: opts.num('event-retention'),
    batchRetentionMs: opts.num('batch-retention'),
    podSeries: opts.bool('pod-series'),
    maxPodSeries: opts.num('max-pod-series'),
    autoscaleIntervalMs: opts.num('autoscale-interval'),
    feedMaxLagEvents: opts.num('feed-max-lag'),
    summaryIntervalMs: opts.num('summary-interval'),
    forgetNodesAfterMs: opts.num('forget-nodes-after'),
    tls,
    limits: limitsFrom(opts),
  });
}
