import { patchKindFromName, type ICommand } from '@hms-sys/protocol';
import type { ClusterView } from '../../drivers/types.js';
import type { PatchCommand } from '../nodeState.js';

/** Small pieces of the runner's action handling that need no state: conversions and checks. */

/** The proto Command for a node machine's PatchCommand (unsigned). */
export function toProtoCommand(cmd: PatchCommand): ICommand {
  return {
    id: cmd.id,
    issuedAtMs: cmd.issuedAtMs,
    expiresAtMs: cmd.expiresAtMs,
    nodeName: cmd.nodeName,
    runId: cmd.runId,
    patchKind: patchKindFromName(cmd.patchKind) ?? 0,
    allowReboot: cmd.allowReboot,
    forceReboot: cmd.forceReboot,
    dryRun: cmd.dryRun,
  };
}

/**
 * The health gate's question: is every controller (`namespace/Kind/name`) fully ready again?
 * A Deployment: readyReplicas >= spec.replicas. Other kinds: every live pod it owns is Ready.
 * A controller that no longer exists has nothing to wait for.
 */
export function workloadsReady(view: Pick<ClusterView, 'deployments' | 'pods'>, workloads: readonly string[]): { ready: boolean; detail: string } {
  const waiting: string[] = [];
  for (const w of workloads) {
    const [ns, kind, ...rest] = w.split('/');
    const name = rest.join('/');
    if (kind === 'Deployment') {
      const d = view.deployments().find((x) => x.namespace === ns && x.name === name);
      if (d && d.readyReplicas < d.replicas) waiting.push(`${w} ${d.readyReplicas}/${d.replicas} ready`);
      continue;
    }
    const pods = view.pods().filter((p) => p.namespace === ns && p.owner?.kind === kind && p.owner?.name === name && !p.deleted);
    const notReady = pods.filter((p) => p.ready !== true);
    if (notReady.length > 0) waiting.push(`${w} ${pods.length - notReady.length}/${pods.length} ready`);
  }
  return { ready: waiting.length === 0, detail: waiting.length === 0 ? 'all ready' : `waiting for ${waiting.join(', ')}` };
}

/** Run ids: `p-YYYYMMDD-HHMMSS-xxxx` (UTC), sortable and short enough to type. */
export function newRunId(nowMs: number, random: () => number): string {
  const t = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x10000).toString(16).padStart(4, '0');
  return `p-${t}-${suffix}`;
}
