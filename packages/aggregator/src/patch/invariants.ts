import { ACTIVE_STEPS, FINAL_STEPS, type NodeStep } from './nodeState.js';

/**
 * Safety invariants of patch runs, checked over the event feed alone (SPEC §8 events as stored:
 * `{seq, time, type, ...}`), so end-to-end and fault-injection tests can assert them on what a
 * real aggregator emitted. Pure.
 */

export interface FeedEventLike {
  readonly seq: number;
  readonly time?: string;
  readonly type: string;
  readonly [field: string]: unknown;
}

export type InvariantCode =
  /** seq not strictly increasing. */
  | 'seq-order'
  /** A node's step event does not continue from its previous step (an event was lost or invented). */
  | 'step-discontinuity'
  /** More than `concurrency` nodes of one run in flight (preflight .. health gate) at once. */
  | 'concurrency-exceeded'
  /** A second node.rebooted for the same node in one run. */
  | 'rebooted-twice'
  /** node.rebooted without a changed boot id. */
  | 'false-reboot'
  /** A second first-time command send (not a re-attach) for the same node in one run. */
  | 'command-sent-twice'
  /** A re-attach with a different command id than the one first sent. */
  | 'command-id-changed'
  /** A node that announced a reboot went on to uncordon / done without node.rebooted. */
  | 'done-without-reboot'
  /** A node finished (or went back to pending) still cordoned by us, without a `left` event saying why. */
  | 'left-cordoned-silently'
  /** A node started while its run was paused, halted, cancelled or done. */
  | 'started-while-stopped'
  /** With `complete`: the feed ends with a run not settled. */
  | 'unsettled';

export interface InvariantViolation {
  readonly code: InvariantCode;
  readonly message: string;
  readonly seq: number;
  readonly run?: string;
  readonly node?: string;
}

export interface InvariantOptions {
  /** Limit per run (or for every run); default: the `concurrency` of the run's first patch.run event. */
  readonly concurrency?: number | Readonly<Record<string, number>>;
  /** The feed is complete: every run in it must have settled. Default false. */
  readonly complete?: boolean;
}

interface NodeTrack {
  step: NodeStep;
  cordon: 'none' | 'ours' | 'preexisting' | 'released' | 'kept' | 'left';
  reboots: number;
  firstSends: number;
  commandId: string | null;
  rebootAnnounced: boolean;
}

interface RunTrack {
  status: string;
  concurrency: number | undefined;
  settled: boolean;
  nodes: Map<string, NodeTrack>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Checks every invariant; returns the violations in feed order (empty = all good). */
export function checkPatchInvariants(events: readonly FeedEventLike[], options: InvariantOptions = {}): InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const runs = new Map<string, RunTrack>();
  let lastSeq = -Infinity;

  const runOf = (id: string): RunTrack => {
    let r = runs.get(id);
    if (!r) {
      const c = options.concurrency;
      r = { status: 'scheduled', concurrency: typeof c === 'number' ? c : c?.[id], settled: false, nodes: new Map() };
      runs.set(id, r);
    }
    return r;
  };
  const nodeOf = (r: RunTrack, name: string): NodeTrack => {
    let n = r.nodes.get(name);
    if (!n) {
      n = { step: 'pending', cordon: 'none', reboots: 0, firstSends: 0, commandId: null, rebootAnnounced: false };
      r.nodes.set(name, n);
    }
    return n;
  };

  for (const e of events) {
    if (e.seq <= lastSeq) out.push({ code: 'seq-order', message: `seq ${e.seq} after ${lastSeq}`, seq: e.seq });
    lastSeq = Math.max(lastSeq, e.seq);
    const runId = str(e['run']);
    if (runId === undefined) continue;
    const run = runOf(runId);
    const v = (code: InvariantCode, message: string, node?: string): void => {
      out.push({ code, message, seq: e.seq, run: runId, ...(node !== undefined ? { node } : {}) });
    };

    if (e.type === 'patch.run') {
      if (e['from'] === null && typeof e['concurrency'] === 'number' && run.concurrency === undefined) run.concurrency = e['concurrency'];
      run.status = str(e['to']) ?? run.status;
      if (e['settled'] === true) run.settled = true;
      continue;
    }
    const nodeName = str(e['node']);
    if (nodeName === undefined) continue;
    const n = nodeOf(run, nodeName);

    switch (e.type) {
      case 'patch.step': {
        const from = str(e['from']) as NodeStep | undefined;
        const to = str(e['to']) as NodeStep | undefined;
        if (!from || !to) break;
        if (from !== n.step) v('step-discontinuity', `${nodeName}: step event from ${from} but the node was in ${n.step}`, nodeName);
        if (from === 'pending' && to === 'preflight' && ['paused', 'halted', 'cancelled', 'done'].includes(run.status)) {
          v('started-while-stopped', `${nodeName} started while run ${runId} was ${run.status}`, nodeName);
        }
        const mark = str(e['cordon']);
        if (mark === 'applied') n.cordon = 'ours';
        else if (mark === 'preexisting') n.cordon = 'preexisting';
        else if (mark === 'released') n.cordon = 'released';
        else if (mark === 'kept') n.cordon = 'kept';
        else if (mark === 'left') {
          n.cordon = 'left';
          if (!str(e['reason'])) v('left-cordoned-silently', `${nodeName} left cordoned with an empty reason`, nodeName);
        }
        if (to === 'rebooting') n.rebootAnnounced = true;
        if ((to === 'uncordoning' || to === 'health-gate' || to === 'done') && n.rebootAnnounced && n.reboots === 0 && e['dryRun'] !== true) {
          v('done-without-reboot', `${nodeName} went to ${to} after a reboot was announced, without a new boot id`, nodeName);
        }
        if ((FINAL_STEPS.includes(to) || to === 'pending') && from !== to && n.cordon === 'ours') {
          v('left-cordoned-silently', `${nodeName} reached ${to} still cordoned by the run, with no event saying why`, nodeName);
        }
        n.step = to;
        const limit = run.concurrency;
        if (limit !== undefined && ACTIVE_STEPS.includes(to) && !ACTIVE_STEPS.includes(from)) {
          const inFlight = [...run.nodes.entries()].filter(([, t]) => ACTIVE_STEPS.includes(t.step)).map(([k]) => k);
          if (inFlight.length > limit) v('concurrency-exceeded', `${inFlight.length} nodes in flight (limit ${limit}): ${inFlight.join(', ')}`, nodeName);
        }
        break;
      }
      case 'node.rebooted': {
        n.reboots++;
        if (n.reboots > 1) v('rebooted-twice', `${nodeName} rebooted ${n.reboots} times in run ${runId}`, nodeName);
        const before = str(e['bootIdBefore']);
        const after = str(e['bootId']);
        if (!before || !after || before === after) v('false-reboot', `${nodeName}: node.rebooted with boot id ${after} (before ${before})`, nodeName);
        break;
      }
      case 'command.sent': {
        const id = str(e['commandId']) ?? null;
        if (e['reattach'] === true) {
          if (n.commandId !== null && id !== n.commandId) v('command-id-changed', `${nodeName}: re-attach with ${id}, first sent ${n.commandId}`, nodeName);
        } else {
          n.firstSends++;
          if (n.firstSends > 1) v('command-sent-twice', `${nodeName}: command sent ${n.firstSends} times in run ${runId}`, nodeName);
          n.commandId = id;
        }
        break;
      }
      case 'command.finished':
        if (e['rebooted'] === true) n.rebootAnnounced = true;
        break;
      default:
        break;
    }
  }

  if (options.complete) {
    const lastSeqSeen = Number.isFinite(lastSeq) ? lastSeq : 0;
    for (const [id, run] of runs) {
      if (!run.settled) out.push({ code: 'unsettled', message: `run ${id} did not settle (status ${run.status})`, seq: lastSeqSeen, run: id });
      for (const [name, n] of run.nodes) {
        if (n.cordon === 'ours') {
          out.push({ code: 'left-cordoned-silently', message: `${name} is still cordoned by run ${id} at the end of the feed`, seq: lastSeqSeen, run: id, node: name });
        }
      }
    }
  }
  return out;
}
