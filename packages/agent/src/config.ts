import { hostname } from 'node:os';
import { hmsError, type OptionSpec, type ParsedOptions } from '@hms-sys/common';

/** Typed, frozen configuration of one agent (GUIDE §9). */
export interface AgentConfig {
  readonly node: string;
  /** ws:// or wss:// URL of the aggregator's /v1/agents/stream; undefined with --once. */
  readonly aggregatorUrl: string | undefined;
  readonly hostRoot: string;
  /** undefined: <hostRoot>/sys/fs/cgroup. */
  readonly cgroupRoot: string | undefined;
  readonly workloadParents: readonly string[];
  readonly intervalMs: number;
  readonly stateDir: string;
  readonly tokenFile: string | undefined;
  /** Unacked batches are kept for this long's worth of intervals. */
  readonly bufferMs: number;
  /** host:port for /metrics and /healthz; undefined = not served. */
  readonly metricsListen: { host: string; port: number } | undefined;
  readonly caFile: string | undefined;
  /** Client certificate and key for wss:// (aggregator --client-ca); re-read at every connection. */
  readonly clientCertFile?: string | undefined;
  readonly clientKeyFile?: string | undefined;
  /** Per-process accounting file written by the local driver in non-root mode. */
  readonly processWorkloadsFile: string | undefined;
  readonly simulatedBoot: boolean;
  /** Patch executor (executor/): nothing disruptive runs without these opt-ins. */
  readonly allowPatch: boolean;
  readonly allowReboot: boolean;
  /** Shell command replacing the detected package-manager command (executor/hostCommands.ts). */
  readonly patchCommand: string | undefined;
  readonly rebootCommand: string | undefined;
  /** Sentinel path relative to --host-root. */
  readonly rebootRequiredFile: string | undefined;
  readonly rebootRequiredCommand: string | undefined;
  /** PEM Ed25519 public key verifying Commands; undefined = every command is refused. */
  readonly commandPublicKey: string | undefined;
  /** Patch command timeout, ms. */
  readonly patchTimeoutMs: number;
  /** A reboot issued but this agent still alive after this long → the command failed, ms. */
  readonly rebootTimeoutMs: number;
}

export const AGENT_OPTIONS: readonly OptionSpec[] = [
  { name: 'node', type: 'string', placeholder: 'NAME', description: 'node name to report as (Kubernetes: from the downward API spec.nodeName); default: the host name' },
  { name: 'aggregator', type: 'string', placeholder: 'URL', description: 'ws:// or wss:// URL of the aggregator, ending in /v1/agents/stream' },
  { name: 'cgroup-root', type: 'string', placeholder: 'DIR', description: 'cgroup mount to read (cgroup.controllers present = v2); default <host-root>/sys/fs/cgroup' },
  { name: 'host-root', type: 'string', default: '/', placeholder: 'DIR', description: 'prefix of every host path read (/proc, boot id, os-release, sentinel files)' },
  { name: 'workload-parent', type: 'list', placeholder: 'PATH', description: 'cgroup (relative to the cgroup root) whose every child is a workload; repeatable' },
  { name: 'interval', type: 'duration', default: 1000, min: 100, max: 3_600_000, description: 'collection and send interval' },
  { name: 'state-dir', type: 'string', default: './.hms-sys/agent', placeholder: 'DIR', description: 'where the agent keeps its state (patch executor)' },
  { name: 'token-file', type: 'string', placeholder: 'FILE', description: 'file holding the agent token for the aggregator' },
  { name: 'buffer', type: 'duration', default: 300_000, min: 1000, description: 'keep unacknowledged batches for this long (oldest dropped first)' },
  { name: 'metrics-listen', type: 'string', default: '127.0.0.1:9401', placeholder: 'HOST:PORT', description: 'address of the agent\'s /metrics and /healthz; "none" to disable' },
  { name: 'ca-file', type: 'string', placeholder: 'FILE', description: 'CA certificate(s) to trust for wss:// to the aggregator' },
  { name: 'client-cert', type: 'string', placeholder: 'FILE', description: 'client certificate (PEM) presented to the aggregator over wss://; its CN names this node; re-read at every connection' },
  { name: 'client-key', type: 'string', placeholder: 'FILE', description: 'private key of --client-cert (PEM)' },
  { name: 'process-workloads', type: 'string', placeholder: 'FILE', description: 'JSON list of workloads by pid (local driver without cgroups)' },
  { name: 'simulated-boot', type: 'boolean', description: 'the boot id is simulated (virtual nodes of `hms-sys up --nodes`)' },
  { name: 'allow-patch', type: 'boolean', description: 'let the executor run patch commands (without it, commands are answered with what would have run: dry_run=true)' },
  { name: 'allow-reboot', type: 'boolean', description: 'let the executor reboot the node when a patch requires it (without it, the reboot is reported, not done)' },
  { name: 'patch-command', type: 'string', placeholder: 'CMD', description: 'shell command that applies a patch (default: apt-get / dnf / zypper detected under --host-root, run through nsenter -t 1 -m -u -i -n -p; gets HMS_PATCH_KIND=kernel|os|packages)' },
  { name: 'reboot-command', type: 'string', placeholder: 'CMD', description: 'shell command that reboots the node (default: nsenter -t 1 -m -u -i -n -p -- systemctl reboot)' },
  { name: 'reboot-required-file', type: 'string', placeholder: 'PATH', description: 'sentinel that means a reboot is required, under --host-root (default /var/run/reboot-required, and zypper\'s /var/run/reboot-needed)' },
  { name: 'reboot-required-command', type: 'string', placeholder: 'CMD', description: 'command answering "reboot required?": exit 0 = yes, 1 = no, anything else = the check failed (overrides the file)' },
  { name: 'command-public-key', type: 'string', placeholder: 'FILE', description: 'the aggregator\'s Ed25519 public key (PEM, its command-signing.pub); without it every command is refused' },
  { name: 'patch-timeout', type: 'duration', default: 1_800_000, min: 1000, description: 'kill a patch command running longer than this' },
  { name: 'reboot-timeout', type: 'duration', default: 600_000, min: 1000, description: 'a reboot issued but the agent still running after this long fails the command' },
  { name: 'once', type: 'boolean', description: 'collect once, print what this node sees, and exit' },
  { name: 'output', short: 'o', type: 'string', choices: ['json', 'table'], default: 'table', description: 'output format with --once' },
];

function parseHostPort(text: string, flag: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  if (!m || Number(m[3]) > 65535) throw hmsError('HMS_CONFIG_INVALID', `--${flag} must be HOST:PORT or none (got "${text}")`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port: Number(m[3]) };
}

export function agentConfigFrom(opts: ParsedOptions): AgentConfig {
  const once = opts.bool('once');
  const url = opts.optStr('aggregator');
  const problems: string[] = [];
  if (!once && !url) problems.push('--aggregator URL is required (or set HMS_SYS_AGGREGATOR), e.g. ws://127.0.0.1:9400/v1/agents/stream');
  if (url && !/^wss?:\/\/[^/]+/.test(url)) problems.push(`--aggregator must be a ws:// or wss:// URL (got "${url}")`);
  const node = opts.optStr('node') ?? hostname().toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(node)) problems.push(`--node "${node}" is not a valid node name (lower-case letters, digits, '-', '.')`);
  const clientCert = opts.optStr('client-cert');
  const clientKey = opts.optStr('client-key');
  if (Boolean(clientCert) !== Boolean(clientKey)) problems.push('--client-cert and --client-key go together');
  if (clientCert && url && !url.startsWith('wss://')) problems.push('--client-cert needs a wss:// --aggregator URL');
  if (problems.length) throw hmsError('HMS_CONFIG_INVALID', problems.join('; '));
  const listen = opts.str('metrics-listen');
  return Object.freeze({
    node,
    aggregatorUrl: url,
    hostRoot: opts.str('host-root'),
    cgroupRoot: opts.optStr('cgroup-root'),
    workloadParents: Object.freeze(opts.list('workload-parent')),
    intervalMs: opts.num('interval'),
    stateDir: opts.str('state-dir'),
    tokenFile: opts.optStr('token-file'),
    bufferMs: opts.num('buffer'),
    metricsListen: listen === 'none' ? undefined : parseHostPort(listen, 'metrics-listen'),
    caFile: opts.optStr('ca-file'),
    clientCertFile: clientCert,
    clientKeyFile: clientKey,
    processWorkloadsFile: opts.optStr('process-workloads'),
    simulatedBoot: opts.bool('simulated-boot'),
    allowPatch: opts.bool('allow-patch'),
    allowReboot: opts.bool('allow-reboot'),
    patchCommand: opts.optStr('patch-command'),
    rebootCommand: opts.optStr('reboot-command'),
    rebootRequiredFile: opts.optStr('reboot-required-file'),
    rebootRequiredCommand: opts.optStr('reboot-required-command'),
    commandPublicKey: opts.optStr('command-public-key'),
    patchTimeoutMs: opts.num('patch-timeout'),
    rebootTimeoutMs: opts.num('reboot-timeout'),
  });
}
