import { hostname } from 'node:os';
import { systemClock, systemRandom, type Logger, type OptionSpec, type ParsedOptions } from '@hms-sys/common';
import type { ClusterDriver } from '@hms-sys/aggregator';

/** Flags of `--driver kubernetes` (each also HMS_SYS_<FLAG>). */
export const KUBERNETES_DRIVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'kubeconfig', type: 'string', placeholder: 'FILE', description: 'kubernetes driver: kubeconfig file (default: $KUBECONFIG, else the in-cluster service account, else ~/.kube/config)' },
  { name: 'namespace', type: 'string', placeholder: 'NS', description: 'kubernetes driver: namespace of the leader-election Lease (default: $POD_NAMESPACE or the pod\'s service-account namespace, else "default")' },
  { name: 'leader-elect', type: 'boolean', default: true, description: 'kubernetes driver: only the holder of the Lease acts and reports ready (--no-leader-elect: act unconditionally, for a single replica)' },
  { name: 'leader-elect-lease-name', type: 'string', default: 'hms-sys-aggregator', placeholder: 'NAME', description: 'kubernetes driver: name of the leader-election Lease' },
  { name: 'leader-elect-identity', type: 'string', placeholder: 'ID', description: 'kubernetes driver: holder identity in the Lease (default: $POD_NAME, else the host name)' },
  { name: 'leader-elect-lease-duration', type: 'duration', default: 15_000, min: 1000, description: 'kubernetes driver: how long a standby waits after the last renewal before taking over' },
  { name: 'leader-elect-renew-deadline', type: 'duration', default: 10_000, min: 500, description: 'kubernetes driver: the leader stops acting when it could not renew for this long' },
  { name: 'leader-elect-retry-period', type: 'duration', default: 2_000, min: 100, description: 'kubernetes driver: interval between acquire/renew attempts' },
];

/**
 * Builds the Kubernetes driver. client-node is loaded only here (it takes about a second to
 * import), so no other command pays for it.
 */
export async function buildKubernetesDriver(opts: ParsedOptions, logger: Logger): Promise<ClusterDriver> {
  const k8s = await import('@hms-sys/aggregator/kubernetes');
  const { kubeConfig, from } = k8s.loadKubeConfig({ ...(opts.optStr('kubeconfig') ? { kubeconfig: opts.str('kubeconfig') } : {}) });
  const log = logger.child({ component: 'kubernetes-driver' });
  log.info({ credentials: from }, 'kubernetes credentials loaded');
  const leaderElection = opts.bool('leader-elect')
    ? {
        namespace: opts.optStr('namespace') ?? k8s.podNamespace() ?? 'default',
        name: opts.str('leader-elect-lease-name'),
        identity: opts.optStr('leader-elect-identity') ?? process.env.POD_NAME ?? hostname(),
        leaseDurationMs: opts.num('leader-elect-lease-duration'),
        renewDeadlineMs: opts.num('leader-elect-renew-deadline'),
        retryPeriodMs: opts.num('leader-elect-retry-period'),
        releaseOnStop: true,
      }
    : undefined;
  return new k8s.KubernetesDriver({ kubeConfig, clock: systemClock, random: systemRandom, logger: log, ...(leaderElection ? { leaderElection } : {}) });
}
