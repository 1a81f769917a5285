import type { DriverPod } from '../../src/drivers/types.js';
import type { FeedEventLike } from '../../src/patch/invariants.js';
import { nextNodeStep } from '../../src/patch/nodeMachine.js';
import {
  DEFAULT_NODE_PATCH_CONFIG,
  initialNodeState,
  type CommandStatusLike,
  type NodeObservation,
  type NodePatchConfig,
  type NodeState,
  type PatchAction,
} from '../../src/patch/nodeState.js';
import type { PatchEvent } from '../../src/patch/patchEvents.js';
import { preflight, type PreflightResult } from '../../src/patch/preflight.js';
import { node, pod } from './fixtures.js';

export const T0 = Date.UTC(2024, 3, 5, 2, 0);
export const CS = { RECEIVED: 1, PATCHING: 2, REBOOTING: 3, VERIFYING: 4, DONE: 5, FAILED: 6, REFUSED: 7 } as const;

type Obs = NodeObservation extends infer O ? (O extends { nowMs: number } ? Omit<O, 'nowMs'> : never) : never;

/** Drives one node machine by hand; records every action and event, round-trips the state through JSON each step. */
export class NodeDriver {
  state: NodeState;
  now = T0;
  readonly all: PatchAction[] = [];
  last: PatchAction[] = [];
  readonly states: NodeState[] = [];

  constructor(
    readonly config: NodePatchConfig = DEFAULT_NODE_PATCH_CONFIG,
    name = 'n1',
  ) {
    this.state = initialNodeState('r1', name, this.now);
  }

  /** Advances time by dtMs, then feeds the observation. */
  feed(obs: Obs, dtMs = 0): PatchAction[] {
    this.now += dtMs;
    const input = JSON.stringify(this.state);
    const res = nextNodeStep(this.state, { ...obs, nowMs: this.now } as NodeObservation, this.config);
    // Pure: the input is never mutated; the output is plain JSON.
    if (JSON.stringify(this.state) !== input) throw new Error('nextNodeStep mutated its input');
    this.state = JSON.parse(JSON.stringify(res.state)) as NodeState;
    this.states.push(this.state);
    this.last = [...res.actions];
    this.all.push(...res.actions);
    return this.last;
  }

  tick(dtMs: number): PatchAction[] {
    return this.feed({ kind: 'tick' }, dtMs);
  }

  kinds(actions: readonly PatchAction[] = this.last): string[] {
    return actions.filter((a) => a.kind !== 'emit').map((a) => a.kind);
  }

  events(actions: readonly PatchAction[] = this.all): PatchEvent[] {
    return actions.flatMap((a) => (a.kind === 'emit' ? [a.event] : []));
  }

  feedEvents(): FeedEventLike[] {
    return this.events().map((e, i) => ({ seq: i + 1, ...e }) as FeedEventLike);
  }

  steps(): string[] {
    return this.events().flatMap((e) => (e.type === 'patch.step' && e.from !== e.to ? [`${e.from}>${e.to}`] : []));
  }

  count(kind: PatchAction['kind']): number {
    return this.all.filter((a) => a.kind === kind).length;
  }

  status(state: number, extra: Partial<CommandStatusLike> = {}): PatchAction[] {
    return this.feed({ kind: 'commandStatus', status: { commandId: this.state.command?.id ?? 'none', state, ...extra } });
  }
}

export const PODS = (): DriverPod[] => [
  pod('web-1', 'n1', 500, { uid: 'u-web-1' }),
  pod('api-1', 'n1', 300, { uid: 'u-api-1' }),
  pod('agent-n1', 'n1', 50, { uid: 'u-agent', owner: { kind: 'DaemonSet', name: 'agent' } }),
];

export function okPreflight(extra: { unschedulable?: boolean; bootId?: string | null } = {}): PreflightResult {
  const r = preflight({
    nodes: [node('n1', 2000, { unschedulable: extra.unschedulable ?? false, ...(extra.bootId === null ? { bootId: undefined } : { bootId: extra.bootId ?? 'b1' }) }), node('n2', 4000)],
    pods: PODS(),
    budgets: [],
    node: 'n1',
  });
  if (!r.ok) throw new Error('fixture preflight should pass');
  return r;
}

/** pending → draining (cordon applied unless `unschedulable`). */
export function toDraining(d: NodeDriver, opts: { unschedulable?: boolean; alreadyCordoned?: boolean; windowEndMs?: number | null } = {}): void {
  d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b1', kernelVersion: '6.1.0', ready: true });
  d.feed({ kind: 'start', windowEndMs: opts.windowEndMs ?? null, unavailableNodes: [] });
  d.feed({ kind: 'preflightResult', result: okPreflight({ unschedulable: opts.unschedulable }) }, 10);
  d.feed({ kind: 'cordoned', alreadyCordoned: opts.alreadyCordoned ?? opts.unschedulable ?? false }, 10);
}

/** draining → patching: the listed pods are evicted and gone. */
export function drainAll(d: NodeDriver): void {
  d.feed({ kind: 'podsOnNode', pods: PODS() }, 10);
  for (const a of d.last) if (a.kind === 'evict') d.feed({ kind: 'evictionResult', uid: a.pod.uid, outcome: { kind: 'evicted' } }, 10);
  d.tick(2_000);
  d.feed({ kind: 'podsOnNode', pods: PODS().filter((p) => p.owner?.kind === 'DaemonSet') }, 10);
}

/** patching → verifying through a real reboot (new boot id b2). */
export function reboot(d: NodeDriver): void {
  d.status(CS.RECEIVED, { bootId: 'b1' }, );
  d.status(CS.PATCHING, { bootId: 'b1' });
  d.status(CS.REBOOTING, { bootId: 'b1', bootIdBefore: 'b1', rebootRequired: true });
  d.feed({ kind: 'nodeSeen', connected: false }, 1_000);
  d.feed({ kind: 'nodeSeen', connected: true, bootId: 'b2', kernelVersion: '6.1.1', ready: true }, 30_000);
}

/** verifying → done: the agent reports done, uncordon, workloads ready. */
export function finish(d: NodeDriver): void {
  d.status(CS.DONE, { bootId: 'b2', bootIdBefore: 'b1', rebooted: true, kernelVersion: '6.1.1' });
  if (d.state.step === 'uncordoning') d.feed({ kind: 'uncordoned' }, 10);
  if (d.state.step === 'health-gate') d.feed({ kind: 'workloadsReady', ready: true }, 10);
}
