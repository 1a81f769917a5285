/**
 * Which feed events become cluster Events (kubectl describe) and with what words: the HPA's own
 * reasons for rescales, a Warning when the scale write failed, nothing for non-decisions.
 */
import { describe, expect, it } from 'vitest';
import { clusterEventFor } from '../../src/events/clusterEventFor.js';
import type { FeedEvent } from '../../src/events/eventTypes.js';

const ev = (type: string, fields: Record<string, unknown>): FeedEvent => ({ seq: 1, time: '2026-11-28T00:00:00.000Z', type, ...fields });
const decision = (fields: Record<string, unknown>) => ev('scale.decision', { namespace: 'shop', deployment: 'web', current: 2, desired: 5, reason: 'cpu resource utilization (percentage of request) above target', conditions: [], ...fields });

describe('clusterEventFor', () => {
  it("a rescale: SuccessfulRescale on the Deployment, in the HPA controller's words", () => {
    expect(clusterEventFor(decision({}))).toEqual({
      involved: { kind: 'Deployment', namespace: 'shop', name: 'web' }, type: 'Normal', reason: 'SuccessfulRescale',
      message: 'New size: 5; reason: cpu resource utilization (percentage of request) above target',
    });
  });

  it('a failed scale write: FailedRescale (Warning) with the error', () => {
    const e = clusterEventFor(decision({ conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: 'the HPA controller was unable to update the target scale: 409 Conflict' }] }));
    expect(e).toMatchObject({ type: 'Warning', reason: 'FailedRescale', message: 'New size: 5; reason: cpu resource utilization (percentage of request) above target; error: the HPA controller was unable to update the target scale: 409 Conflict' });
  });

  it('no Event for a decision that keeps the size, a rule without a Deployment, or feed-only events', () => {
    expect(clusterEventFor(decision({ desired: 2 }))).toBeUndefined();
    expect(clusterEventFor(decision({ current: null, desired: null }))).toBeUndefined();
    expect(clusterEventFor(ev('summary', { nodes: 3 }))).toBeUndefined();
    expect(clusterEventFor(ev('pod.changed', { pod: 'web-1' }))).toBeUndefined();
  });

  it('patch steps on the Node: cordon, drain, reboot, uncordon, failure; dry runs and reboots outside a run stay on the feed', () => {
    const step = (fields: Record<string, unknown>) => clusterEventFor(ev('patch.step', { run: 'r1', node: 'n1', reason: '', ...fields }));
    expect(step({ from: 'cordoning', to: 'draining', cordon: 'applied' })).toMatchObject({ involved: { kind: 'Node', name: 'n1' }, reason: 'HmsSysCordoned' });
    expect(step({ from: 'cordoning', to: 'draining', cordon: 'preexisting' })).toBeUndefined();
    expect(step({ from: 'draining', to: 'patching' })).toMatchObject({ reason: 'HmsSysDrained', type: 'Normal' });
    expect(step({ from: 'uncordoning', to: 'health-gate', cordon: 'released' })).toMatchObject({ reason: 'HmsSysUncordoned' });
    expect(step({ from: 'verifying', to: 'failed', reason: 'node did not come back' })).toMatchObject({ type: 'Warning', reason: 'HmsSysPatchFailed', message: 'patch run r1 failed on this node: node did not come back' });
    expect(step({ from: 'health-gate', to: 'done' })).toMatchObject({ reason: 'HmsSysPatched' });
    expect(step({ from: 'draining', to: 'patching', dryRun: true })).toBeUndefined();
    expect(step({ from: 'rebooting', to: 'rebooting', reason: 'same boot id after reconnect' })).toBeUndefined();
    expect(clusterEventFor(ev('node.rebooted', { run: 'r1', node: 'n1', kernelVersion: '6.1.0-27', simulated: false }))).toMatchObject({ reason: 'HmsSysRebooted', message: 'patch run r1: boot id changed; kernel 6.1.0-27' });
    expect(clusterEventFor(ev('node.rebooted', { node: 'n1', bootId: 'b2' }))).toBeUndefined();
    expect(clusterEventFor(ev('drain.blocked', { run: 'r1', node: 'n1', message: 'disruption budget shop/web allows no disruption now' }))).toMatchObject({ type: 'Warning', reason: 'HmsSysDrainBlocked' });
  });
});
