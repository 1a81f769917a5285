/**
 * The agent's /metrics as a contract (SPEC §6: collection duration, cgroups scanned, unacked
 * batches, reconnects; GUIDE principle 11): served with the right content type, equal to a golden
 * exposition for fixed inputs (UPDATE_GOLDENS=1 rewrites it), and clean under promtool.
 */
import { fileURLToPath } from 'node:url';
import { silentLogger } from '@hms-sys/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyTypes, golden, normalizeExposition, ownFamilies, promtoolCheck, which } from '../../../../test/kit/promText.js';
import { startAgentServer } from '../../src/http/agentServer.js';
import { createAgentMetrics } from '../../src/metrics/agentMetrics.js';

const GOLDEN = fileURLToPath(new URL('./golden/agent.prom', import.meta.url));

let server: Awaited<ReturnType<typeof startAgentServer>>;
let text = '';
let contentType = '';

beforeAll(async () => {
  const m = createAgentMetrics({ unacked: () => 3, reconnects: () => 2, connected: () => true });
  m.collectionDuration.observe(0.002);
  m.collectionDuration.observe(0.03);
  m.cgroupsScanned.set(12);
  m.podsSeen.set(5);
  m.readErrors.inc(1);
  m.batchesSent.inc(7);
  server = await startAgentServer('127.0.0.1', 0, m.registry, () => ({ ok: true, detail: {} }), silentLogger());
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  contentType = res.headers.get('content-type') ?? '';
  text = await res.text();
});
afterAll(async () => {
  await server?.close();
});

describe('agent /metrics', () => {
  it('serves Prometheus text with the SPEC §6 agent families', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    const types = familyTypes(text);
    expect(types.get('hms_sys_agent_collection_duration_seconds')).toBe('histogram');
    expect(types.get('hms_sys_agent_cgroups_scanned')).toBe('gauge');
    expect(types.get('hms_sys_agent_unacked_batches')).toBe('gauge');
    expect(types.get('hms_sys_agent_reconnects_total')).toBe('counter');
    expect(text).toContain('hms_sys_agent_unacked_batches 3\n');
    expect(text).toContain('hms_sys_agent_reconnects_total 2\n');
  });

  it('matches the golden exposition', () => {
    const actual = normalizeExposition(text, { maskHistogramValues: false });
    expect(actual).toBe(golden(GOLDEN, actual));
  });

  const promtool = which('promtool');
  if (!promtool) console.warn('[metrics] SKIP promtool lint of the agent: promtool not installed (Debian: apt-get install -y prometheus)');
  it.skipIf(!promtool)('passes promtool check metrics for every hms_sys_* family', () => {
    const r = promtoolCheck(ownFamilies(text), promtool);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
