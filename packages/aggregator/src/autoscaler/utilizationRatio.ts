/** The utilization pass (reference §4.1, Kubernetes `GetResourceUtilizationRatio`). */
import { truncDiv } from './intMath.js';

export interface UtilizationRatio {
  /** utilizationPercent / target, a double. */
  readonly ratio: number;
  /** floor(Σusage * 100 / Σrequest): integer percent, truncated. */
  readonly utilizationPercent: number;
  /** floor(Σusage / entries): average millicores per counted pod. */
  readonly rawAverageMilli: number;
}

/**
 * Over the metric entries whose pod has a request: integer utilization first, then the ratio from
 * that *truncated* percent (28.5 % counts as 28). Fails with Kubernetes' message when the requests
 * sum to 0.
 */
export function utilizationRatio(
  metrics: ReadonlyMap<string, number>,
  requests: ReadonlyMap<string, number>,
  targetPercent: number,
): { readonly ok: true; readonly value: UtilizationRatio } | { readonly ok: false; readonly error: string } {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [name, usage] of metrics) {
    const request = requests.get(name);
    if (request === undefined) continue; // superfluous metric: no known pod
    metricsTotal += usage;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) return { ok: false, error: 'no metrics returned matched known pods' };
  const utilizationPercent = truncDiv(metricsTotal * 100, requestsTotal);
  return {
    ok: true,
    value: { ratio: utilizationPercent / targetPercent, utilizationPercent, rawAverageMilli: truncDiv(metricsTotal, entries) },
  };
}
