import { dirname, join } from 'node:path';
import type { ContainerSpec } from './manifests.js';

/** Identity of the pod a container belongs to, as its environment shows it. */
export interface PodIdentity {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly node: string;
}

/** PATH given to containers when the driver's own PATH is unset. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * PATH for containers: this Node's directory and the repository's node_modules/.bin first, so a
 * manifest can run `node ...` or `hms-sys demo worker` however `hms-sys up` was started. Pure.
 */
export function workloadPath(execPath: string, cliBin: string, inherited: string | undefined): string {
  const repoBin = join(dirname(cliBin), '..', '..', '..', 'node_modules', '.bin');
  return [dirname(execPath), repoBin, inherited || DEFAULT_PATH].join(':');
}

/**
 * The environment of a container process. Deliberately NOT the driver's environment (which may
 * hold tokens): PATH, HOME, HOSTNAME and the pod identity (HMS_SYS_POD_NAME, _NAMESPACE, _UID,
 * HMS_SYS_NODE_NAME, HMS_SYS_CONTAINER_NAME), then the manifest's env, which may refer to them. Pure.
 */
export function containerEnv(pod: PodIdentity, container: ContainerSpec, path: string = DEFAULT_PATH): Record<string, string> {
  const env: Record<string, string> = {
    PATH: path,
    HOME: '/root',
    HOSTNAME: pod.name,
    HMS_SYS_POD_NAME: pod.name,
    HMS_SYS_POD_NAMESPACE: pod.namespace,
    HMS_SYS_POD_UID: pod.uid,
    HMS_SYS_NODE_NAME: pod.node,
    HMS_SYS_CONTAINER_NAME: container.name,
  };
  // In order, each value may refer to the ones before it (and to the identity above) as $(NAME).
  for (const v of container.env) env[v.name] = expandVars(v.value, env);
  return env;
}

/**
 * Kubernetes `$(VAR)` expansion in command, args and env values: `$(NAME)` becomes the value of
 * NAME when defined, stays as written otherwise; `$$(NAME)` escapes to a literal `$(NAME)`. Pure.
 */
export function expandVars(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = name === undefined ? undefined : env[name];
    return v === undefined ? m : v;
  });
}

/** The argv of a container: command then args, both expanded. Pure. */
export function containerArgv(container: ContainerSpec, env: Readonly<Record<string, string>>): string[] {
  return [...container.command, ...container.args].map((s) => expandVars(s, env));
}
