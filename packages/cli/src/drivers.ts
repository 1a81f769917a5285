import { hmsError, type Logger, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import { NoopDriver, type AggregatorConfig, type ClusterDriver } from '@hms-sys/aggregator';

/** Flags choosing and configuring the cluster driver. */
export const DRIVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'driver', type: 'string', choices: ['local', 'kubernetes', 'none'], default: 'local', description: 'what runs the workloads: the local driver, a Kubernetes cluster, or none (metrics only)' },
];

/** Builds the driver named by --driver. */
export async function buildDriver(kind: string, _opts: ParsedOptions, _config: AggregatorConfig, _logger: Logger): Promise<ClusterDriver> {
  switch (kind) {
    case 'none':
      return new NoopDriver();
    default:
      throw hmsError('HMS_UNSUPPORTED', `driver "${kind}" is not available in this build`);
  }
}
