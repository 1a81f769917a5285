import {
  ApiException,
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  PolicyV1Api,
  ServerConfiguration,
  Watch,
  createConfiguration,
  setHeaderOptions,
  type ConfigurationOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { errorMessage, hmsError, type HmsError } from '@hms-sys/common';

/** Default bound on one API request (list pages, patches, evictions). Watches are not bounded by it. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The typed API clients of one KubeConfig, every request bounded by a timeout: client-node 1.4.0
 * sets none, and a request hanging on a half-open connection would stall a scale or a drain forever.
 */
export class KubeApi {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly policy: PolicyV1Api;
  readonly coordination: CoordinationV1Api;
  readonly custom: CustomObjectsApi;
  readonly watch: Watch;
  /** The API server URL (for logs). */
  readonly server: string;

  constructor(readonly kubeConfig: KubeConfig, requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw hmsError('HMS_CONFIG_INVALID', 'the kubeconfig has no current cluster', { hint: 'pass --kubeconfig or set the current context' });
    this.server = cluster.server;
    const config = createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [{
        pre: async (ctx) => {
          ctx.setSignal(AbortSignal.timeout(requestTimeoutMs));
          return ctx;
        },
        post: async (res) => res,
      }],
    });
    this.core = new CoreV1Api(config);
    this.apps = new AppsV1Api(config);
    this.policy = new PolicyV1Api(config);
    this.coordination = new CoordinationV1Api(config);
    this.custom = new CustomObjectsApi(config);
    this.watch = new Watch(kubeConfig);
  }
}

/**
 * Per-call options for a JSON merge patch (RFC 7386). Without them client-node 1.4.0 sends
 * `application/json-patch+json`, which the API server rejects for an object body.
 */
export function mergePatch(): ConfigurationOptions {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
}

/** What went wrong with an API call, from an ApiException's metav1.Status body or a transport error. */
export interface KubeFailure {
  /** HTTP status; undefined for transport errors (refused, reset, timeout). */
  readonly status: number | undefined;
  /** metav1.Status reason (NotFound, Conflict, TooManyRequests, ...). */
  readonly reason: string | undefined;
  readonly message: string;
}

export function kubeFailure(err: unknown): KubeFailure {
  if (err instanceof ApiException) {
    const code = (err as ApiException<unknown>).code;
    const body = parseStatus((err as ApiException<unknown>).body);
    return { status: code, reason: body?.reason, message: body?.message ?? `HTTP ${code}` };
  }
  const e = err as { statusCode?: unknown; name?: unknown };
  if (typeof e?.statusCode === 'number') return { status: e.statusCode, reason: undefined, message: errorMessage(err) };
  const timedOut = e?.name === 'AbortError' || e?.name === 'TimeoutError';
  return { status: undefined, reason: timedOut ? 'Timeout' : undefined, message: timedOut ? 'request timed out' : errorMessage(err) };
}

/** An HmsError for a failed API call: 404 -> HMS_NOT_FOUND, 400/422 -> HMS_INPUT_INVALID, 409 -> HMS_CONFLICT, else HMS_DRIVER. */
export function kubeError(what: string, err: unknown): HmsError {
  const f = kubeFailure(err);
  const message = `${what}: ${f.message}${f.status ? ` (HTTP ${f.status})` : ''}`;
  switch (f.status) {
    case 404: return hmsError('HMS_NOT_FOUND', message, { cause: err });
    case 400:
    case 422: return hmsError('HMS_INPUT_INVALID', message, { cause: err });
    case 409: return hmsError('HMS_CONFLICT', message, { cause: err });
    case 401:
    case 403: return hmsError('HMS_DRIVER', message, { cause: err, hint: 'check the aggregator ServiceAccount RBAC (deploy/rbac/aggregator.yaml)' });
    default: return hmsError('HMS_DRIVER', message, { cause: err });
  }
}

function parseStatus(body: unknown): { reason?: string; message?: string } | undefined {
  let v = body;
  if (typeof body === 'string') {
    try {
      v = JSON.parse(body);
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 300) } : undefined;
    }
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as { reason?: unknown; message?: unknown };
  return {
    ...(typeof o.reason === 'string' ? { reason: o.reason } : {}),
    ...(typeof o.message === 'string' ? { message: o.message } : {}),
  };
}
