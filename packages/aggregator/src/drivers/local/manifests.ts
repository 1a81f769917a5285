import { parseAllDocuments } from 'yaml';
import { errorMessage, hmsError, isHmsError } from '@hms-sys/common';
import { parseCpuQuantity } from './quantity.js';

/**
 * The manifests the local driver runs (SPEC §7): the `apps/v1` Deployment subset and `policy/v1`
 * PodDisruptionBudget, from YAML (multi-document) or JSON. Parsing is pure; every error is
 * HMS_INPUT_INVALID and names the field, e.g.
 * `Deployment default/web: spec.template.spec.containers[0].command must be a list of strings`.
 * Fields outside the subset are ignored; the ones a user would expect to matter are reported
 * in `warnings`.
 */

export type ProbeAction =
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'httpGet'; readonly port: number; readonly path: string }
  | { readonly kind: 'tcpSocket'; readonly port: number };

export interface ProbeSpec {
  readonly action: ProbeAction;
  /** Seconds after the container starts before the first probe (default 0). */
  readonly initialDelaySeconds: number;
  /** Seconds between probes (default 10). */
  readonly periodSeconds: number;
  /** Seconds a probe may take (default 1). */
  readonly timeoutSeconds: number;
  /** Consecutive failures that make the container not ready (default 3). */
  readonly failureThreshold: number;
  /** Consecutive successes that make it ready again (default 1). */
  readonly successThreshold: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface ContainerSpec {
  readonly name: string;
  /** Shown, never pulled. */
  readonly image?: string;
  /** The program and its leading arguments (required: there are no images to supply an entrypoint). */
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly env: readonly EnvVar[];
  /** Working directory of the process; default `/`. */
  readonly workingDir?: string;
  readonly cpuRequestMilli?: number;
  readonly cpuLimitMilli?: number;
  readonly readinessProbe?: ProbeSpec;
}

export interface PodTemplate {
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerSpec[];
  /** SIGTERM -> SIGKILL grace, seconds (default 30). */
  readonly terminationGracePeriodSeconds: number;
}

/** An int or a percent string such as `25%`. */
export type IntOrPercent = number | string;

export interface DeploymentStrategy {
  readonly type: 'RollingUpdate' | 'Recreate';
  readonly maxSurge: IntOrPercent;
  readonly maxUnavailable: IntOrPercent;
}

export interface DeploymentManifest {
  readonly kind: 'Deployment';
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** spec.replicas; undefined when the manifest leaves it out (apply then keeps the current count). */
  readonly replicas: number | undefined;
  readonly selector: Readonly<Record<string, string>>;
  readonly strategy: DeploymentStrategy;
  readonly template: PodTemplate;
}

export interface DisruptionBudgetManifest {
  readonly kind: 'PodDisruptionBudget';
  readonly namespace: string;
  readonly name: string;
  /** selector.matchLabels; empty = every pod of the namespace. */
  readonly selector: Readonly<Record<string, string>>;
  readonly minAvailable?: IntOrPercent;
  readonly maxUnavailable?: IntOrPercent;
}

export type Manifest = DeploymentManifest | DisruptionBudgetManifest;

export interface ParsedManifests {
  readonly manifests: readonly Manifest[];
  /** Things in the input this driver does not do, one sentence each. */
  readonly warnings: readonly string[];
}

export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

/** Parses YAML (one or more `---` documents) or JSON (an object, an array, or a `List`). */
export function parseManifests(text: string): ParsedManifests {
  const docs: unknown[] = [];
  const trimmed = text.trim();
  if (trimmed === '') throw hmsError('HMS_INPUT_INVALID', 'no manifests: the input is empty');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined; // YAML is a superset of JSON: let the YAML parser report the position
    }
    if (value !== undefined) docs.push(...(Array.isArray(value) ? value : [value]));
  }
  if (docs.length === 0) {
    const parsed = parseAllDocuments(text);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    list.forEach((doc, i) => {
      const err = doc.errors[0];
      if (err) throw hmsError('HMS_INPUT_INVALID', `YAML document ${i + 1} is not valid: ${err.message.split('\n')[0] ?? ''}`);
      let value: unknown;
      try {
        // toJS expands aliases; the yaml library refuses alias bombs ("billion laughs") here.
        value = doc.toJS();
      } catch (e) {
        throw hmsError('HMS_INPUT_INVALID', `YAML document ${i + 1} is not valid: ${errorMessage(e).split('\n')[0] ?? ''}`);
      }
      if (value !== null && value !== undefined) docs.push(value);
    });
  }
  return parseManifestObjects(docs);
}

/** Validates already-decoded objects (e.g. a JSON API body). */
export function parseManifestObjects(objects: readonly unknown[]): ParsedManifests {
  const manifests: Manifest[] = [];
  const warnings: string[] = [];
  const flat: unknown[] = [];
  for (const o of objects) {
    if (isObject(o) && o.kind === 'List' && Array.isArray(o.items)) flat.push(...o.items);
    else flat.push(o);
  }
  if (flat.length === 0) throw hmsError('HMS_INPUT_INVALID', 'no manifests found in the input');
  flat.forEach((obj, i) => {
    const where = flat.length > 1 ? `document ${i + 1}` : 'the manifest';
    if (!isObject(obj)) throw hmsError('HMS_INPUT_INVALID', `${where} must be an object with apiVersion and kind`);
    const kind = obj.kind;
    const api = obj.apiVersion;
    if (kind === 'Deployment') {
      expectApi(api, 'apps/v1', kind, where);
      manifests.push(parseDeployment(obj, warnings));
    } else if (kind === 'PodDisruptionBudget') {
      expectApi(api, 'policy/v1', kind, where);
      manifests.push(parseBudget(obj));
    } else {
      throw hmsError(
        'HMS_INPUT_INVALID',
        `${where}: kind ${typeof kind === 'string' ? kind : JSON.stringify(kind)} is not supported by the local driver (supported: apps/v1 Deployment, policy/v1 PodDisruptionBudget)`,
      );
    }
  });
  const seen = new Set<string>();
  for (const m of manifests) {
    const key = `${m.kind} ${m.namespace}/${m.name}`;
    if (seen.has(key)) throw hmsError('HMS_INPUT_INVALID', `${key} appears twice in the input`);
    seen.add(key);
  }
  return { manifests, warnings };
}

function expectApi(api: unknown, want: string, kind: string, where: string): void {
  if (api !== want) {
    throw hmsError('HMS_INPUT_INVALID', `${where}: ${kind} needs apiVersion ${want} (got ${api === undefined ? 'none' : JSON.stringify(api)})`);
  }
}

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Builds errors prefixed with the object they are about. */
class FieldErrors {
  constructor(private readonly prefix: string) {}
  fail(path: string, problem: string): never {
    throw hmsError('HMS_INPUT_INVALID', `${this.prefix}${path} ${problem}`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function parseMeta(obj: Obj, kind: string): { namespace: string; name: string; labels: Record<string, string>; errors: FieldErrors } {
  const pre: FieldErrors = new FieldErrors(`${kind}: `);
  const meta = obj.metadata;
  if (!isObject(meta)) pre.fail('metadata', 'is required (with at least metadata.name)');
  const name = meta.name;
  if (typeof name !== 'string' || name === '') pre.fail('metadata.name', 'is required');
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) pre.fail('metadata.name', `must be lower-case letters, digits, '-' or '.', at most 253 characters (got "${name}")`);
  const ns = meta.namespace ?? DEFAULT_NAMESPACE;
  if (typeof ns !== 'string' || ns.length > 63 || !DNS_LABEL.test(ns)) pre.fail('metadata.namespace', `must be lower-case letters, digits or '-', at most 63 characters (got ${JSON.stringify(ns)})`);
  const errors: FieldErrors = new FieldErrors(`${kind} ${ns}/${name}: `);
  const labels = parseLabels(meta.labels, 'metadata.labels', errors);
  return { namespace: ns, name, labels, errors };
}

function parseLabels(v: unknown, path: string, e: FieldErrors): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) e.fail(path, 'must be a map of strings');
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!LABEL_KEY.test(k) || k.length > 317) e.fail(`${path}.${k}`, 'is not a valid label key');
    if (typeof val !== 'string') e.fail(`${path}.${k}`, `must be a string (quote it: "${String(val)}")`);
    if (val.length > 63 || !LABEL_VALUE.test(val)) e.fail(`${path}.${k}`, `is not a valid label value (got "${val}")`);
    out[k] = val;
  }
  return out;
}

function parseSelector(v: unknown, path: string, e: FieldErrors, required: boolean): Record<string, string> {
  if (v === undefined || v === null) {
    if (required) e.fail(path, 'is required (selector.matchLabels)');
    return {};
  }
  if (!isObject(v)) e.fail(path, 'must be an object with matchLabels');
  if (v.matchExpressions !== undefined) e.fail(`${path}.matchExpressions`, 'is not supported by the local driver; use matchLabels');
  return parseLabels(v.matchLabels, `${path}.matchLabels`, e);
}

function optInt(v: unknown, path: string, e: FieldErrors, min: number, dflt: number): number;
function optInt(v: unknown, path: string, e: FieldErrors, min: number, dflt: undefined): number | undefined;
function optInt(v: unknown, path: string, e: FieldErrors, min: number, dflt: number | undefined): number | undefined {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) e.fail(path, `must be an integer >= ${min}`);
  return v;
}

function parseIntOrPercent(v: unknown, path: string, e: FieldErrors): IntOrPercent {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) {
    if (Number.parseInt(v, 10) > 100) e.fail(path, 'must not exceed 100%');
    return v;
  }
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number.parseInt(v, 10);
  e.fail(path, `must be a non-negative integer or a percentage such as 25% (got ${JSON.stringify(v)})`);
}

function stringList(v: unknown, path: string, e: FieldErrors): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) e.fail(path, 'must be a list of strings');
  return v as string[];
}

function parseDeployment(obj: Obj, warnings: string[]): DeploymentManifest {
  const meta = parseMeta(obj, 'Deployment');
  const { namespace, name, labels } = meta;
  const e: FieldErrors = meta.errors;
  const spec = obj.spec;
  if (!isObject(spec)) e.fail('spec', 'is required');
  const replicas = optInt(spec.replicas, 'spec.replicas', e, 0, undefined);
  const selector = parseSelector(spec.selector, 'spec.selector', e, true);
  const strategy = parseStrategy(spec.strategy, e);
  const tpl = spec.template;
  if (!isObject(tpl)) e.fail('spec.template', 'is required');
  const tplMeta = isObject(tpl.metadata) ? tpl.metadata : {};
  const tplLabels = parseLabels(tplMeta.labels, 'spec.template.metadata.labels', e);
  for (const [k, v] of Object.entries(selector)) {
    if (tplLabels[k] !== v) e.fail('spec.selector.matchLabels', `does not match spec.template.metadata.labels (${k}=${v} is missing)`);
  }
  if (Object.keys(selector).length === 0) e.fail('spec.selector.matchLabels', 'must name at least one label');
  const podSpec = tpl.spec;
  if (!isObject(podSpec)) e.fail('spec.template.spec', 'is required');
  const grace = optInt(podSpec.terminationGracePeriodSeconds, 'spec.template.spec.terminationGracePeriodSeconds', e, 0, DEFAULT_TERMINATION_GRACE_SECONDS);
  const list = podSpec.containers;
  if (!Array.isArray(list) || list.length === 0) e.fail('spec.template.spec.containers', 'must list at least one container');
  const containers = list.map((c, i) => parseContainer(c, `spec.template.spec.containers[${i}]`, e, warnings, `${namespace}/${name}`));
  const names = new Set<string>();
  containers.forEach((c, i) => {
    if (names.has(c.name)) e.fail(`spec.template.spec.containers[${i}].name`, `"${c.name}" is used by two containers`);
    names.add(c.name);
  });
  for (const key of ['volumes', 'initContainers', 'nodeSelector', 'affinity', 'tolerations']) {
    if (podSpec[key] !== undefined) warnings.push(`Deployment ${namespace}/${name}: spec.template.spec.${key} is ignored by the local driver`);
  }
  return { kind: 'Deployment', namespace, name, labels, replicas, selector, strategy, template: { labels: tplLabels, containers, terminationGracePeriodSeconds: grace } };
}

function parseStrategy(v: unknown, e: FieldErrors): DeploymentStrategy {
  const dflt: DeploymentStrategy = { type: 'RollingUpdate', maxSurge: '25%', maxUnavailable: '25%' };
  if (v === undefined || v === null) return dflt;
  if (!isObject(v)) e.fail('spec.strategy', 'must be an object');
  const type = v.type ?? 'RollingUpdate';
  if (type === 'Recreate') return { type: 'Recreate', maxSurge: 0, maxUnavailable: '100%' };
  if (type !== 'RollingUpdate') e.fail('spec.strategy.type', 'must be RollingUpdate or Recreate');
  const ru = v.rollingUpdate;
  if (ru === undefined || ru === null) return dflt;
  if (!isObject(ru)) e.fail('spec.strategy.rollingUpdate', 'must be an object');
  const maxSurge = ru.maxSurge === undefined ? dflt.maxSurge : parseIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', e);
  const maxUnavailable = ru.maxUnavailable === undefined ? dflt.maxUnavailable : parseIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', e);
  if ((maxSurge === 0 || maxSurge === '0%') && (maxUnavailable === 0 || maxUnavailable === '0%')) {
    e.fail('spec.strategy.rollingUpdate', 'maxSurge and maxUnavailable cannot both be 0');
  }
  return { type: 'RollingUpdate', maxSurge, maxUnavailable };
}

function parseContainer(c: unknown, path: string, e: FieldErrors, warnings: string[], owner: string): ContainerSpec {
  if (!isObject(c)) e.fail(path, 'must be an object');
  const name = c.name;
  if (typeof name !== 'string' || name === '') e.fail(`${path}.name`, 'is required');
  if (name.length > 63 || !DNS_LABEL.test(name)) e.fail(`${path}.name`, `must be lower-case letters, digits or '-', at most 63 characters (got "${name}")`);
  const image = c.image;
  if (image !== undefined && typeof image !== 'string') e.fail(`${path}.image`, 'must be a string');
  if (c.command === undefined || c.command === null) {
    e.fail(
      `${path}.command`,
      `is required: the local driver runs processes, not images, so there is no image entrypoint${typeof image === 'string' ? ` for ${image}` : ''} (e.g. command: ["node", "server.js"])`,
    );
  }
  const command = stringList(c.command, `${path}.command`, e);
  if (command.length === 0 || command[0] === '') e.fail(`${path}.command`, 'must name a program as its first element');
  const args = c.args === undefined || c.args === null ? [] : stringList(c.args, `${path}.args`, e);
  const env: EnvVar[] = [];
  if (c.env !== undefined && c.env !== null) {
    if (!Array.isArray(c.env)) e.fail(`${path}.env`, 'must be a list of {name, value}');
    c.env.forEach((v, i) => {
      const p = `${path}.env[${i}]`;
      if (!isObject(v)) e.fail(p, 'must be an object with name and value');
      if (typeof v.name !== 'string' || v.name === '' || v.name.includes('=') || v.name.includes('\0')) e.fail(`${p}.name`, 'must be a non-empty string without "="');
      if (v.valueFrom !== undefined) e.fail(`${p}.valueFrom`, 'is not supported by the local driver; use value');
      const value = v.value ?? '';
      if (typeof value !== 'string') e.fail(`${p}.value`, `must be a string (quote it: "${String(value)}")`);
      env.push({ name: v.name, value });
    });
  }
  const workingDir = c.workingDir;
  if (workingDir !== undefined && (typeof workingDir !== 'string' || !workingDir.startsWith('/'))) e.fail(`${path}.workingDir`, 'must be an absolute path');
  let cpuRequestMilli: number | undefined;
  let cpuLimitMilli: number | undefined;
  const res = c.resources;
  if (res !== undefined && res !== null) {
    if (!isObject(res)) e.fail(`${path}.resources`, 'must be an object');
    for (const part of ['requests', 'limits'] as const) {
      const r = res[part];
      if (r === undefined || r === null) continue;
      if (!isObject(r)) e.fail(`${path}.resources.${part}`, 'must be a map');
      if (r.cpu !== undefined) {
        const milli = parseCpuQuantity(r.cpu, `${path}.resources.${part}.cpu`);
        if (part === 'requests') cpuRequestMilli = milli;
        else cpuLimitMilli = milli;
      }
      for (const k of Object.keys(r)) {
        if (k !== 'cpu') warnings.push(`Deployment ${owner}: ${path}.resources.${part}.${k} is not enforced by the local driver (only cpu is)`);
      }
    }
  }
  if (cpuLimitMilli !== undefined && cpuRequestMilli === undefined) cpuRequestMilli = cpuLimitMilli; // Kubernetes defaults the request to the limit
  if (cpuLimitMilli !== undefined && cpuRequestMilli !== undefined && cpuRequestMilli > cpuLimitMilli) {
    e.fail(`${path}.resources.requests.cpu`, 'must be less than or equal to the cpu limit');
  }
  const readinessProbe = c.readinessProbe === undefined || c.readinessProbe === null ? undefined : parseProbe(c.readinessProbe, `${path}.readinessProbe`, e);
  for (const key of ['livenessProbe', 'startupProbe', 'volumeMounts']) {
    if (c[key] !== undefined) warnings.push(`Deployment ${owner}: ${path}.${key} is ignored by the local driver`);
  }
  return {
    name,
    ...(typeof image === 'string' ? { image } : {}),
    command,
    args,
    env,
    ...(typeof workingDir === 'string' ? { workingDir } : {}),
    ...(cpuRequestMilli !== undefined ? { cpuRequestMilli } : {}),
    ...(cpuLimitMilli !== undefined ? { cpuLimitMilli } : {}),
    ...(readinessProbe ? { readinessProbe } : {}),
  };
}

function parsePort(v: unknown, path: string, e: FieldErrors): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) e.fail(path, 'must be a port number 1-65535 (named ports are not supported)');
  return v;
}

function parseProbe(p: unknown, path: string, e: FieldErrors): ProbeSpec {
  if (!isObject(p)) e.fail(path, 'must be an object');
  const actions: ProbeAction[] = [];
  if (p.exec !== undefined) {
    if (!isObject(p.exec)) e.fail(`${path}.exec`, 'must be an object with command');
    const command = stringList(p.exec.command, `${path}.exec.command`, e);
    if (command.length === 0) e.fail(`${path}.exec.command`, 'must not be empty');
    actions.push({ kind: 'exec', command });
  }
  if (p.httpGet !== undefined) {
    if (!isObject(p.httpGet)) e.fail(`${path}.httpGet`, 'must be an object with port');
    const port = parsePort(p.httpGet.port, `${path}.httpGet.port`, e);
    const pathValue = p.httpGet.path ?? '/';
    if (typeof pathValue !== 'string' || !pathValue.startsWith('/')) e.fail(`${path}.httpGet.path`, 'must start with /');
    if (p.httpGet.host !== undefined) e.fail(`${path}.httpGet.host`, 'is not supported by the local driver (probes go to 127.0.0.1)');
    actions.push({ kind: 'httpGet', port, path: pathValue });
  }
  if (p.tcpSocket !== undefined) {
    if (!isObject(p.tcpSocket)) e.fail(`${path}.tcpSocket`, 'must be an object with port');
    actions.push({ kind: 'tcpSocket', port: parsePort(p.tcpSocket.port, `${path}.tcpSocket.port`, e) });
  }
  if (actions.length !== 1) e.fail(path, 'must have exactly one of exec, httpGet or tcpSocket');
  return {
    action: actions[0] as ProbeAction,
    initialDelaySeconds: optInt(p.initialDelaySeconds, `${path}.initialDelaySeconds`, e, 0, 0),
    periodSeconds: optInt(p.periodSeconds, `${path}.periodSeconds`, e, 1, 10),
    timeoutSeconds: optInt(p.timeoutSeconds, `${path}.timeoutSeconds`, e, 1, 1),
    failureThreshold: optInt(p.failureThreshold, `${path}.failureThreshold`, e, 1, 3),
    successThreshold: optInt(p.successThreshold, `${path}.successThreshold`, e, 1, 1),
  };
}

function parseBudget(obj: Obj): DisruptionBudgetManifest {
  const meta = parseMeta(obj, 'PodDisruptionBudget');
  const { namespace, name } = meta;
  const e: FieldErrors = meta.errors;
  const spec = obj.spec;
  if (!isObject(spec)) e.fail('spec', 'is required');
  const selector = parseSelector(spec.selector, 'spec.selector', e, false);
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) e.fail('spec', 'must set only one of minAvailable and maxUnavailable');
  if (!hasMin && !hasMax) e.fail('spec', 'must set minAvailable or maxUnavailable');
  return {
    kind: 'PodDisruptionBudget',
    namespace,
    name,
    selector,
    ...(hasMin ? { minAvailable: parseIntOrPercent(spec.minAvailable, 'spec.minAvailable', e) } : {}),
    ...(hasMax ? { maxUnavailable: parseIntOrPercent(spec.maxUnavailable, 'spec.maxUnavailable', e) } : {}),
  };
}

/** True when the error came from manifest validation (for callers mapping errors to 400s). */
export function isManifestError(err: unknown): boolean {
  return isHmsError(err, 'HMS_INPUT_INVALID');
}
