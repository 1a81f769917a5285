/**
 * Alert rules and the Grafana dashboard: SPEC §6 metric names only, the alerts the issue asks for,
 * the PrometheusRule identical to the plain rule file, and — where promtool is installed
 * (Debian: apt-get install prometheus) — `promtool check rules`, `promtool test rules` with
 * synthetic series, and a parse of every dashboard query.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEPLOY, readYaml, which } from './render.js';

/** SPEC §6: the contract metric names and their labels. */
const SPEC_METRICS: Record<string, string[]> = {
  hms_sys_pod_cpu_usage_cores: ['namespace', 'pod', 'node'],
  hms_sys_node_cpu_usage_cores: ['node'],
  hms_sys_node_connected: ['node'],
  hms_sys_node_info: ['node', 'kernel_version', 'os_image', 'boot_id'],
  hms_sys_agents_connected: [],
  hms_sys_ingest_samples_total: [],
  hms_sys_ingest_rejected_frames_total: ['reason'],
  hms_sys_autoscaler_cpu_utilization_ratio: ['namespace', 'deployment'],
  hms_sys_autoscaler_target_utilization_ratio: ['namespace', 'deployment'],
  hms_sys_autoscaler_current_replicas: ['namespace', 'deployment'],
  hms_sys_autoscaler_desired_replicas: ['namespace', 'deployment'],
  hms_sys_autoscaler_min_replicas: ['namespace', 'deployment'],
  hms_sys_autoscaler_max_replicas: ['namespace', 'deployment'],
  hms_sys_autoscaler_scale_events_total: ['namespace', 'deployment', 'direction'],
  hms_sys_patch_node_state: ['run', 'node', 'state'],
  hms_sys_patch_runs_total: ['result'],
};

interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface Group { name: string; rules: Rule[] }

const RULES_FILE = join(DEPLOY, 'prometheus', 'hms-sys-rules.yaml');
const plain = readYaml(RULES_FILE) as { groups: Group[] };
const operatorRule = readYaml(join(DEPLOY, 'components', 'prometheus-operator', 'prometheusrule.yaml')) as { spec: { groups: Group[] } };
const rules = plain.groups.flatMap((g) => g.rules);
const alert = (name: string): Rule => {
  const r = rules.find((x) => x.alert === name);
  if (!r) throw new Error(`no alert ${name}`);
  return r;
};

interface Target { expr: string; refId: string }
interface Panel { id: number; type: string; title: string; targets?: Target[]; datasource?: { uid: string }; gridPos: { x: number; y: number; w: number; h: number } }
const dashboard = JSON.parse(readFileSync(join(DEPLOY, 'grafana', 'hms-sys-dashboard.json'), 'utf8')) as {
  uid: string; title: string; panels: Panel[]; templating: { list: { name: string; type: string; query: unknown }[] };
};
const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, ...t })));

/** Problems with the hms_sys_* metrics an expression uses: names outside SPEC §6, unknown labels. */
function metricProblems(expr: string): string[] {
  const problems: string[] = [];
  for (const m of expr.matchAll(/\b(hms_sys_[a-z0-9_]+)\b(\{([^}]*)\})?/g)) {
    const labels = SPEC_METRICS[m[1]!];
    if (!labels) {
      problems.push(`${m[1]} is not a SPEC §6 metric`);
      continue;
    }
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)) {
      if (!labels.includes(l[1]!)) problems.push(`${m[1]} has no label ${l[1]}`);
    }
  }
  return problems;
}

function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\bhms_sys_[a-z0-9_]+\b/g)].map((m) => m[0]);
}

describe('alert rules (deploy/prometheus/hms-sys-rules.yaml)', () => {
  it('the PrometheusRule of components/prometheus-operator has exactly the same groups', () => {
    expect(operatorRule.spec.groups).toEqual(plain.groups);
  });

  it('use only SPEC §6 metric names and labels', () => {
    for (const r of rules) expect(metricProblems(r.expr), r.alert).toEqual([]);
    expect(rules.every((r) => r.labels?.severity && r.annotations?.summary && r.annotations?.description)).toBe(true);
  });

  it('alert on a disconnected node after 1m', () => {
    const r = alert('HmsSysNodeDisconnected');
    expect(r.expr.replace(/\s+/g, ' ')).toBe('hms_sys_node_connected == 0');
    expect(r.for).toBe('1m');
  });

  it('alert on an autoscaler pinned at its maximum for 10m, with the seed FAQ advice', () => {
    const r = alert('HmsSysAutoscalerPinnedAtMax');
    expect(r.expr.replace(/\s+/g, ' ')).toBe('hms_sys_autoscaler_current_replicas >= hms_sys_autoscaler_max_replicas');
    expect(r.for).toBe('10m');
    expect(r.annotations!.description).toMatch(/raise --max.*add nodes.*throttle clients/s);
  });

  it('alert on halted and stuck patch runs and on rejected frames', () => {
    expect(alert('HmsSysPatchRunHalted').expr).toMatch(/hms_sys_patch_runs_total\{result="halted"\}/);
    const stuck = alert('HmsSysPatchNodeStuck');
    expect(metricsIn(stuck.expr)).toEqual(['hms_sys_patch_node_state']);
    expect(stuck.for).toBe('30m');
    expect(metricsIn(alert('HmsSysIngestRejectingFrames').expr)).toEqual(['hms_sys_ingest_rejected_frames_total']);
  });
});

describe('Grafana dashboard (deploy/grafana/hms-sys-dashboard.json)', () => {
  it('queries only SPEC §6 metrics, and covers the ones the issue lists', () => {
    for (const q of queries) expect(metricProblems(q.expr), `${q.panel.title}: ${q.expr}`).toEqual([]);
    const used = new Set(queries.flatMap((q) => metricsIn(q.expr)));
    for (const m of [
      'hms_sys_node_connected', 'hms_sys_node_cpu_usage_cores',
      'hms_sys_autoscaler_cpu_utilization_ratio', 'hms_sys_autoscaler_target_utilization_ratio',
      'hms_sys_autoscaler_current_replicas', 'hms_sys_autoscaler_desired_replicas', 'hms_sys_autoscaler_min_replicas', 'hms_sys_autoscaler_max_replicas',
      'hms_sys_autoscaler_scale_events_total', 'hms_sys_patch_node_state', 'hms_sys_ingest_samples_total', 'hms_sys_ingest_rejected_frames_total',
    ]) expect(used.has(m), m).toBe(true);
  });

  it('is a well-formed dashboard model: unique ids, templated data source, defined variables', () => {
    expect(dashboard.uid).toBe('hms-sys-overview');
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const vars = new Set(dashboard.templating.list.map((v) => v.name));
    expect(vars.has('datasource')).toBe(true);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) {
        for (const v of t.expr.matchAll(/\$\{?([a-zA-Z_]\w*)/g)) if (!v[1]!.startsWith('__')) expect(vars.has(v[1]!), `${p.title}: $${v[1]}`).toBe(true);
      }
    }
  });
});

const PROMTOOL = which('promtool');
if (!PROMTOOL) console.warn('[test/deploy] SKIPPED promtool checks: promtool not found on PATH (Debian: apt-get install prometheus)');

describe.skipIf(!PROMTOOL)('promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hms-sys-promtool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const promtool = (...args: string[]): { ok: boolean; out: string } => {
    const r = spawnSync(PROMTOOL!, args, { encoding: 'utf8', cwd: dir });
    return { ok: r.status === 0, out: `${r.stdout}\n${r.stderr}` };
  };

  it('check rules: the plain file and the PrometheusRule groups', () => {
    const a = promtool('check', 'rules', RULES_FILE);
    expect(a.ok, a.out).toBe(true);
    writeFileSync(join(dir, 'operator.yaml'), stringify({ groups: operatorRule.spec.groups }));
    const b = promtool('check', 'rules', join(dir, 'operator.yaml'));
    expect(b.ok, b.out).toBe(true);
  });

  it('test rules: each alert fires on synthetic series exactly when it should', () => {
    const render = (text: string, labels: Record<string, string>): string =>
      text.replace(/\{\{\s*\$labels\.(\w+)\s*\}\}/g, (_m, l: string) => labels[l] ?? '');
    const expected = (name: string, labels: Record<string, string>): Record<string, unknown> => {
      const r = alert(name);
      const all = { ...labels, ...r.labels };
      return { exp_labels: all, exp_annotations: Object.fromEntries(Object.entries(r.annotations ?? {}).map(([k, v]) => [k, render(v, all)])) };
    };
    const tests = [
      {
        name: 'node disconnected for 1m',
        input_series: [
          { series: 'hms_sys_node_connected{node="n1"}', values: '1 0 0 0 0' },
          { series: 'hms_sys_node_connected{node="n2"}', values: '1 1 1 1 1' },
        ],
        alert_rule_test: [
          { eval_time: '1m', alertname: 'HmsSysNodeDisconnected', exp_alerts: [] },
          { eval_time: '2m', alertname: 'HmsSysNodeDisconnected', exp_alerts: [expected('HmsSysNodeDisconnected', { node: 'n1' })] },
        ],
      },
      {
        name: 'aggregator metrics absent for 5m',
        input_series: [{ series: 'hms_sys_node_connected{node="n1"}', values: '1x10' }],
        alert_rule_test: [
          { eval_time: '4m', alertname: 'HmsSysAggregatorAbsent', exp_alerts: [] },
          { eval_time: '5m', alertname: 'HmsSysAggregatorAbsent', exp_alerts: [expected('HmsSysAggregatorAbsent', {})] },
        ],
      },
      {
        name: 'aggregator present',
        input_series: [{ series: 'hms_sys_agents_connected', values: '3x10' }],
        alert_rule_test: [{ eval_time: '10m', alertname: 'HmsSysAggregatorAbsent', exp_alerts: [] }],
      },
      {
        name: 'autoscaler pinned at max for 10m',
        input_series: [
          { series: 'hms_sys_autoscaler_current_replicas{namespace="default",deployment="vote-api"}', values: '50x15' },
          { series: 'hms_sys_autoscaler_max_replicas{namespace="default",deployment="vote-api"}', values: '50x15' },
          { series: 'hms_sys_autoscaler_current_replicas{namespace="default",deployment="quiet"}', values: '3x15' },
          { series: 'hms_sys_autoscaler_max_replicas{namespace="default",deployment="quiet"}', values: '10x15' },
        ],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'HmsSysAutoscalerPinnedAtMax', exp_alerts: [] },
          { eval_time: '10m', alertname: 'HmsSysAutoscalerPinnedAtMax', exp_alerts: [expected('HmsSysAutoscalerPinnedAtMax', { namespace: 'default', deployment: 'vote-api' })] },
        ],
      },
      {
        name: 'patch run halted (counter already exported)',
        input_series: [
          { series: 'hms_sys_patch_runs_total{result="halted"}', values: '0x5 1x30' },
          { series: 'hms_sys_patch_runs_total{result="succeeded"}', values: '0+1x35' },
        ],
        alert_rule_test: [
          { eval_time: '5m', alertname: 'HmsSysPatchRunHalted', exp_alerts: [] },
          { eval_time: '7m', alertname: 'HmsSysPatchRunHalted', exp_alerts: [expected('HmsSysPatchRunHalted', { result: 'halted' })] },
          { eval_time: '30m', alertname: 'HmsSysPatchRunHalted', exp_alerts: [] },
        ],
      },
      {
        name: 'patch run halted (first halt creates the series)',
        input_series: [{ series: 'hms_sys_patch_runs_total{result="halted"}', values: '_x10 1x10' }],
        alert_rule_test: [
          { eval_time: '9m', alertname: 'HmsSysPatchRunHalted', exp_alerts: [] },
          { eval_time: '11m', alertname: 'HmsSysPatchRunHalted', exp_alerts: [expected('HmsSysPatchRunHalted', { result: 'halted' })] },
        ],
      },
      {
        name: 'patch node stuck in a step for 30m',
        input_series: [
          { series: 'hms_sys_patch_node_state{run="r1",node="n1",state="draining"}', values: '1x40' },
          { series: 'hms_sys_patch_node_state{run="r1",node="n2",state="pending"}', values: '1x40' },
          { series: 'hms_sys_patch_node_state{run="r1",node="n3",state="done"}', values: '1x40' },
          { series: 'hms_sys_patch_node_state{run="r1",node="n4",state="blocked"}', values: '1x40' },
          { series: 'hms_sys_patch_node_state{run="r1",node="n5",state="draining"}', values: '0x40' },
        ],
        alert_rule_test: [
          { eval_time: '29m', alertname: 'HmsSysPatchNodeStuck', exp_alerts: [] },
          { eval_time: '31m', alertname: 'HmsSysPatchNodeStuck', exp_alerts: [expected('HmsSysPatchNodeStuck', { run: 'r1', node: 'n1', state: 'draining' })] },
        ],
      },
      {
        name: 'ingest rejecting frames for 10m',
        input_series: [
          { series: 'hms_sys_ingest_rejected_frames_total{reason="auth"}', values: '0+1x30' },
          { series: 'hms_sys_ingest_rejected_frames_total{reason="oversize"}', values: '0x30' },
        ],
        alert_rule_test: [
          { eval_time: '5m', alertname: 'HmsSysIngestRejectingFrames', exp_alerts: [] },
          { eval_time: '12m', alertname: 'HmsSysIngestRejectingFrames', exp_alerts: [expected('HmsSysIngestRejectingFrames', { reason: 'auth' })] },
        ],
      },
    ];
    // Every alert has a scenario.
    expect(new Set(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)))).toEqual(new Set(rules.map((r) => r.alert)));
    writeFileSync(join(dir, 'tests.yaml'), stringify({ rule_files: [RULES_FILE], evaluation_interval: '1m', tests: tests.map((t) => ({ interval: '1m', ...t })) }));
    const r = promtool('test', 'rules', join(dir, 'tests.yaml'));
    expect(r.ok, r.out).toBe(true);
  });

  it('every dashboard query parses', () => {
    const exprs = queries.map((q) => ({
      record: `dashboard:panel${q.panel.id}_${q.refId}`,
      expr: q.expr.replace(/\$__rate_interval|\$\{__rate_interval\}/g, '5m').replace(/\$\{?(namespace|deployment|node)\}?/g, '.*'),
    }));
    writeFileSync(join(dir, 'dashboard.yaml'), stringify({ groups: [{ name: 'dashboard', rules: exprs }] }));
    const r = promtool('check', 'rules', join(dir, 'dashboard.yaml'));
    expect(r.ok, r.out).toBe(true);
  });

  it('fails on a broken rule (negative control)', () => {
    writeFileSync(join(dir, 'broken.yaml'), stringify({ groups: [{ name: 'x', rules: [{ alert: 'Broken', expr: 'sum by (node (hms_sys_node_connected)' }] }] }));
    expect(promtool('check', 'rules', join(dir, 'broken.yaml')).ok).toBe(false);
  });
});
