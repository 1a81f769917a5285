import { describe, expect, it } from 'vitest';
import { checkPatchInvariants, type FeedEventLike, type InvariantCode } from '../../src/patch/invariants.js';

/** Builds a feed from compact event specs; seq is assigned in order. */
function feed(...events: Record<string, unknown>[]): FeedEventLike[] {
  return events.map((e, i) => ({ seq: i + 1, time: new Date(i * 1000).toISOString(), ...e }) as FeedEventLike);
}
const run = (to: string, extra: Record<string, unknown> = {}) => ({ type: 'patch.run', run: 'r', from: null, to, reason: 'x', ...extra });
const step = (node: string, from: string, to: string, extra: Record<string, unknown> = {}) => ({ type: 'patch.step', run: 'r', node, from, to, reason: 'x', ...extra });
const rebooted = (node: string, before = 'b1', after = 'b2') => ({ type: 'node.rebooted', run: 'r', node, bootIdBefore: before, bootId: after });
const sent = (node: string, reattach = false, commandId = `r:${node}`) => ({ type: 'command.sent', run: 'r', node, commandId, reattach });

/** One node's full, correct life. */
const life = (node: string) => [
  step(node, 'pending', 'preflight'),
  step(node, 'preflight', 'cordoning'),
  step(node, 'cordoning', 'draining', { cordon: 'applied' }),
  step(node, 'draining', 'patching'),
  sent(node),
  step(node, 'patching', 'rebooting'),
  rebooted(node),
  step(node, 'rebooting', 'verifying'),
  sent(node, true),
  step(node, 'verifying', 'uncordoning'),
  step(node, 'uncordoning', 'health-gate', { cordon: 'released' }),
  step(node, 'health-gate', 'done'),
];

describe('checkPatchInvariants', () => {
  it('a correct feed has no violations', () => {
    const f = feed(run('scheduled', { concurrency: 1 }), run('running'), ...life('a'), ...life('b'), run('done', { settled: true }));
    expect(checkPatchInvariants(f, { complete: true })).toEqual([]);
  });

  const cases: [string, Record<string, unknown>[], InvariantCode, { complete?: boolean; concurrency?: number }?][] = [
    ['seq going backwards', [], 'seq-order'],
    ['a lost step event', [run('scheduled', { concurrency: 1 }), step('a', 'pending', 'preflight'), step('a', 'cordoning', 'draining')], 'step-discontinuity'],
    [
      'two nodes in flight with concurrency 1',
      [run('scheduled', { concurrency: 1 }), step('a', 'pending', 'preflight'), step('b', 'pending', 'preflight')],
      'concurrency-exceeded',
    ],
    ['the limit given as an option', [step('a', 'pending', 'preflight'), step('b', 'pending', 'preflight'), step('c', 'pending', 'preflight')], 'concurrency-exceeded', { concurrency: 2 }],
    ['a node rebooted twice', [rebooted('a'), rebooted('a', 'b2', 'b3')], 'rebooted-twice'],
    ['a reboot with the same boot id', [rebooted('a', 'b1', 'b1')], 'false-reboot'],
    ['two first-time sends', [sent('a'), sent('a', false, 'r:a:2')], 'command-sent-twice'],
    ['a re-attach with another id', [sent('a'), sent('a', true, 'other')], 'command-id-changed'],
    [
      'done after an announced reboot without a new boot id',
      [step('a', 'pending', 'preflight'), step('a', 'preflight', 'cordoning'), step('a', 'cordoning', 'draining'), step('a', 'draining', 'patching'), step('a', 'patching', 'rebooting'), step('a', 'rebooting', 'verifying'), step('a', 'verifying', 'health-gate')],
      'done-without-reboot',
    ],
    [
      'done after the agent said it rebooted, without node.rebooted',
      [step('a', 'pending', 'preflight'), step('a', 'preflight', 'cordoning'), step('a', 'cordoning', 'draining'), step('a', 'draining', 'patching'), { type: 'command.finished', run: 'r', node: 'a', rebooted: true }, step('a', 'patching', 'verifying'), step('a', 'verifying', 'done')],
      'done-without-reboot',
    ],
    [
      'failed while still cordoned by the run, without saying so',
      [step('a', 'pending', 'preflight'), step('a', 'preflight', 'cordoning'), step('a', 'cordoning', 'draining', { cordon: 'applied' }), step('a', 'draining', 'failed')],
      'left-cordoned-silently',
    ],
    [
      'left cordoned with an empty reason',
      [step('a', 'pending', 'preflight'), step('a', 'preflight', 'cordoning'), step('a', 'cordoning', 'draining', { cordon: 'applied' }), step('a', 'draining', 'failed', { cordon: 'left', reason: '' })],
      'left-cordoned-silently',
    ],
    [
      'the feed ends with the node cordoned by the run',
      [step('a', 'pending', 'preflight'), step('a', 'preflight', 'cordoning'), step('a', 'cordoning', 'draining', { cordon: 'applied' })],
      'left-cordoned-silently',
      { complete: true },
    ],
    ['a node starting while the run is paused', [run('scheduled'), { ...run('paused'), from: 'running' }, step('a', 'pending', 'preflight')], 'started-while-stopped'],
    ['a node starting after a halt', [run('scheduled'), { ...run('halted'), from: 'running' }, step('a', 'pending', 'preflight')], 'started-while-stopped'],
    ['a run that never settles', [run('scheduled'), run('running')], 'unsettled', { complete: true }],
  ];

  it.each(cases)('flags %s', (_name, events, code, opts = {}) => {
    const f = events.length > 0 ? feed(...events) : [{ seq: 2, type: 'summary' }, { seq: 1, type: 'summary' }];
    const v = checkPatchInvariants(f, opts);
    expect(v.map((x) => x.code)).toContain(code);
  });

  it('a node left cordoned WITH a reason is fine; a released or kept cordon is fine', () => {
    const f = feed(
      run('scheduled', { concurrency: 2 }),
      step('a', 'pending', 'preflight'),
      step('a', 'preflight', 'cordoning'),
      step('a', 'cordoning', 'draining', { cordon: 'applied' }),
      step('a', 'draining', 'patching'),
      step('a', 'patching', 'failed', { cordon: 'left', reason: 'patch failed; node left cordoned for an operator' }),
      step('b', 'pending', 'preflight'),
      step('b', 'preflight', 'cordoning'),
      step('b', 'cordoning', 'draining', { cordon: 'preexisting' }),
      step('b', 'draining', 'failed', { cordon: 'kept' }),
      run('halted', { from: 'running', settled: true }),
    );
    expect(checkPatchInvariants(f, { complete: true })).toEqual([]);
  });

  it('violations name the run, node and seq', () => {
    const v = checkPatchInvariants(feed(rebooted('a'), rebooted('a', 'b2', 'b3')));
    expect(v).toEqual([{ code: 'rebooted-twice', message: 'a rebooted 2 times in run r', seq: 2, run: 'r', node: 'a' }]);
  });
});
