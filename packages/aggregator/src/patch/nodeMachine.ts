import { formatDuration } from '@hms-sys/common';
import { toAgentStatus } from './agentStatus.js';
import { awaitReboot, confirmReboot, sendCommand, startHealth, tryVerify } from './nodeCommand.js';
import {
  COMMAND_STEPS,
  describeDrain,
  emit,
  failCommanded,
  finishAbort,
  goto,
  isNewBoot,
  issue,
  note,
  reattach,
  release,
  retryLater,
  windowClosed,
  workloadsOf,
  type Ctx,
} from './nodeContext.js';
import { drained, drainListed, evictionBackoff } from './nodeDrain.js';
import {
  DEFAULT_NODE_PATCH_CONFIG,
  isFinalStep,
  type AgentCommandState,
  type NodeObservation,
  type NodePatchConfig,
  type NodeState,
  type NodeStepResult,
  type PatchAction,
} from './nodeState.js';

/**
 * The per-node patch step machine: `nextNodeStep(state, observation, config) → {state, actions}`.
 * Pure: no clock, no I/O; the input state is never mutated. Types and the runner contract are in
 * nodeState.ts.
 *
 *   pending ─start→ preflight ─ok→ cordoning ─cordoned→ draining ─pods gone→ patching
 *      ▲  refused (retry later)│                                  (command persisted, then sent)
 *      └───────────────────────┘ (blocked after maxPreflightBlocks)
 *   patching ─agent REBOOTING→ rebooting ─NEW boot id→ verifying ─agent DONE, node back→
 *   patching ─agent DONE, no reboot needed→ verifying
 *   verifying → uncordoning ─uncordoned→ health-gate ─workloads ready→ done
 *   (pre-existing cordon: verifying → health-gate, the cordon is kept)
 *
 * Failure and abort policies:
 * - Before the command (preflight .. draining): drain timeout, eviction error, cancel, run halt or
 *   window end go through `releasing` (uncordon unless the cordon pre-existed) to
 *   failed / cancelled / pending. A failed drain never leaves a node cordoned silently.
 * - After the command was persisted (patching .. health-gate): cancel, halt and window end never
 *   interrupt; the node finishes. A failure there leaves OUR cordon in place by default
 *   (config.onCommandFailure): the node's state is unknown (half-applied patch, a reboot that may
 *   still come), so an operator looks first; the `failed` step event says so (cordon: 'left').
 *   Exception: a refused command (expired, misaddressed, not allowed) ran nothing: uncordon.
 * - Reboot fencing: `rebooted` only when a boot id different from the one recorded before the
 *   command (and from the agent's own boot_id_before) is seen. The same boot id after an agent
 *   reconnect is an agent restart: keep waiting until rebootTimeoutMs, then fail. `done` is never
 *   reached after a reboot without the agent seen on the new boot id.
 * - Pause: a node not yet cordoned goes back to pending; a draining node stops issuing evictions
 *   (answers already on their way are recorded), its drain timeout stops, it stays cordoned and
 *   sends no command until resumed; steps after the command run on (a reboot cannot be paused,
 *   and uncordon / health gate give capacity back).
 */
export function nextNodeStep(state: NodeState, obs: NodeObservation, config: NodePatchConfig = DEFAULT_NODE_PATCH_CONFIG): NodeStepResult {
  if (isFinalStep(state.step)) return { state, actions: [] };
  const c: Ctx = { s: structuredClone(state), out: [], cfg: config, now: obs.nowMs };
  HANDLERS[obs.kind](c, obs as never);
  return { state: c.s, actions: c.out };
}

type Handlers = { [K in NodeObservation['kind']]: (c: Ctx, obs: Extract<NodeObservation, { kind: K }>) => void };

const STATUS_RANK: Readonly<Record<AgentCommandState, number>> = {
  unspecified: 0,
  received: 1,
  patching: 2,
  rebooting: 3,
  verifying: 4,
  done: 5,
  failed: 5,
  refused: 5,
};

// ---------------------------------------------------------------- observation handlers

function onActionFailed(c: Ctx, action: PatchAction['kind'], message: string, uid?: string): void {
  const { s, cfg, now } = c;
  switch (action) {
    case 'preflight':
      if (s.step !== 'preflight') return;
      s.blocks++;
      if (s.blocks >= cfg.maxPreflightBlocks) {
        goto(c, 'blocked', `preflight could not run ${s.blocks} time(s): ${message}`);
      } else {
        goto(c, 'pending', `preflight could not run: ${message}; retry after ${formatDuration(cfg.blockedRetryMs)}`);
        s.notBeforeMs = now + cfg.blockedRetryMs;
      }
      return;
    case 'cordon':
      if (s.step !== 'cordoning') return;
      if ((s.pending?.attempts ?? 1) >= cfg.maxActionAttempts) {
        release(c, 'failed', 'cordon failed', { code: 'cordon-failed', message: `cordon failed ${cfg.maxActionAttempts} time(s): ${message}` });
      } else {
        retryLater(c, 'cordon', cfg.actionRetryMs);
      }
      return;
    case 'listPods':
      if (s.step === 'draining') retryLater(c, 'listPods', cfg.actionRetryMs);
      return;
    case 'evict': {
      const r = s.step === 'draining' ? s.drain?.pods.find((p) => p.uid === uid && p.status === 'requested') : undefined;
      if (r) {
        r.status = 'retry-wait';
        r.nextAttemptAtMs = now + evictionBackoff(cfg, r.attempts);
        r.lastMessage = message;
      }
      return;
    }
    case 'sendCommand':
    case 'reattachCommand':
      if (COMMAND_STEPS.includes(s.step) && !s.commandFinished) retryLater(c, 'sendCommand', cfg.actionRetryMs);
      return;
    case 'uncordon':
      if (s.step !== 'uncordoning' && s.step !== 'releasing') return;
      if ((s.pending?.attempts ?? 1) < cfg.maxActionAttempts) {
        retryLater(c, 'uncordon', cfg.actionRetryMs);
        return;
      }
      if (s.step === 'releasing') {
        const abort = s.abort ?? { outcome: 'failed' as const, reason: 'release failed' };
        finishAbort(c, abort.outcome, `${abort.reason}; uncordon failed ${cfg.maxActionAttempts} time(s) (${message}): node left cordoned`, 'left', true);
      } else {
        failCommanded(c, 'uncordon-failed', `uncordon failed ${cfg.maxActionAttempts} time(s): ${message}`);
      }
      return;
    case 'checkWorkloads':
      if (s.step === 'health-gate') {
        s.pending = null;
        s.nextCheckAtMs = now + cfg.healthPollMs;
      }
      return;
    case 'emit':
      return;
  }
}

const HANDLERS: Handlers = {
  start(c, obs) {
    const { s } = c;
    if (s.step !== 'pending') return;
    s.windowEndMs = obs.windowEndMs;
    s.unavailableNodes = [...obs.unavailableNodes];
    s.notBeforeMs = null;
    goto(c, 'preflight', obs.windowEndMs === null ? 'started' : `started; window ends ${new Date(obs.windowEndMs).toISOString()}`);
    issue(c, 'preflight');
  },

  preflightResult(c, obs) {
    const { s, cfg, now } = c;
    if (s.step !== 'preflight') return;
    const r = obs.result;
    if (!r.ok) {
      s.blocks++;
      s.lastBlock = [...r.reasons];
      const why = r.reasons.map((x) => x.message).join('; ');
      emit(c, { type: 'drain.blocked', run: s.run, node: s.node, stage: 'preflight', message: why, reasons: r.reasons });
      if (s.blocks >= cfg.maxPreflightBlocks) {
        goto(c, 'blocked', `preflight refused ${s.blocks} time(s): ${why}`);
      } else {
        goto(c, 'pending', `preflight refused (${s.blocks} of ${cfg.maxPreflightBlocks}): ${why}; retry after ${formatDuration(cfg.blockedRetryMs)}`);
        s.notBeforeMs = now + cfg.blockedRetryMs;
      }
      return;
    }
    s.pending = null;
    s.lastBlock = null;
    s.nodeInfo = r.nodeInfo
      ? { unschedulable: r.nodeInfo.unschedulable, bootId: r.nodeInfo.bootId, kernelVersion: r.nodeInfo.kernelVersion }
      : null;
    const pods = r.evictions.map((p) => `${p.namespace}/${p.name}`);
    if (windowClosed(c)) {
      finishAbort(c, 'pending', 'the window closed before the cordon: the node will be retried in the next window', undefined);
      return;
    }
    if (cfg.dryRun) {
      sendCommand(c, `dry run: would cordon, evict ${pods.length} pod(s)${pods.length ? ` (${pods.join(', ')})` : ''} and patch; only the agent's dry run is asked`);
      return;
    }
    s.cordon.preexisting = r.nodeInfo?.unschedulable ?? false;
    goto(c, 'cordoning', `preflight passed: ${pods.length} pod(s) to evict onto ${r.capacity.candidates.length} node(s)`);
    issue(c, 'cordon');
  },

  cordoned(c, obs) {
    const { s, cfg, now } = c;
    if (s.step !== 'cordoning') return;
    // A restart re-issues the cordon; `alreadyCordoned` then may be our own earlier cordon.
    const pre = s.cordon.preexisting || (obs.alreadyCordoned && !s.cordon.resumed);
    s.cordon = { preexisting: pre, ours: !pre, resumed: s.cordon.resumed };
    s.drain = { startedAtMs: now, deadlineMs: now + cfg.drainTimeoutMs, pods: [], lastListAtMs: null, drained: false };
    goto(c, 'draining', pre ? 'node was already cordoned: the cordon is kept and never lifted by this run' : 'cordoned', {
      cordon: pre ? 'preexisting' : 'applied',
    });
    if (!s.paused) issue(c, 'listPods');
  },

  podsOnNode(c, obs) {
    const { s } = c;
    if (s.step !== 'draining') return;
    if (s.pending?.kind === 'listPods') s.pending = null;
    drainListed(c, obs.pods);
  },

  evictionResult(c, obs) {
    const { s, cfg, now } = c;
    if (s.step !== 'draining' || !s.drain) return;
    const r = s.drain.pods.find((p) => p.uid === obs.uid);
    if (!r || r.status !== 'requested') return;
    const o = obs.outcome;
    switch (o.kind) {
      case 'evicted':
        r.status = 'evicted';
        r.evicted = true;
        r.lastMessage = null;
        return;
      case 'gone':
        r.status = 'gone';
        return;
      case 'blocked': {
        const changed = r.lastMessage !== o.message;
        r.status = 'retry-wait';
        r.nextAttemptAtMs = now + evictionBackoff(cfg, r.attempts);
        r.lastMessage = o.message;
        // First block of this pod, or a different reason: say it once, not every 5 s.
        if (changed) {
          emit(c, {
            type: 'drain.blocked',
            run: s.run,
            node: s.node,
            stage: 'eviction',
            message: `eviction of ${r.namespace}/${r.name} refused (429): ${o.message}; retrying every ${formatDuration(evictionBackoff(cfg, r.attempts))}`,
            pod: `${r.namespace}/${r.name}`,
            uid: r.uid,
            budgets: [...o.budgets],
            attempt: r.attempts,
          });
        }
        return;
      }
      case 'error':
        r.lastMessage = o.message;
        release(c, 'failed', 'drain failed', { code: 'eviction-error', message: `eviction of ${r.namespace}/${r.name} failed: ${o.message}` });
        return;
    }
  },

  commandStatus(c, obs) {
    const { s, now } = c;
    if (!s.command || obs.status.commandId !== s.command.id || !COMMAND_STEPS.includes(s.step)) return;
    const a = toAgentStatus(obs.status, now);
    // Statuses only move forward; an older one (reordered, or replayed in a hello) is ignored.
    if (s.agent && STATUS_RANK[a.state] < STATUS_RANK[s.agent.state]) return;
    s.agent = a;
    if (a.bootId) {
      s.lastSeen = { connected: true, bootId: a.bootId, kernelVersion: a.kernelVersion ?? s.lastSeen?.kernelVersion ?? null, ready: s.lastSeen?.ready ?? null, atMs: now };
    }
    if (a.state === 'rebooting' || a.state === 'verifying' || a.rebooted) s.rebootExpected = true;
    if (isNewBoot(s, a.bootId)) confirmReboot(c, a.bootId, a.kernelVersion, a.simulated);
    const cmd = s.command;
    switch (a.state) {
      case 'rebooting':
        awaitReboot(c, `agent is rebooting the node (boot id before ${a.bootIdBefore ?? s.bootIdBefore})`);
        break;
      case 'verifying':
        if (!s.reboot) awaitReboot(c, 'agent reports it is verifying, but no new boot id has been seen yet');
        break;
      case 'done':
      case 'failed':
        // A final status can arrive again (re-attach, hello): report it once, re-evaluate always.
        if (!s.commandFinished) emit(c, {
          type: 'command.finished',
          run: s.run,
          node: s.node,
          commandId: cmd.id,
          state: a.state,
          exitCode: a.exitCode,
          rebooted: a.rebooted,
          rebootRequired: a.rebootRequired,
          kernelVersion: a.kernelVersion,
          dryRun: a.dryRun,
          message: a.message,
        });
        s.commandFinished = true;
        if (a.state === 'failed') {
          failCommanded(c, 'command-failed', `agent: ${a.message || 'patch failed'} (exit code ${a.exitCode})`);
        } else if (cmd.dryRun) {
          goto(c, 'done', `dry run: ${a.message || 'the agent reported what it would do'}`, { dryRun: true });
        } else if (a.dryRun) {
          release(c, 'failed', 'the agent did not patch', { code: 'agent-not-allowed', message: `the agent ran nothing: ${a.message || 'not allowed to patch'}` });
        } else if (s.rebootExpected) {
          if (!s.reboot) awaitReboot(c, 'agent reports done after a reboot, but no new boot id has been seen yet');
        } else if ((a.rebootRequired && cmd.allowReboot) || cmd.forceReboot) {
          failCommanded(c, 'reboot-not-performed', `a reboot was required and allowed but the agent did not reboot: ${a.message || 'no reason given'}`);
        } else if (s.step === 'patching') {
          if (a.rebootRequired) s.notes.push('a reboot is required but the run does not allow reboots');
          goto(c, 'verifying', a.rebootRequired ? 'patched; reboot required but not allowed by this run' : 'patched; no reboot required');
          s.deadlineMs = now + c.cfg.verifyTimeoutMs;
        }
        break;
      case 'refused': {
        s.commandFinished = true;
        const reason = a.refusalReason ?? 'unknown';
        emit(c, { type: 'command.refused', run: s.run, node: s.node, commandId: cmd.id, reason, message: a.message });
        const message = `agent refused the command (${reason})${a.message ? `: ${a.message}` : ''}`;
        // `replayed`: the agent saw this id but forgot its outcome: whether it ran is unknown.
        if (reason === 'replayed') failCommanded(c, 'command-refused', message);
        else release(c, 'failed', 'the command was refused and nothing ran', { code: 'command-refused', message });
        break;
      }
      default:
        break;
    }
    tryVerify(c);
  },

  nodeSeen(c, obs) {
    const { s, now } = c;
    const prev = s.lastSeen;
    const wasConnected = prev?.connected ?? false;
    s.lastSeen = {
      connected: obs.connected,
      bootId: obs.bootId !== undefined ? obs.bootId : prev?.bootId ?? null,
      kernelVersion: obs.kernelVersion !== undefined ? obs.kernelVersion : prev?.kernelVersion ?? null,
      ready: obs.ready !== undefined ? obs.ready : prev?.ready ?? null,
      atMs: now,
    };
    if (!COMMAND_STEPS.includes(s.step)) return;
    const reconnected = obs.connected && !wasConnected;
    if (isNewBoot(s, obs.bootId)) {
      confirmReboot(c, obs.bootId, obs.kernelVersion ?? null, obs.simulated ?? false);
    } else if (reconnected && s.step === 'rebooting' && obs.bootId && !s.reboot) {
      note(c, `agent reconnected with the same boot id ${obs.bootId}: the agent restarted, the node has not rebooted; waiting until ${new Date(s.deadlineMs ?? now).toISOString()}`);
    }
    if (reconnected && s.command && !s.commandFinished) reattach(c);
    tryVerify(c);
  },

  uncordoned(c) {
    const { s } = c;
    if (s.step === 'uncordoning') {
      s.cordon.ours = false;
      goto(c, 'health-gate', 'uncordoned; waiting for the evicted workloads to be ready again', { cordon: 'released' });
      startHealth(c);
    } else if (s.step === 'releasing') {
      s.cordon.ours = false;
      const abort = s.abort ?? { outcome: 'failed' as const, reason: 'released' };
      finishAbort(c, abort.outcome, `${abort.reason}; uncordoned`, 'released');
    }
  },

  workloadsReady(c, obs) {
    const { s, cfg, now } = c;
    if (s.step !== 'health-gate') return;
    s.pending = null;
    if (obs.ready) {
      goto(c, 'done', `evicted workloads ready again (${workloadsOf(s).join(', ')})`);
    } else {
      s.nextCheckAtMs = now + cfg.healthPollMs;
    }
  },

  actionFailed(c, obs) {
    onActionFailed(c, obs.action, obs.message, obs.uid);
  },

  pause(c) {
    const { s, now } = c;
    if (s.paused) return;
    s.paused = true;
    s.pausedAtMs = now;
    if (s.step === 'preflight') {
      // Nothing was touched yet: give the slot back and start over after resume.
      goto(c, 'pending', 'paused before cordon');
    } else if (s.step === 'draining') {
      note(c, 'paused: no new evictions and no command until resumed; the node stays cordoned');
    }
  },

  resume(c) {
    const { s, now } = c;
    if (!s.paused) return;
    const pausedAt = s.pausedAtMs ?? now;
    s.paused = false;
    s.pausedAtMs = null;
    if (s.step !== 'draining' || !s.drain) return;
    // The drain timeout measures draining, not the time an operator kept the run paused.
    s.drain.deadlineMs += now - Math.max(pausedAt, s.drain.startedAtMs);
    note(c, `resumed; drain deadline ${new Date(s.drain.deadlineMs).toISOString()}`);
    if (s.drain.drained) drained(c);
    else issue(c, 'listPods');
  },

  abort(c, obs) {
    const { s } = c;
    if (obs.outcome === 'cancelled') s.cancelRequested = true;
    switch (s.step) {
      case 'pending':
        if (obs.outcome === 'cancelled') goto(c, 'skipped', obs.reason);
        return;
      case 'preflight':
        goto(c, obs.outcome === 'cancelled' ? 'skipped' : 'pending', obs.reason);
        return;
      case 'cordoning':
      case 'draining':
        release(c, obs.outcome, obs.reason);
        return;
      default:
        // Commanded (or already releasing): the node runs to its end.
        return;
    }
  },

  restart(c) {
    const { s, cfg, now } = c;
    s.pending = null;
    const grace = (): void => {
      if (s.deadlineMs !== null) s.deadlineMs = Math.max(s.deadlineMs, now + cfg.resumeGraceMs);
    };
    // Nothing is known about the agent's connection after our restart: its next hello re-attaches too.
    if (s.lastSeen) s.lastSeen = { ...s.lastSeen, connected: false };
    switch (s.step) {
      case 'preflight':
        issue(c, 'preflight');
        return;
      case 'cordoning':
        s.cordon.resumed = true;
        issue(c, 'cordon');
        return;
      case 'draining':
        if (s.drain) {
          // Whether a requested eviction reached the API is unknown: evict again after a fresh
          // listing, which re-checks every pod's identity first.
          for (const r of s.drain.pods) if (r.status === 'requested') r.status = 'to-evict';
          if (!s.paused) issue(c, 'listPods');
        }
        return;
      case 'patching':
      case 'rebooting':
      case 'verifying':
        grace();
        if (!s.commandFinished) reattach(c);
        return;
      case 'uncordoning':
      case 'releasing':
        issue(c, 'uncordon');
        return;
      case 'health-gate':
        grace();
        issue(c, 'checkWorkloads');
        return;
      default:
        return;
    }
  },

  tick(c) {
    const { s, cfg, now } = c;
    const p = s.pending;
    // Requests without an answer count as failed; failed requests are re-issued when due.
    if (p && p.issuedAtMs !== null && now - p.issuedAtMs >= cfg.actionTimeoutMs) {
      onActionFailed(c, p.kind === 'sendCommand' ? 'reattachCommand' : p.kind, `no answer within ${formatDuration(cfg.actionTimeoutMs)}`);
    }
    const q = s.pending;
    if (q && q.retryAtMs !== null && q.retryAtMs <= now) issue(c, q.kind);
    switch (s.step) {
      case 'cordoning':
        if (windowClosed(c)) release(c, 'pending', 'the window closed before the drain started: the node will be retried in the next window');
        return;
      case 'draining': {
        const d = s.drain;
        if (!d || s.paused) return;
        if (now >= d.deadlineMs) {
          release(c, 'failed', 'drain timed out', {
            code: 'drain-timeout',
            message: `drain did not finish within ${formatDuration(cfg.drainTimeoutMs)}: ${describeDrain(s)}`,
          });
          return;
        }
        if (windowClosed(c)) {
          release(c, 'pending', 'the window closed during the drain: the node will be retried in the next window');
          return;
        }
        for (const r of d.pods) {
          if (r.status === 'requested' && r.requestedAtMs !== null && now - r.requestedAtMs >= cfg.actionTimeoutMs) r.status = 'to-evict';
        }
        if (s.pending) return;
        const due = d.pods.some((r) => r.status === 'to-evict' || (r.status === 'retry-wait' && (r.nextAttemptAtMs ?? 0) <= now));
        if (due || d.lastListAtMs === null || now - d.lastListAtMs >= cfg.podPollMs) issue(c, 'listPods');
        return;
      }
      case 'patching':
        if (s.deadlineMs !== null && now >= s.deadlineMs) {
          failCommanded(c, 'command-timeout', `no final status from the agent within ${formatDuration(cfg.commandTimeoutMs)} of sending command ${s.command?.id}`);
        }
        return;
      case 'rebooting':
        if (s.deadlineMs !== null && now >= s.deadlineMs) {
          const seen = s.lastSeen?.bootId;
          const same = seen && seen === s.bootIdBefore ? ` (still boot id ${seen}: the node has not rebooted)` : '';
          failCommanded(c, 'reboot-timeout', `no new boot id within ${formatDuration(cfg.rebootTimeoutMs)}${same}`);
        }
        return;
      case 'verifying':
        if (s.deadlineMs !== null && now >= s.deadlineMs) {
          const missing = !s.agent || s.agent.state !== 'done'
            ? `the agent has not reported done (last: ${s.agent?.state ?? 'nothing'})`
            : !s.lastSeen?.connected
              ? 'the agent is not connected'
              : s.lastSeen.ready === false
                ? 'the node is not Ready'
                : 'the agent was not seen on the new boot';
          failCommanded(c, 'verify-timeout', `verification did not pass within ${formatDuration(cfg.verifyTimeoutMs)}: ${missing}`);
        }
        return;
      case 'health-gate':
        if (s.deadlineMs !== null && now >= s.deadlineMs) {
          failCommanded(c, 'health-gate-timeout', `evicted workloads not ready again within ${formatDuration(cfg.healthGateTimeoutMs)} (${workloadsOf(s).join(', ')})`);
          return;
        }
        if (!s.pending && s.nextCheckAtMs !== null && s.nextCheckAtMs <= now) issue(c, 'checkWorkloads');
        return;
      default:
        return;
    }
  },
};
