/**
 * Issue 8.1: per-node credentials. A `TOKEN NODE` line in --agent-token-file admits only that
 * node's agent (a stolen node token cannot report for another node); a bare `TOKEN` is a
 * fleet-wide bootstrap token. The file is re-read when it changes: rotation without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { apiGet, batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

const TOKEN_A = 'a'.repeat(32) + '-node-a-v1';
const TOKEN_A2 = 'a'.repeat(32) + '-node-a-v2';
const BOOTSTRAP = 'b'.repeat(40);

let t: TestAggregator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(lines: string[]): Promise<{ t: TestAggregator; file: string }> {
  dir = mkdtempSync(join(tmpdir(), 'hms-node-tokens-'));
  const file = join(dir, 'agent-tokens');
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
  t = await startTestAggregator({ config: { agentTokenFile: file } });
  return { t, file };
}

async function welcomed(a: RawAgent): Promise<boolean> {
  await a.until(() => a.received.some((m) => m.welcome) || a.closeCode !== undefined, 'welcome or close');
  return a.received.some((m) => m.welcome);
}

describe('per-node agent tokens', () => {
  it('a node-bound token reports for its node only; the bootstrap token for any', async () => {
    const { t } = await start(['# per-node and bootstrap', `${TOKEN_A} node-a`, BOOTSTRAP]);
    const a = await RawAgent.connect(t.wsUrl, TOKEN_A);
    a.hello('node-a');
    expect(await welcomed(a)).toBe(true);
    a.send(batch(1, 1, 1_000_000));
    await a.until(() => a.acks().includes(1), 'ack for node-a');

    // node-a's token claiming node-b: closed with 4003 before anything is recorded for node-b.
    const spoof = await RawAgent.connect(t.wsUrl, TOKEN_A);
    spoof.hello('node-b');
    expect(await welcomed(spoof)).toBe(false);
    expect(spoof.closeCode).toBe(4003);
    expect(spoof.closeReason).toBe('node_mismatch: credential is for node node-a, not node-b');
    const nodes = (await apiGet<{ name: string }[]>(t, '/v1/nodes')).body.map((n) => n.name);
    expect(nodes).toEqual(['node-a']);

    const any = await RawAgent.connect(t.wsUrl, BOOTSTRAP);
    any.hello('node-b');
    expect(await welcomed(any)).toBe(true);

    const metrics = await (await fetch(`${t.agg.url}/metrics`)).text();
    expect(metrics).toContain('hms_sys_ingest_rejected_frames_total{reason="node_mismatch"} 1');
    const rejected = (await apiGet<{ type: string; reason?: string; remote?: string }[]>(t, '/v1/events')).body.filter((e) => e.type === 'agent.rejected');
    expect(rejected).toEqual([expect.objectContaining({ reason: 'node_mismatch' })]);
    a.close();
    any.close();
  });

  it('rotates: after the file changes the old token is refused and the new one admitted, without a restart', async () => {
    const { t, file } = await start([`${TOKEN_A} node-a`]);
    const before = await RawAgent.connect(t.wsUrl, TOKEN_A);
    before.hello('node-a');
    expect(await welcomed(before)).toBe(true);
    before.close();

    // During a rotation both lines are present, then the old one goes.
    writeFileSync(file, `${TOKEN_A} node-a\n${TOKEN_A2} node-a\n`);
    const overlap = await RawAgent.connect(t.wsUrl, TOKEN_A2);
    overlap.hello('node-a');
    expect(await welcomed(overlap)).toBe(true);
    overlap.close();
    writeFileSync(file, `${TOKEN_A2} node-a\n`);

    await expect(RawAgent.connect(t.wsUrl, TOKEN_A)).rejects.toThrow('HTTP 401');
    const after = await RawAgent.connect(t.wsUrl, TOKEN_A2);
    after.hello('node-a');
    expect(await welcomed(after)).toBe(true);
    after.send(batch(1, 1, 1_000_000));
    await after.until(() => after.acks().includes(1), 'ack with the new token');
    // Still bound to its node after the rotation.
    const spoof = await RawAgent.connect(t.wsUrl, TOKEN_A2);
    spoof.hello('node-x');
    expect(await welcomed(spoof)).toBe(false);
    expect(spoof.closeCode).toBe(4003);

    // A broken file (a half-written rotation) keeps the last good set instead of locking everyone out.
    writeFileSync(file, 'short\n');
    const meanwhile = await RawAgent.connect(t.wsUrl, TOKEN_A2);
    meanwhile.hello('node-a');
    expect(await welcomed(meanwhile)).toBe(true);
    meanwhile.close();
    after.close();
  });
});
