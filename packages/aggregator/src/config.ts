import { hmsError, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import { DEFAULT_MAX_FRAME_BYTES } from '@hms-sys/protocol';

/** Typed, validated, frozen aggregator configuration (GUIDE §9). */
export interface AggregatorConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly driver: 'local' | 'kubernetes' | 'none';
  /** undefined: generated in the data dir on first start. */
  readonly agentTokenFile: string | undefined;
  readonly apiTokenFile: string | undefined;
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
}

export const DEFAULT_LISTEN = '127.0.0.1:9400';

/** Flags of `hms-sys aggregator` (also used by `hms-sys up`). */
export const AGGREGATOR_OPTIONS: readonly OptionSpec[] = [
  { name: 'listen', type: 'string', default: DEFAULT_LISTEN, placeholder: 'HOST:PORT', description: 'address for the API, /metrics and the agent stream' },
  { name: 'data-dir', type: 'string', default: './.hms-sys', placeholder: 'DIR', description: 'where the SQLite state and generated tokens live' },
  { name: 'agent-token-file', type: 'string', placeholder: 'FILE', description: 'agent tokens, one per line ("TOKEN" any node, "TOKEN NODE" one node); default: generated in --data-dir' },
  { name: 'api-token-file', type: 'string', placeholder: 'FILE', description: 'API tokens, lines "viewer TOKEN" or "operator TOKEN"; default: generated in --data-dir' },
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
];

/** Splits HOST:PORT (IPv6 as [::1]:9400). */
export function parseListen(listen: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw hmsError('HMS_CONFIG_INVALID', `--listen must be HOST:PORT, e.g. 127.0.0.1:9400 (got "${listen}")`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function aggregatorConfigFrom(opts: ParsedOptions, driver: AggregatorConfig['driver']): AggregatorConfig {
  const { host, port } = parseListen(opts.str('listen'));
  return Object.freeze({
    host,
    port,
    dataDir: opts.str('data-dir'),
    driver,
    agentTokenFile: opts.optStr('agent-token-file'),
    apiTokenFile: opts.optStr('api-token-file'),
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
  });
}
