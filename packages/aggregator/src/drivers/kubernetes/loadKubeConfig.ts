import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { errorMessage, hmsError } from '@hms-sys/common';
import { KubeConfig } from '@kubernetes/client-node';

/** Where a pod finds its service-account credentials (kubelet-mounted). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface KubeConfigSource {
  /** --kubeconfig: an explicit file wins over everything. */
  readonly kubeconfig?: string;
  /** Environment for KUBECONFIG and KUBERNETES_SERVICE_HOST (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for ~/.kube/config (default os.homedir()). */
  readonly homeDir?: string;
  /** Prefix of the service-account mount (tests; default none). */
  readonly serviceAccountRoot?: string;
}

/**
 * Loads the API credentials, in this order: `--kubeconfig FILE`; `$KUBECONFIG` (a list of files
 * is merged, as kubectl does); in-cluster (the pod's service account, when KUBERNETES_SERVICE_HOST
 * is set and the token is mounted — client-node re-reads the token file, so bound-token rotation
 * is handled); `~/.kube/config`. In-cluster comes before ~/.kube/config because a controller in a
 * pod must use its own ServiceAccount. Throws HMS_CONFIG_INVALID naming what was tried.
 */
export function loadKubeConfig(source: KubeConfigSource = {}): { kubeConfig: KubeConfig; from: string } {
  const env = source.env ?? process.env;
  const kc = new KubeConfig();
  const load = (from: string, fn: () => void): { kubeConfig: KubeConfig; from: string } => {
    try {
      fn();
    } catch (err) {
      throw hmsError('HMS_CONFIG_INVALID', `cannot load Kubernetes credentials from ${from}: ${errorMessage(err)}`, { cause: err });
    }
    if (!kc.getCurrentCluster()) throw hmsError('HMS_CONFIG_INVALID', `${from} names no current cluster`, { hint: 'set current-context in the kubeconfig' });
    return { kubeConfig: kc, from };
  };
  const explicit = source.kubeconfig;
  if (explicit) return load(explicit, () => kc.loadFromFile(explicit));
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (files.length > 0) {
    return load(`KUBECONFIG=${env.KUBECONFIG}`, () => {
      kc.loadFromFile(files[0] as string);
      for (const f of files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(f);
        // kubectl: the first file that sets current-context wins (client-node's default lets the last win).
        kc.mergeConfig(more, true);
      }
    });
  }
  const sa = `${source.serviceAccountRoot ?? ''}${SERVICE_ACCOUNT_DIR}`;
  // (client-node's loadFromCluster itself reads KUBERNETES_SERVICE_HOST/PORT from process.env.)
  if (env.KUBERNETES_SERVICE_HOST && existsSync(join(sa, 'token'))) {
    return load('the in-cluster service account', () => kc.loadFromCluster(source.serviceAccountRoot ?? ''));
  }
  const home = join(source.homeDir ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return load(home, () => kc.loadFromFile(home));
  throw hmsError('HMS_CONFIG_INVALID', 'no Kubernetes credentials: no --kubeconfig, no KUBECONFIG, not in a pod, no ~/.kube/config', {
    hint: 'pass --kubeconfig FILE, or run the aggregator in the cluster with its ServiceAccount',
  });
}

/** The namespace this pod runs in (for the Lease): $POD_NAMESPACE, else the service-account mount, else undefined. */
export function podNamespace(env: NodeJS.ProcessEnv = process.env, serviceAccountRoot = ''): string | undefined {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    const ns = readFileSync(join(`${serviceAccountRoot}${SERVICE_ACCOUNT_DIR}`, 'namespace'), 'utf8').trim();
    return ns || undefined;
  } catch {
    return undefined;
  }
}
