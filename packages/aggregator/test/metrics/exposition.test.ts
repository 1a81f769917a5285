/**
 * The aggregator's /metrics as a contract (SPEC §6, GUIDE principle 11): every SPEC family with
 * its type and labels, a golden exposition of a deterministic fleet (UPDATE_GOLDENS=1 rewrites
 * it), and `promtool check metrics` over every hms_sys_* family.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyTypes, golden, normalizeExposition, ownFamilies, promtoolCheck, which } from '../../../../test/kit/promText.js';
import { startFixtureFleet, type FixtureFleet } from './fixtureFleet.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

/** SPEC §6: name → [type, label names]. */
export const SPEC_METRICS: Record<string, [string, string[]]> = {
  hms_sys_pod_cpu_usage_cores: ['gauge', ['namespace', 'pod', 'node']],
  hms_sys_node_cpu_usage_cores: ['gauge', ['node']],
  hms_sys_node_connected: ['gauge', ['node']],
  hms_sys_node_info: ['gauge', ['node', 'kernel_version', 'os_image', 'boot_id']],
  hms_sys_agents_connected: ['gauge', []],
  hms_sys_ingest_samples_total: ['counter', []],
  hms_sys_ingest_rejected_frames_total: ['counter', ['reason']],
  hms_sys_autoscaler_cpu_utilization_ratio: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_target_utilization_ratio: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_current_replicas: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_desired_replicas: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_min_replicas: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_max_replicas: ['gauge', ['namespace', 'deployment']],
  hms_sys_autoscaler_scale_events_total: ['counter', ['namespace', 'deployment', 'direction']],
  hms_sys_patch_node_state: ['gauge', ['run', 'node', 'state']],
  hms_sys_patch_runs_total: ['counter', ['result']],
};

/** Written by the patch orchestrator: asserted when registered, reported (not failed) while absent. */
const PATCH_METRICS = new Set(['hms_sys_patch_node_state', 'hms_sys_patch_runs_total']);

/** Label names of each sample of a family (a set per distinct series shape). */
function sampleLabelNames(text: string, family: string): string[][] {
  const shapes = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`) && !line.startsWith(`${family} `)) continue;
    const m = /^[^{ ]+(?:\{(.*)\})? /.exec(line);
    const names = [...(m?.[1] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"/g)].map((x) => x[1] ?? '');
    shapes.add(names.join(','));
  }
  return [...shapes].map((s) => (s ? s.split(',') : []));
}

let fleet: FixtureFleet;
let text = '';
let contentType = '';

beforeAll(async () => {
  fleet = await startFixtureFleet();
  const res = await fetch(`${fleet.t.agg.url}/metrics`);
  contentType = res.headers.get('content-type') ?? '';
  text = await res.text();
});
afterAll(async () => {
  await fleet?.close();
});

describe('aggregator /metrics', () => {
  it('is Prometheus text with a content type Prometheus 3 accepts, and no token needed', () => {
    expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('has every SPEC §6 family with its type, and its samples carry exactly the SPEC labels', () => {
    const types = familyTypes(text);
    const missingPatch: string[] = [];
    for (const [name, [type, labels]] of Object.entries(SPEC_METRICS)) {
      if (!types.has(name) && PATCH_METRICS.has(name)) {
        missingPatch.push(name);
        continue;
      }
      expect(types.get(name), name).toBe(type);
      const shapes = sampleLabelNames(text, name);
      if (PATCH_METRICS.has(name) && shapes.length === 0) continue; // no run yet: no series
      expect(shapes.length, `${name} has samples`).toBeGreaterThan(0);
      for (const shape of shapes) expect(shape, name).toEqual(labels);
    }
    if (missingPatch.length) console.info(`[metrics] not registered yet (patch orchestrator): ${missingPatch.join(', ')}`);
  });

  it('shows the fleet as it was sent: pod and node CPU, autoscaler ratios and replicas, one scale-up', () => {
    expect(text).toContain('hms_sys_pod_cpu_usage_cores{namespace="default",pod="web-1",node="node-a"} 0.3\n');
    expect(text).toContain('hms_sys_pod_cpu_usage_cores{namespace="default",pod="api-1",node="node-b"} 0.45\n');
    expect(text).toContain('hms_sys_node_cpu_usage_cores{node="node-b"} 0.5\n');
    expect(text).toContain('hms_sys_autoscaler_cpu_utilization_ratio{namespace="default",deployment="api"} 0.9\n');
    expect(text).toContain('hms_sys_autoscaler_scale_events_total{namespace="default",deployment="api",direction="up"} 1\n');
    expect(text).toContain('hms_sys_ingest_rejected_frames_total{reason="unauthorized"} 1\n');
  });

  it('matches the golden exposition (sorted; timings masked)', () => {
    const actual = normalizeExposition(text, { volatile: ['hms_sys_autoscaler_evaluation_duration_seconds'] });
    expect(actual).toBe(golden(join(GOLDEN_DIR, 'aggregator.prom'), actual));
  });

  const promtool = which('promtool');
  if (!promtool) console.warn('[metrics] SKIP promtool lint: promtool not installed (Debian: apt-get install -y prometheus)');
  it.skipIf(!promtool)('passes promtool check metrics for every hms_sys_* family', () => {
    const own = ownFamilies(text);
    expect(own).toContain('# TYPE hms_sys_pod_cpu_usage_cores gauge');
    const r = promtoolCheck(own, promtool);
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
    // The lint is live: a counter without _total in milliseconds is refused (exit 3).
    const bad = promtoolCheck('# HELP hms_sys_bad_ms x\n# TYPE hms_sys_bad_ms counter\nhms_sys_bad_ms 1\n', promtool);
    expect(bad.status).toBe(3);
    expect(bad.output).toMatch(/_total/);
  });
});
