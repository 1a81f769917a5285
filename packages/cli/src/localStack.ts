import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { systemClock, type Logger, type ParsedOptions } from '@hms-sys/common';
import { aggregatorConfigFrom, ensureCredentials, startAggregator, type Aggregator } from '@hms-sys/aggregator';
import type { LocalDriver } from '@hms-sys/aggregator/local';
import { localDriverFactory } from './drivers.js';

/** The embedded single-machine stack of `hms-sys up` and `hms-sys demo`. */
export interface LocalStack {
  readonly agg: Aggregator;
  readonly driver: LocalDriver;
  readonly dataDir: string;
  readonly tokens: { operator: string; viewer: string; agent: string };
  /** Name of the host node (host mode) or undefined with virtual nodes. */
  readonly hostNode: string | undefined;
  readonly virtualNodes: number | undefined;
  stop(): Promise<void>;
}

/**
 * Starts aggregator + local driver from `up`-style flags. The driver launches one agent process
 * per node: this host's (reading its real cgroups, plus --workload-parent services), or one per
 * virtual node with its own host root.
 */
export async function startLocalStack(opts: ParsedOptions, cwd: string, logger: Logger): Promise<LocalStack> {
  const config = aggregatorConfigFrom(opts, 'local');
  const dataDir = resolve(cwd, config.dataDir);
  const tokens = ensureCredentials(dataDir, opts.optStr('token'));
  const virtual = opts.optNum('nodes');
  const simulate = opts.bool('simulate-reboots');
  const agentArgs = [
    '--interval', `${opts.num('interval')}ms`,
    ...(virtual ? (simulate ? ['--simulated-boot'] : []) : opts.list('workload-parent').flatMap((p) => ['--workload-parent', p])),
  ];
  const factory = localDriverFactory(opts, { ...config, dataDir }, logger, agentArgs);
  let driver: LocalDriver | undefined;
  const agg = await startAggregator({ ...config, dataDir }, { clock: systemClock, logger, driver: (core) => (driver = factory(core)) });
  return {
    agg,
    driver: driver as LocalDriver,
    dataDir,
    tokens,
    hostNode: virtual ? undefined : hostname().toLowerCase(),
    virtualNodes: virtual,
    stop: () => agg.stop(),
  };
}
