import { resolve } from 'node:path';
import { hmsError, systemRandom, type Logger, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import { commandKeyPaths, credentialPaths, NoopDriver, type AggregatorConfig, type AggregatorCore, type ClusterDriver } from '@hms-sys/aggregator';
import { LocalDriver, SpawnAgentLauncher, DEFAULT_CGROUP_PARENT, simulatedPatchArgs } from '@hms-sys/aggregator/local';
import { buildKubernetesDriver, KUBERNETES_DRIVER_OPTIONS } from './kubernetesDriver.js';

/** Flags choosing and configuring the cluster driver. */
export const DRIVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'driver', type: 'string', choices: ['local', 'kubernetes', 'none'], default: 'local', description: 'what runs the workloads: the local driver, a Kubernetes cluster, or none (metrics only)' },
  ...KUBERNETES_DRIVER_OPTIONS,
];

/** Flags of the local driver. */
export const LOCAL_DRIVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'nodes', type: 'int', min: 1, max: 64, description: 'run N virtual nodes (node-1..node-N, each with its own agent, cgroup subtree and host root) instead of this host' },
  { name: 'cgroup-parent', type: 'string', default: DEFAULT_CGROUP_PARENT, placeholder: 'PATH', description: 'cgroup (relative to each hierarchy root) under which the local driver creates pod cgroups' },
  { name: 'cgroup-root', type: 'string', default: '/sys/fs/cgroup', placeholder: 'DIR', description: 'where the cgroup hierarchies are mounted' },
  { name: 'node-cpu', type: 'int', min: 100, description: 'allocatable CPU per node in millicores (default: this machine\'s cores x 1000)' },
  { name: 'reboot-delay', type: 'duration', min: 0, max: 600_000, description: 'with --nodes: how long a simulated reboot keeps a virtual node down (default 2s)' },
];

export type DriverFactory = ClusterDriver | ((core: AggregatorCore) => ClusterDriver);

/** Builds the driver named by --driver (a factory when it needs the aggregator's store). */
export async function buildDriver(kind: string, opts: ParsedOptions, config: AggregatorConfig, logger: Logger, extraAgentArgs: readonly string[] = []): Promise<DriverFactory> {
  switch (kind) {
    case 'none':
      return new NoopDriver();
    case 'kubernetes':
      return buildKubernetesDriver(opts, logger);
    case 'local':
      return localDriverFactory(opts, config, logger, extraAgentArgs);
    default:
      throw hmsError('HMS_UNSUPPORTED', `driver "${kind}" is not available in this build`);
  }
}

/** The local driver, built on the aggregator's store and event log; virtual nodes' agents get extraAgentArgs. */
export function localDriverFactory(opts: ParsedOptions, config: AggregatorConfig, logger: Logger, extraAgentArgs: readonly string[] = []): (core: AggregatorCore) => LocalDriver {
  return (core) => new LocalDriver({
        db: core.db,
        dataDir: resolve(config.dataDir),
        clock: core.clock,
        random: systemRandom,
        logger: logger.child({ component: 'local-driver' }),
        emit: (type, fields) => core.events.append(type, fields),
        nodes: opts.optNum('nodes') ?? 'host',
        cgroupParent: opts.str('cgroup-parent'),
        cgroupRoot: opts.str('cgroup-root'),
        ...(opts.has('node-cpu') ? { nodeCpuMilli: opts.num('node-cpu') } : {}),
        ...(opts.has('reboot-delay') ? { rebootDelayMs: opts.num('reboot-delay') } : {}),
        agentLauncher: new SpawnAgentLauncher({
          aggregatorUrl: () => core.agentStreamUrl(),
          tokenFile: credentialPaths(config.dataDir).agentTokens,
          // Agents verify patch commands with the aggregator's key (generated in the data dir at start).
          extraArgs: ['--metrics-listen', 'none', '--command-public-key', commandKeyPaths(resolve(config.dataDir)).publicKey, ...extraAgentArgs],
          // --simulate-reboots: virtual nodes may patch and reboot, both simulated (simulatedPatching.ts).
          ...(opts.bool('simulate-reboots') && opts.optNum('nodes') ? { perNodeArgs: simulatedPatchArgs } : {}),
        }),
      });
}
