import { formatDuration } from '@hms-sys/common';
import type { DriverPod } from '../drivers/types.js';
import { classifyPodForDrain } from './drainFilter.js';
import { sendCommand } from './nodeCommand.js';
import { note, release, windowClosed, type Ctx } from './nodeContext.js';
import type { NodePatchConfig, NodeState } from './nodeState.js';

/** Internals of the node machine: the eviction loop (listing, identity re-check, retries, completion). */

/**
 * Reconciles a fresh listing of the node's pods with the eviction records, then evicts what is
 * due. Evictions are only ever issued right after a listing that shows the pod (same uid, this node).
 */
export function drainListed(c: Ctx, listed: readonly DriverPod[]): void {
  const { s, cfg, now } = c;
  const d = s.drain;
  if (!d) return;
  d.lastListAtMs = now;
  const onNode = listed.filter((p) => p.node === s.node);
  const byUid = new Map(onNode.map((p) => [p.uid, p]));
  // Identity check: a record whose uid is no longer on THIS node is gone (a pod with the same
  // name elsewhere, e.g. a StatefulSet replacement, is a different pod and is never evicted).
  for (const r of d.pods) if (r.status !== 'gone' && !byUid.has(r.uid)) r.status = 'gone';
  let remaining = 0;
  for (const pod of onNode) {
    const cls = classifyPodForDrain(pod, cfg.drain);
    if (cls.action === 'skip') continue;
    remaining++;
    if (cls.action === 'wait') continue;
    if (cls.action === 'block') {
      release(c, 'failed', 'drain failed', { code: 'drain-unevictable-pod', message: `${cls.message} (appeared on the node during the drain)` });
      return;
    }
    if (!d.pods.some((r) => r.uid === pod.uid)) {
      d.pods.push({
        uid: pod.uid,
        namespace: pod.namespace,
        name: pod.name,
        // Finished pods are evicted but nothing waits for them to be ready again.
        owner: cls.needsPlacement && pod.owner ? `${pod.owner.kind}/${pod.owner.name}` : null,
        status: 'to-evict',
        attempts: 0,
        requestedAtMs: null,
        nextAttemptAtMs: null,
        lastMessage: null,
      });
    }
  }
  if (remaining === 0) {
    drained(c);
    return;
  }
  if (s.paused) return;
  for (const r of d.pods) {
    const due = r.status === 'to-evict' || (r.status === 'retry-wait' && (r.nextAttemptAtMs ?? 0) <= now);
    if (!due) continue;
    r.status = 'requested';
    r.attempts++;
    r.requestedAtMs = now;
    r.nextAttemptAtMs = null;
    c.out.push({
      kind: 'evict',
      run: s.run,
      node: s.node,
      pod: { uid: r.uid, namespace: r.namespace, name: r.name, node: s.node },
      ...(cfg.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: cfg.gracePeriodSeconds } : {}),
    });
  }
}

/** Every pod is gone: send the command, unless paused (hold) or the window has closed (release). */
export function drained(c: Ctx): void {
  const { s } = c;
  const d = s.drain as NonNullable<NodeState['drain']>;
  if (s.paused) {
    if (!d.drained) note(c, 'drained; the command is held while the run is paused');
    d.drained = true;
    return;
  }
  if (windowClosed(c)) {
    release(c, 'pending', 'the window closed before the command could be sent: the node will be retried in the next window');
    return;
  }
  const n = d.pods.length;
  sendCommand(c, `drained (${n} pod(s) evicted or gone in ${formatDuration(c.now - d.startedAtMs)}); command sent`);
}

/** Delay before retry n (1-based) after a 429: evictionRetryMs doubling, capped at evictionRetryMaxMs (ms). */
export function evictionBackoff(cfg: NodePatchConfig, attempts: number): number {
  return Math.min(cfg.evictionRetryMaxMs, cfg.evictionRetryMs * 2 ** Math.max(0, attempts - 1));
}

