import type { ClusterEvent } from '../drivers/types.js';
import { EventType, type FeedEvent } from './eventTypes.js';

type Fields = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The cluster event (if any) that a feed event becomes, so that `kubectl describe deployment` and
 * `kubectl describe node` tell what HMS-SYS did, as they do for the HPA and for drains:
 * - a rescale: `SuccessfulRescale` "New size: N; reason: R" on the Deployment — the HPA
 *   controller's own reason and wording, so dashboards and habits carry over — or `FailedRescale`
 *   (Warning) when the scale write failed;
 * - a patch run's node steps: cordoned, drained, rebooted (boot id changed), uncordoned, failed
 *   (Warning), and a drain blocked by a budget or capacity (Warning), on the Node.
 * Everything else (summaries, pod changes, API writes, ...) stays on the HMS-OPS feed only.
 */
export function clusterEventFor(e: FeedEvent): ClusterEvent | undefined {
  switch (e.type) {
    case EventType.ScaleDecision: {
      const current = e.current;
      const desired = e.desired;
      if (typeof current !== 'number' || typeof desired !== 'number' || current === desired) return undefined;
      const involved = { kind: 'Deployment' as const, namespace: str(e.namespace), name: str(e.deployment) };
      const reason = str(e.reason);
      const conditions = Array.isArray(e.conditions) ? (e.conditions as Fields[]) : [];
      const failed = conditions.find((c) => c.type === 'AbleToScale' && c.reason === 'FailedUpdateScale');
      return failed
        ? { involved, type: 'Warning', reason: 'FailedRescale', message: `New size: ${desired}; reason: ${reason}; error: ${str(failed.message)}` }
        : { involved, type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${desired}; reason: ${reason}` };
    }
    case EventType.PatchStep:
      return patchStep(e);
    case EventType.DrainBlocked:
      return onNode(e, 'Warning', 'HmsSysDrainBlocked', `patch run ${str(e.run)}: ${str(e.message)}`);
    case EventType.NodeRebooted:
      if (!e.run) return undefined; // a reboot outside a patch run: the kubelet reports it
      return onNode(e, 'Normal', 'HmsSysRebooted', `patch run ${str(e.run)}: boot id changed${e.kernelVersion ? `; kernel ${str(e.kernelVersion)}` : ''}${e.simulated ? ' (simulated)' : ''}`);
    default:
      return undefined;
  }
}

function patchStep(e: Fields): ClusterEvent | undefined {
  const run = `patch run ${str(e.run)}`;
  const why = str(e.reason) ? `: ${str(e.reason)}` : '';
  if (e.dryRun === true) return undefined;
  if (e.cordon === 'applied') return onNode(e, 'Normal', 'HmsSysCordoned', `${run} cordoned the node${why}`);
  if (e.cordon === 'released') return onNode(e, 'Normal', 'HmsSysUncordoned', `${run} uncordoned the node${why}`);
  if (e.from === e.to) return undefined;
  if (e.to === 'failed') return onNode(e, 'Warning', 'HmsSysPatchFailed', `${run} failed on this node${why}`);
  if (e.from === 'draining' && e.to === 'patching') return onNode(e, 'Normal', 'HmsSysDrained', `${run} drained the node${why}`);
  if (e.to === 'done') return onNode(e, 'Normal', 'HmsSysPatched', `${run} finished this node${why}`);
  return undefined;
}

function onNode(e: Fields, type: ClusterEvent['type'], reason: string, message: string): ClusterEvent | undefined {
  const node = str(e.node);
  return node ? { involved: { kind: 'Node', namespace: undefined, name: node }, type, reason, message } : undefined;
}
