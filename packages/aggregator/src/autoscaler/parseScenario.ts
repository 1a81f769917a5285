/**
 * A SPEC §5 scenario → validated, defaulted inputs of decideReplicas. Times in the scenario are
 * seconds relative to now; here now is 0 ms, so `t` seconds becomes `t * 1000` ms and an age `a`
 * becomes `-a * 1000`. Unknown fields are rejected (typos such as `maxReplica` would otherwise be
 * silently ignored and the default used).
 */
import { FieldReader, join } from './fieldReader.js';
import { parseAutoscaler } from './parseAutoscaler.js';
import type { PodPhase } from '../drivers/types.js';
import type { AutoscalerHistory, AutoscalerSpec, ContainerRequest, PodMetricInput, ScaleEvent } from './types.js';

/** The simulated "now" (ms). */
export const SCENARIO_NOW_MS = 0;

/** Name of the one container a scenario pod has when it gives no `containers`. */
export const IMPLICIT_CONTAINER_NAME = 'main';

/** How far back an omitted `startSeconds` lies: a pod that started long ago (past any CPU initialization period). */
const LONG_AGO_SECONDS = 86_400;

const SCENARIO_KEYS = ['autoscaler', 'currentReplicas', 'pods', 'recommendation', 'history'] as const;
const POD_KEYS = [
  'name',
  'phase',
  'deleted',
  'ready',
  'readyTransitionSeconds',
  'startSeconds',
  'cpuRequestMilli',
  'containers',
  'cpuUsageMilli',
  'metricTimestampSeconds',
  'metricWindowSeconds',
] as const;
const PHASES: readonly PodPhase[] = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];
const INT32_MAX = 2147483647;

export interface Scenario {
  readonly spec: AutoscalerSpec;
  readonly currentReplicas: number;
  readonly pods: readonly PodMetricInput[];
  readonly history: AutoscalerHistory | null;
  /** SPEC `recommendation`: normalize this instead of computing one. */
  readonly recommendation: number | null;
}

/** Validates one scenario; the error lists every problem found, separated by "; ". */
export function parseScenario(input: unknown): { readonly ok: true; readonly scenario: Scenario } | { readonly ok: false; readonly error: string } {
  const r = new FieldReader();
  const o = r.object(input, 'scenario');
  if (!o) return { ok: false, error: 'a scenario must be a JSON object' };
  r.keys(o, SCENARIO_KEYS, '');
  if (o.autoscaler === undefined) r.fail('autoscaler is required (an object with at least maxReplicas)');
  const spec = parseAutoscaler(r, o.autoscaler ?? {}, 'autoscaler');
  const currentReplicas = r.required(o, 'currentReplicas', '', { integer: true, min: 0, max: INT32_MAX });
  const pods = o.pods === undefined ? [] : r.array(o.pods, 'pods').map((p, i) => parsePod(r, p, `pods[${i}]`, i, spec));
  const seen = new Set<string>();
  pods.forEach((p, i) => {
    if (seen.has(p.name)) r.fail(`pods[${i}].name "${p.name}" is used by an earlier pod (names must be unique)`);
    seen.add(p.name);
  });
  const recommendation = r.number(o, 'recommendation', '', { integer: true, min: 0, max: INT32_MAX }, null, true);
  const history = o.history === undefined || o.history === null ? null : parseHistory(r, o.history, 'history');
  if (r.problems.length > 0) return { ok: false, error: r.problems.join('; ') };
  return { ok: true, scenario: { spec, currentReplicas, pods, history, recommendation } };
}

/**
 * Omitted pod fields describe a plain healthy pod: Running, not deleted, Ready since it started long
 * ago, no request (an error, as in Kubernetes) and no metric. CPU quantities are rounded up to whole
 * millicores like Kubernetes' `Quantity.MilliValue()`.
 */
function parsePod(r: FieldReader, value: unknown, path: string, index: number, spec: AutoscalerSpec): PodMetricInput {
  const o = r.object(value, path) ?? {};
  r.keys(o, POD_KEYS, path);
  let name = `pod-${index}`;
  if (o.name !== undefined) {
    if (typeof o.name === 'string' && o.name !== '') name = o.name;
    else r.fail(`${join(path, 'name')} must be a non-empty string`);
  }
  let ready: boolean | null = true;
  if (o.ready !== undefined) {
    if (o.ready === null || typeof o.ready === 'boolean') ready = o.ready;
    else r.fail(`${join(path, 'ready')} must be true, false or null`);
  }
  const longAgo = -Math.max(LONG_AGO_SECONDS, spec.cpuInitializationPeriodSeconds + spec.initialReadinessDelaySeconds + 1);
  const startSeconds = r.number(o, 'startSeconds', path, {}, longAgo, true);
  const readyTransitionSeconds = r.number(o, 'readyTransitionSeconds', path, {}, startSeconds ?? 0);
  const milli = { min: 0 } as const;
  const request = r.number(o, 'cpuRequestMilli', path, milli, null, true);
  const usage = r.number(o, 'cpuUsageMilli', path, milli, null, true);
  const containers = o.containers === undefined ? undefined : r.array(o.containers, join(path, 'containers')).map((c, i) => parseContainer(r, c, `${join(path, 'containers')}[${i}]`));
  return {
    name,
    phase: r.choice(o, 'phase', path, PHASES, 'Running'),
    deleted: r.boolean(o, 'deleted', path, false),
    ready,
    readyTransitionMs: readyTransitionSeconds * 1000,
    startTimeMs: startSeconds === null ? null : startSeconds * 1000,
    // With `containers`, `cpuRequestMilli` is the pod-level request (PodLevelResources) and wins.
    containers: containers ?? [{ name: IMPLICIT_CONTAINER_NAME, cpuRequestMilli: ceilOrNull(request) }],
    ...(containers === undefined ? {} : { podCpuRequestMilli: ceilOrNull(request) }),
    cpuUsageMilli: ceilOrNull(usage),
    metricTimestampMs: r.number(o, 'metricTimestampSeconds', path, {}, 0) * 1000,
    metricWindowMs: r.number(o, 'metricWindowSeconds', path, { min: 0 }, 1) * 1000,
  };
}

function parseContainer(r: FieldReader, value: unknown, path: string): ContainerRequest {
  const o = r.object(value, path) ?? {};
  r.keys(o, ['name', 'cpuRequestMilli'], path);
  if (typeof o.name !== 'string' || o.name === '') r.fail(`${join(path, 'name')} must be a non-empty string`);
  const request = r.number(o, 'cpuRequestMilli', path, { min: 0 }, null, true);
  return { name: typeof o.name === 'string' ? o.name : '', cpuRequestMilli: ceilOrNull(request) };
}

/** `recommendations` (newest state of Kubernetes' list) and `scaleEvents` (sign = direction). */
function parseHistory(r: FieldReader, value: unknown, path: string): AutoscalerHistory {
  const o = r.object(value, path) ?? {};
  r.keys(o, ['recommendations', 'scaleEvents'], path);
  const age = { min: 0 } as const;
  const recsPath = join(path, 'recommendations');
  const recommendations = (o.recommendations === undefined ? [] : r.array(o.recommendations, recsPath)).map((item, i) => {
    const p = `${recsPath}[${i}]`;
    const rec = r.object(item, p) ?? {};
    r.keys(rec, ['replicas', 'ageSeconds'], p);
    const replicas = r.required(rec, 'replicas', p, { integer: true, min: 0, max: INT32_MAX });
    return { replicas, timestampMs: SCENARIO_NOW_MS - r.required(rec, 'ageSeconds', p, age) * 1000 };
  });
  const up: ScaleEvent[] = [];
  const down: ScaleEvent[] = [];
  const eventsPath = join(path, 'scaleEvents');
  (o.scaleEvents === undefined ? [] : r.array(o.scaleEvents, eventsPath)).forEach((item, i) => {
    const p = `${eventsPath}[${i}]`;
    const ev = r.object(item, p) ?? {};
    r.keys(ev, ['change', 'ageSeconds'], p);
    const change = r.required(ev, 'change', p, { integer: true });
    if (change === 0 && ev.change !== undefined) r.fail(`${join(p, 'change')} must not be 0 (> 0 = replicas added, < 0 = removed)`);
    const event = { replicaChange: Math.abs(change), timestampMs: SCENARIO_NOW_MS - r.required(ev, 'ageSeconds', p, age) * 1000, outdated: false };
    if (change > 0) up.push(event);
    else if (change < 0) down.push(event);
  });
  return { recommendations, scaleUpEvents: up, scaleDownEvents: down };
}

function ceilOrNull(v: number | null): number | null {
  return v === null ? null : Math.ceil(v);
}
