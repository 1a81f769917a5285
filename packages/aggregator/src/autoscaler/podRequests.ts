/** CPU requests per pod (reference §3.2, Kubernetes `calculateRequests`). */
import type { PodMetricInput } from './types.js';

/** Requests by pod name (millicores), or the first error in Kubernetes' wording. */
export type RequestsResult = { readonly ok: true; readonly requests: ReadonlyMap<string, number> } | { readonly ok: false; readonly error: string };

/**
 * Sums each pod's container requests, or takes its pod-level request when set. Runs over *every*
 * listed pod, ignored ones included, as Kubernetes does: one container without a request fails the
 * whole calculation. A pod without containers requests 0.
 */
export function podRequests(pods: readonly PodMetricInput[]): RequestsResult {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    if (pod.podCpuRequestMilli !== undefined && pod.podCpuRequestMilli !== null) {
      requests.set(pod.name, pod.podCpuRequestMilli);
      continue;
    }
    let total = 0;
    for (const c of pod.containers) {
      if (c.cpuRequestMilli === null) return { ok: false, error: `missing request for cpu in container ${c.name} of Pod ${pod.name}` };
      total += c.cpuRequestMilli;
    }
    requests.set(pod.name, total);
  }
  return { ok: true, requests };
}
