import { isFinalStep, type NodeFailureCode, type NodePatchConfig, type NodeState, type NodeStep, type PatchAction, type PendingAction } from './nodeState.js';
import type { CordonMark, PatchEvent } from './patchEvents.js';

/**
 * Internals of the node machine (nodeMachine.ts): the step context, event and request helpers,
 * and the abort / failure policies. Not part of the package surface.
 */

/** One transition in progress: the (cloned, mutable) state, the actions so far, config and time. */
export interface Ctx {
  readonly s: NodeState;
  readonly out: PatchAction[];
  readonly cfg: NodePatchConfig;
  readonly now: number;
}

/** Steps in which the agent's command status matters. */
export const COMMAND_STEPS: readonly NodeStep[] = ['patching', 'rebooting', 'verifying'];

/** Appends a feed event to the actions. */
export function emit(c: Ctx, event: PatchEvent): void {
  c.out.push({ kind: 'emit', event });
}

/** Moves to `to`, emitting the patch.step event; clears the step's timers and pending request. */
export function goto(c: Ctx, to: NodeStep, reason: string, extra: { cordon?: CordonMark; dryRun?: boolean } = {}): void {
  const { s } = c;
  emit(c, {
    type: 'patch.step',
    run: s.run,
    node: s.node,
    from: s.step,
    to,
    reason,
    ...(extra.cordon ? { cordon: extra.cordon } : {}),
    ...(to === 'failed' && s.failure ? { failure: s.failure } : {}),
    ...(extra.dryRun ? { dryRun: true } : {}),
  });
  s.step = to;
  s.stepSinceMs = c.now;
  s.pending = null;
  s.deadlineMs = null;
  s.nextCheckAtMs = null;
  if (isFinalStep(to)) s.finishedAtMs = c.now;
}

/** A notable event inside the current step (from === to). */
export function note(c: Ctx, reason: string): void {
  emit(c, { type: 'patch.step', run: c.s.run, node: c.s.node, from: c.s.step, to: c.s.step, reason });
}

/** Issues a request to the runner and tracks it for timeout / retry. */
export function issue(c: Ctx, kind: PendingAction['kind']): void {
  const { s } = c;
  const attempts = s.pending?.kind === kind ? s.pending.attempts + 1 : 1;
  s.pending = { kind, attempts, issuedAtMs: c.now, retryAtMs: null };
  switch (kind) {
    case 'preflight':
      c.out.push({ kind: 'preflight', run: s.run, node: s.node, unavailableNodes: [...s.unavailableNodes], options: c.cfg.drain });
      return;
    case 'cordon':
    case 'uncordon':
    case 'listPods':
      c.out.push({ kind, run: s.run, node: s.node });
      return;
    case 'checkWorkloads':
      c.out.push({ kind: 'checkWorkloads', run: s.run, node: s.node, workloads: workloadsOf(s) });
      return;
    case 'sendCommand':
      // Only ever a re-attach: the first send happens in sendCommand().
      reattach(c);
      return;
  }
}

/** Sends the SAME command again (the agent re-reports; it never re-runs). */
export function reattach(c: Ctx): void {
  const { s } = c;
  if (!s.command) return;
  emit(c, { type: 'command.sent', run: s.run, node: s.node, commandId: s.command.id, reattach: true, dryRun: s.command.dryRun, bootIdBefore: s.bootIdBefore });
  c.out.push({ kind: 'reattachCommand', run: s.run, node: s.node, command: s.command });
  s.pending = null;
}

/** Schedules a failed request to be issued again at now + delayMs. */
export function retryLater(c: Ctx, kind: PendingAction['kind'], delayMs: number): void {
  const attempts = c.s.pending?.kind === kind ? c.s.pending.attempts : 1;
  c.s.pending = { kind, attempts, issuedAtMs: null, retryAtMs: c.now + delayMs };
}

/** `namespace/Kind/name` of the controllers of the evicted pods, sorted. */
export function workloadsOf(s: NodeState): string[] {
  return [...new Set(s.evicted.filter((p) => p.owner !== null).map((p) => `${p.namespace}/${p.owner}`))].sort();
}

/** The window the node was started in has ended. */
export function windowClosed(c: Ctx): boolean {
  return c.s.windowEndMs !== null && c.now >= c.s.windowEndMs;
}

/** The reboot fence: a boot id other than the one before the command and the agent's own boot_id_before. */
export function isNewBoot(s: NodeState, bootId: string | null | undefined): bootId is string {
  if (!bootId || s.bootIdBefore === null) return false;
  return bootId !== s.bootIdBefore && bootId !== (s.agent?.bootIdBefore ?? s.bootIdBefore);
}

/** What is still on the node and why, for the drain-timeout message. */
export function describeDrain(s: NodeState): string {
  const left = (s.drain?.pods ?? []).filter((p) => p.status !== 'gone');
  if (left.length === 0) return 'every eviction was accepted but pods are still terminating';
  return left
    .map((p) => `${p.namespace}/${p.name} (${p.status}${p.lastMessage ? `: ${p.lastMessage}` : ''}, ${p.attempts} attempt(s))`)
    .join('; ');
}

// ---------------------------------------------------------------- aborts and failures

/** Ends a node that was never commanded: uncordon first when we (may have) cordoned it. */
export function release(c: Ctx, outcome: 'failed' | 'cancelled' | 'pending', reason: string, failure?: { code: NodeFailureCode; message: string }): void {
  const { s } = c;
  if (failure) s.failure = { ...failure, leftCordoned: false };
  // While cordoning, the cordon may or may not have been applied yet: uncordon unless it pre-existed.
  const mustUncordon = s.step === 'cordoning' ? !s.cordon.preexisting : s.cordon.ours;
  if (!mustUncordon) {
    finishAbort(c, outcome, reason, s.cordon.preexisting && s.step !== 'preflight' ? 'kept' : undefined);
    return;
  }
  s.abort = { outcome, reason };
  goto(c, 'releasing', `${reason}; uncordoning`);
  issue(c, 'uncordon');
}

/** Final (or back-to-pending) step of an aborted node, with its cordon mark; a fresh attempt forgets this one. */
export function finishAbort(c: Ctx, outcome: 'failed' | 'cancelled' | 'pending', reason: string, cordon: CordonMark | undefined, leftCordoned = false): void {
  const { s } = c;
  if (leftCordoned && s.failure) s.failure = { ...s.failure, leftCordoned: true };
  if (outcome === 'pending') {
    goto(c, 'pending', reason, cordon ? { cordon } : {});
    // A fresh attempt later: forget this attempt's cordon, drain and window.
    s.cordon = { preexisting: false, ours: false, resumed: false };
    s.drain = null;
    s.nodeInfo = null;
    s.windowEndMs = null;
    s.abort = null;
    s.notBeforeMs = null;
    return;
  }
  s.abort = null;
  goto(c, outcome, reason, cordon ? { cordon } : {});
}

/** A failure once the command was persisted: keep our cordon (default) and say so, or release (config.onCommandFailure). */
export function failCommanded(c: Ctx, code: NodeFailureCode, message: string): void {
  const { s } = c;
  if (c.cfg.onCommandFailure === 'uncordon' && s.cordon.ours) {
    release(c, 'failed', message, { code, message });
    return;
  }
  const left = s.cordon.ours;
  s.failure = { code, message, leftCordoned: left };
  const why = left ? '; node left cordoned for an operator: its state after the command is not known to be safe' : '';
  goto(c, 'failed', `${message}${why}`, left ? { cordon: 'left' } : s.cordon.preexisting ? { cordon: 'kept' } : {});
}

