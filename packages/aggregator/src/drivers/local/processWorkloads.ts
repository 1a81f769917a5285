import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from './hostRoot.js';

/**
 * The process-workloads file: how the agent finds the local driver's pods when there are no
 * cgroups (process mode: not root, or cgroups not writable).
 *
 * Path: `<dataDir>/nodes/<node>/process-workloads.json`, rewritten atomically (write + rename)
 * whenever a pod of that node starts, restarts or goes away. Contents: a JSON array, one entry
 * per pod bound to the node (pods without a running container have `containers: []`):
 *
 * ```json
 * [ { "uid": "0b6f…", "namespace": "default", "name": "web-7c9d-x2k9p",
 *     "containers": [ { "name": "web", "pid": 4242, "startTicks": 1234567 } ] } ]
 * ```
 *
 * - `uid`, `namespace`, `name`: the pod (uid as in the ClusterView).
 * - `containers[].name`: the container name, which is also its container id.
 * - `containers[].pid`: the container's main process. Its CPU is `utime + stime` (fields 14-15
 *   of `/proc/<pid>/stat`, clock ticks of 1/100 s) plus `cutime + cstime` (16-17) of children it
 *   has reaped; processes it forked and that are still running are NOT included.
 * - `containers[].startTicks` (optional): field 22 of `/proc/<pid>/stat` when the driver saw the
 *   process start. A reader must drop the entry when the live value differs (the pid was reused).
 *   A container whose process restarted has a new pid: its counter starts again from 0, which the
 *   aggregator treats like any counter reset.
 *
 * In cgroup mode the file is not written (the agent reads cgroups under --workload-parent).
 * For virtual nodes, `<hostRoot>/proc/<pid>` links to `/proc/<pid>` for every listed pid, so an
 * agent reading `/proc` through `--host-root` finds them.
 */
export interface ProcessWorkload {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly { readonly name: string; readonly pid: number; readonly startTicks?: number }[];
}

export const PROCESS_WORKLOADS_FILE = 'process-workloads.json';

export function processWorkloadsPath(dataDir: string, node: string): string {
  return join(dataDir, 'nodes', node, PROCESS_WORKLOADS_FILE);
}

/** Serialises the file's contents. Pure. */
export function formatProcessWorkloads(pods: readonly ProcessWorkload[]): string {
  return `${JSON.stringify(pods, null, 1)}\n`;
}

/** Parses the file's contents, dropping malformed entries (a reader prefers partial results). Pure. */
export function parseProcessWorkloads(text: string): ProcessWorkload[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  const out: ProcessWorkload[] = [];
  for (const p of value as unknown[]) {
    if (typeof p !== 'object' || p === null) continue;
    const o = p as Record<string, unknown>;
    if (typeof o.uid !== 'string' || typeof o.namespace !== 'string' || typeof o.name !== 'string' || !Array.isArray(o.containers)) continue;
    const containers = (o.containers as unknown[]).flatMap((c) => {
      if (typeof c !== 'object' || c === null) return [];
      const cc = c as Record<string, unknown>;
      if (typeof cc.name !== 'string' || typeof cc.pid !== 'number' || !Number.isInteger(cc.pid) || cc.pid <= 0) return [];
      return [{ name: cc.name, pid: cc.pid, ...(typeof cc.startTicks === 'number' ? { startTicks: cc.startTicks } : {}) }];
    });
    out.push({ uid: o.uid, namespace: o.namespace, name: o.name, containers });
  }
  return out;
}

export function writeProcessWorkloads(file: string, pods: readonly ProcessWorkload[]): void {
  writeAtomic(file, formatProcessWorkloads(pods));
}

export function readProcessWorkloads(file: string): ProcessWorkload[] {
  try {
    return parseProcessWorkloads(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
