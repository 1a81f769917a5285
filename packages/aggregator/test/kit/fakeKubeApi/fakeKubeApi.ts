import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { FakeStore, type FakeWatcher, type KObj } from './fakeStore.js';

/** A request as the fake API server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly contentType: string | undefined;
  readonly body: any;
}

/** A fault: return a status to answer the request with it instead of serving it. */
export type Fault = (r: RecordedRequest) => { status: number; message: string } | undefined;

interface Resource {
  readonly prefix: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly statusSubresource: boolean;
}

/** The collections this fake serves, by plural. */
const RESOURCES: Readonly<Record<string, Resource>> = {
  pods: { prefix: '/api/v1', kind: 'Pod', namespaced: true, statusSubresource: true },
  nodes: { prefix: '/api/v1', kind: 'Node', namespaced: false, statusSubresource: true },
  replicasets: { prefix: '/apis/apps/v1', kind: 'ReplicaSet', namespaced: true, statusSubresource: true },
  deployments: { prefix: '/apis/apps/v1', kind: 'Deployment', namespaced: true, statusSubresource: true },
  poddisruptionbudgets: { prefix: '/apis/policy/v1', kind: 'PodDisruptionBudget', namespaced: true, statusSubresource: true },
  leases: { prefix: '/apis/coordination.k8s.io/v1', kind: 'Lease', namespaced: true, statusSubresource: false },
  scalingpolicies: { prefix: '/apis/hms-sys.io/v1', kind: 'ScalingPolicy', namespaced: true, statusSubresource: true },
  events: { prefix: '/api/v1', kind: 'Event', namespaced: true, statusSubresource: false },
};

/** spec fields of the ScalingPolicy schema the fake CRD knows (the shape the driver writes). */
export const POLICY_SPEC_FIELDS = [
  'scaleTargetRef', 'minReplicas', 'maxReplicas', 'metrics', 'behavior', 'tolerance',
  'cpuInitializationPeriodSeconds', 'initialReadinessDelaySeconds', 'downscaleStabilizationWindowSeconds', 'scaleUpLimitFactor', 'scaleUpLimitMinimum',
];

const PATH = /^(\/api\/v1|\/apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;
const TOKEN = 'fake-token';
const isObj = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

class HttpError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

/**
 * A Kubernetes API server for tests, on 127.0.0.1:0, implementing the semantics the driver relies
 * on: list (paged) with resourceVersion, watch streams from a version (newline-delimited JSON
 * events, bookmarks, 410 Gone for compacted versions as an ERROR event or an HTTP status), JSON
 * merge patch with resourceVersion preconditions (and the json-patch content-type pitfall),
 * the Deployment scale subresource, policy/v1 eviction honouring PodDisruptionBudgets,
 * Leases with optimistic concurrency, and the ScalingPolicy custom resource with its status
 * subresource, structural defaults, pruning and strict field validation.
 *
 * Tests arrange state with put()/remove() (which emit watch events like any write) and inject
 * trouble with dropWatches(), compact(), addFault().
 */
export class FakeKubeApi {
  readonly store = new FakeStore();
  readonly requests: RecordedRequest[] = [];
  /** How a watch from a compacted version is refused: an ERROR event in a 200 stream (what real servers do) or HTTP 410. */
  expiredAs: 'event' | 'status' = 'event';
  /** spec fields of ScalingPolicy the "installed CRD" knows; others are pruned, or refused with fieldValidation=Strict. */
  policySpecFields: readonly string[] = POLICY_SPEC_FIELDS;
  private readonly faults = new Set<Fault>();
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const w of this.store.watchers) w.drop();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A KubeConfig pointing at this server (http needs skipTLSVerify in client-node 1.4.0). */
  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'fake', token: TOKEN }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
      currentContext: 'fake',
    });
    return kc;
  }

  /** Creates or replaces an object directly (like another client would); emits ADDED/MODIFIED. */
  put(plural: string, obj: KObj): KObj {
    const r = this.resource(plural);
    const o: KObj = { apiVersion: apiVersionOf(r), kind: r.kind, ...structuredClone(obj) };
    const existing = this.store.get(plural, o.metadata.namespace, o.metadata.name);
    if (!existing) return this.store.create(plural, o);
    o.metadata = { ...existing.metadata, ...o.metadata, resourceVersion: existing.metadata.resourceVersion };
    return this.store.update(plural, o);
  }

  /** Changes an object through a function of the current one; emits MODIFIED. */
  modify(plural: string, namespace: string | undefined, name: string, change: (o: KObj) => void): KObj {
    const o = this.store.get(plural, namespace, name);
    if (!o) throw new Error(`fake: no ${plural} ${namespace ?? ''}/${name}`);
    change(o);
    return this.store.update(plural, o);
  }

  remove(plural: string, namespace: string | undefined, name: string): void {
    this.store.delete(plural, namespace, name);
  }

  get(plural: string, namespace: string | undefined, name: string): KObj | undefined {
    return this.store.get(plural, namespace, name);
  }

  /** The objects of a collection (one namespace, or all). */
  list(plural: string, namespace?: string): KObj[] {
    return this.store.list(plural, namespace);
  }

  /** Drops every open watch of a collection (all when omitted) without a clean end. */
  dropWatches(plural?: string): number {
    let n = 0;
    for (const w of [...this.store.watchers]) {
      if (plural === undefined || w.plural === plural) {
        w.drop();
        n++;
      }
    }
    return n;
  }

  /** Open watches of a collection. */
  watchCount(plural: string): number {
    return [...this.store.watchers].filter((w) => w.plural === plural).length;
  }

  /** Forgets the event history of a collection (watches from older versions get 410) and drops its watches. */
  compact(plural: string): void {
    this.store.compact(plural);
    this.dropWatches(plural);
  }

  /** Sends a BOOKMARK at the current version to watchers that asked for them. */
  bookmark(plural: string): void {
    for (const w of this.store.watchers) {
      if (w.plural === plural && w.bookmarks) w.send('BOOKMARK', { kind: this.resource(plural).kind, apiVersion: apiVersionOf(this.resource(plural)), metadata: { resourceVersion: String(this.store.resourceVersion) } });
    }
  }

  addFault(f: Fault): () => void {
    this.faults.add(f);
    return () => this.faults.delete(f);
  }

  /** Recorded requests matching method and a path pattern. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private resource(plural: string): Resource {
    const r = RESOURCES[plural];
    if (!r) throw new Error(`fake: unknown resource ${plural}`);
    return r;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const text = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    const rec: RecordedRequest = {
      method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type']?.split(';')[0], body,
    };
    this.requests.push(rec);
    try {
      if (req.headers.authorization !== `Bearer ${TOKEN}`) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
      for (const f of this.faults) {
        const hit = f(rec);
        if (hit) throw new HttpError(hit.status, reasonOf(hit.status), hit.message);
      }
      const m = PATH.exec(url.pathname);
      if (!m) throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      const [, prefix, namespace, plural = '', name, sub] = m;
      const r = RESOURCES[plural];
      if (!r || r.prefix !== prefix) throw new HttpError(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      if (!name) return this.collection(rec, res, plural, r, namespace);
      const result = this.item(rec, plural, r, namespace, name, sub);
      send(res, result.status ?? 200, result.body);
    } catch (err) {
      if (err instanceof HttpError) send(res, err.status, statusBody(err.status, err.reason, err.message, err.details));
      else send(res, 500, statusBody(500, 'InternalError', String(err)));
    }
  }

  private collection(rec: RecordedRequest, res: ServerResponse, plural: string, r: Resource, namespace: string | undefined): void {
    if (rec.method === 'POST') {
      const created = this.create(rec, plural, r, namespace);
      return send(res, 201, created);
    }
    if (rec.method !== 'GET') throw new HttpError(405, 'MethodNotAllowed', `${rec.method} not allowed`);
    if (rec.query.watch === 'true' || rec.query.watch === '1') return this.watch(rec, res, plural, namespace);
    const all = this.store.list(plural, namespace);
    const limit = Number(rec.query.limit ?? 0);
    const offset = rec.query.continue ? Number(JSON.parse(Buffer.from(rec.query.continue, 'base64').toString()).offset) : 0;
    const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
    const more = limit > 0 && offset + limit < all.length;
    send(res, 200, {
      apiVersion: apiVersionOf(r), kind: `${r.kind}List`,
      metadata: { resourceVersion: String(this.store.resourceVersion), ...(more ? { continue: Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64') } : {}) },
      items,
    });
  }

  private watch(rec: RecordedRequest, res: ServerResponse, plural: string, namespace: string | undefined): void {
    const fromText = rec.query.resourceVersion;
    const from = fromText ? Number(fromText) : undefined;
    const replay = from === undefined ? undefined : this.store.eventsAfter(plural, from);
    if (replay === 'expired' && this.expiredAs === 'status') {
      throw new HttpError(410, 'Expired', `too old resource version: ${from} (${this.store.resourceVersion})`);
    }
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    const line = (type: string, object: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    if (replay === 'expired') {
      line('ERROR', statusBody(410, 'Expired', `too old resource version: ${from} (${this.store.resourceVersion})`));
      res.end();
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const watcher: FakeWatcher = {
      plural, namespace, bookmarks: rec.query.allowWatchBookmarks === 'true',
      send: line,
      end: () => {
        this.store.watchers.delete(watcher);
        clearTimeout(timer);
        res.end();
      },
      drop: () => {
        this.store.watchers.delete(watcher);
        clearTimeout(timer);
        res.socket?.destroy();
        res.destroy();
      },
    };
    if (replay === undefined) {
      for (const o of this.store.list(plural, namespace)) line('ADDED', o);
    } else {
      for (const e of replay) if (namespace === undefined || e.object.metadata.namespace === namespace) line(e.type, e.object);
    }
    this.store.watchers.add(watcher);
    const timeout = Number(rec.query.timeoutSeconds ?? 0);
    if (timeout > 0) timer = setTimeout(() => watcher.end(), timeout * 1000);
    res.on('close', () => {
      this.store.watchers.delete(watcher);
      clearTimeout(timer);
    });
  }

  private item(rec: RecordedRequest, plural: string, r: Resource, namespace: string | undefined, name: string, sub: string | undefined): { status?: number; body: unknown } {
    const current = this.store.get(plural, namespace, name);
    const notFound = (): HttpError => new HttpError(404, 'NotFound', `${plural} "${name}" not found`);
    if (sub === 'eviction' && plural === 'pods' && rec.method === 'POST') return this.evict(rec, namespace ?? '', name);
    if (sub === 'scale' && plural === 'deployments') return this.scale(rec, namespace ?? '', name);
    if (sub !== undefined && sub !== 'status') throw new HttpError(404, 'NotFound', `no subresource ${sub}`);
    const statusOnly = sub === 'status' && r.statusSubresource;
    switch (rec.method) {
      case 'GET':
        if (!current) throw notFound();
        return { body: current };
      case 'DELETE': {
        if (!current) throw notFound();
        this.store.delete(plural, namespace, name);
        return { body: statusBody(200, '', 'deleted', undefined, 'Success') };
      }
      case 'PUT': {
        if (!current) throw notFound();
        if (!isObj(rec.body)) throw new HttpError(400, 'BadRequest', 'body must be an object');
        const next = structuredClone(rec.body) as KObj;
        const rv = next.metadata?.resourceVersion;
        if (rv === undefined && plural === 'scalingpolicies') throw new HttpError(422, 'Invalid', 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
        if (rv !== undefined && rv !== current.metadata.resourceVersion) throw conflict(plural, name);
        return { body: this.store.update(plural, this.merged(rec, plural, r, current, next, statusOnly)) };
      }
      case 'PATCH': {
        if (!current) throw notFound();
        const next = this.applyPatch(rec, current);
        if (next.metadata?.resourceVersion !== current.metadata.resourceVersion) throw conflict(plural, name);
        return { body: this.store.update(plural, this.merged(rec, plural, r, current, next, statusOnly)) };
      }
      default:
        throw new HttpError(405, 'MethodNotAllowed', `${rec.method} not allowed`);
    }
  }

  /** The object to store after an update: status or spec only, defaults, pruning, generation. */
  private merged(rec: RecordedRequest, plural: string, r: Resource, current: KObj, next: KObj, statusOnly: boolean): KObj {
    if (statusOnly) return { ...current, status: next.status };
    const out: KObj = { ...next, apiVersion: current.apiVersion, kind: current.kind, metadata: { ...next.metadata, uid: current.metadata.uid, name: current.metadata.name, namespace: current.metadata.namespace } };
    if (r.statusSubresource && plural === 'scalingpolicies') out.status = current.status;
    if (plural === 'scalingpolicies') out.spec = this.policySpec(rec, out.spec);
    const specChanged = JSON.stringify(out.spec) !== JSON.stringify(current.spec);
    out.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    return out;
  }

  private create(rec: RecordedRequest, plural: string, r: Resource, namespace: string | undefined): KObj {
    if (!isObj(rec.body) || !isObj(rec.body.metadata)) throw new HttpError(422, 'Invalid', 'metadata: Required value');
    const o = structuredClone(rec.body) as KObj;
    // generateName: the server picks the suffix, as the real API server does.
    if (typeof o.metadata.name !== 'string' && typeof o.metadata.generateName === 'string') o.metadata.name = `${o.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    if (typeof o.metadata.name !== 'string') throw new HttpError(422, 'Invalid', 'metadata.name: Required value');
    if (r.namespaced) o.metadata.namespace = namespace;
    if (this.store.get(plural, o.metadata.namespace, o.metadata.name)) throw new HttpError(409, 'AlreadyExists', `${plural} "${o.metadata.name}" already exists`);
    if (plural === 'scalingpolicies') {
      o.spec = this.policySpec(rec, o.spec);
      delete o.status;
    }
    return this.store.create(plural, { apiVersion: apiVersionOf(r), kind: r.kind, ...o });
  }

  /** Structural-schema behaviour of the ScalingPolicy CRD: strict validation or pruning, then defaults. */
  private policySpec(rec: RecordedRequest, spec: unknown): Record<string, unknown> {
    const s = isObj(spec) ? { ...spec } : {};
    const unknown = Object.keys(s).filter((k) => !this.policySpecFields.includes(k));
    if (unknown.length > 0 && rec.query.fieldValidation === 'Strict') {
      throw new HttpError(400, 'BadRequest', `strict decoding error: ${unknown.map((k) => `unknown field "spec.${k}"`).join(', ')}`);
    }
    for (const k of unknown) delete s[k];
    s.minReplicas ??= 1;
    s.metrics ??= [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
    return s;
  }

  private applyPatch(rec: RecordedRequest, current: KObj): KObj {
    const type = rec.contentType;
    if (type === 'application/json-patch+json') {
      if (!Array.isArray(rec.body)) throw new HttpError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
      return jsonPatch(current, rec.body);
    }
    if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') {
      if (!isObj(rec.body)) throw new HttpError(400, 'BadRequest', 'patch body must be a JSON object');
      const patched = mergePatch(current, rec.body) as KObj;
      // A resourceVersion in a merge patch is a precondition (optimistic concurrency).
      const wanted = rec.body.metadata?.resourceVersion;
      if (wanted !== undefined && wanted !== current.metadata.resourceVersion) throw conflict('object', current.metadata.name);
      patched.metadata.resourceVersion = current.metadata.resourceVersion;
      return patched;
    }
    throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${type})`);
  }

  private scale(rec: RecordedRequest, namespace: string, name: string): { body: unknown } {
    let d = this.store.get('deployments', namespace, name);
    if (!d) throw new HttpError(404, 'NotFound', `deployments.apps "${name}" not found`);
    const scaleOf = (o: KObj): unknown => ({
      apiVersion: 'autoscaling/v1', kind: 'Scale',
      metadata: { name, namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion },
      spec: { replicas: o.spec?.replicas ?? 1 },
      status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',') },
    });
    if (rec.method === 'GET') return { body: scaleOf(d) };
    let replicas: unknown;
    if (rec.method === 'PATCH') {
      const patched = this.applyPatch(rec, scaleOf(d) as KObj);
      replicas = patched.spec?.replicas;
    } else if (rec.method === 'PUT') {
      replicas = isObj(rec.body) ? rec.body.spec?.replicas : undefined;
    } else {
      throw new HttpError(405, 'MethodNotAllowed', `${rec.method} not allowed`);
    }
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new HttpError(422, 'Invalid', 'spec.replicas: must be a non-negative integer');
    d.spec = { ...d.spec, replicas };
    d.metadata.generation = (d.metadata.generation ?? 1) + 1;
    d = this.store.update('deployments', d);
    return { body: scaleOf(d) };
  }

  private evict(rec: RecordedRequest, namespace: string, name: string): { status: number; body: unknown } {
    const pod = this.store.get('pods', namespace, name);
    if (!pod) throw new HttpError(404, 'NotFound', `pods "${name}" not found`);
    const wantedUid = rec.body?.deleteOptions?.preconditions?.uid;
    if (wantedUid !== undefined && wantedUid !== pod.metadata.uid) {
      throw new HttpError(409, 'Conflict', `Operation cannot be fulfilled on Pod "${name}": Precondition failed: UID in precondition: ${wantedUid}, UID in object meta: ${pod.metadata.uid}`);
    }
    const labels: Record<string, string> = (pod.metadata.labels as Record<string, string> | undefined) ?? {};
    const budgets = this.store.list('poddisruptionbudgets', namespace).filter((b) => selects(b.spec?.selector, labels));
    if (budgets.length > 1) throw new HttpError(500, 'InternalError', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = budgets[0];
    if (pdb) {
      const allowed = Number(pdb.status?.disruptionsAllowed ?? 0);
      if (allowed <= 0) {
        throw new HttpError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb.metadata.name} needs ${String(pdb.spec?.minAvailable ?? '?')} healthy pods and has ${String(pdb.status?.currentHealthy ?? '?')} currently` }],
        });
      }
      pdb.status = { ...pdb.status, disruptionsAllowed: allowed - 1 };
      this.store.update('poddisruptionbudgets', pdb);
    }
    this.store.delete('pods', namespace, name);
    return { status: 201, body: statusBody(201, '', '', undefined, 'Success') };
  }
}

function apiVersionOf(r: Resource): string {
  return r.prefix === '/api/v1' ? 'v1' : r.prefix.slice('/apis/'.length);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function statusBody(code: number, reason: string, message: string, details?: unknown, status = 'Failure'): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status, message, reason, code, ...(details ? { details } : {}) };
}

function reasonOf(status: number): string {
  return ({ 400: 'BadRequest', 404: 'NotFound', 409: 'Conflict', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' } as Record<number, string>)[status] ?? 'Unknown';
}

function conflict(plural: string, name: string): HttpError {
  return new HttpError(409, 'Conflict', `Operation cannot be fulfilled on ${plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`);
}

/** RFC 7386. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** RFC 6902, the operations a client would use here (add, replace, remove, test). */
function jsonPatch(doc: KObj, ops: unknown[]): KObj {
  const out = structuredClone(doc) as Record<string, any>;
  for (const op of ops) {
    if (!isObj(op) || typeof op.path !== 'string') throw new HttpError(400, 'BadRequest', 'invalid JSON patch operation');
    const parts = op.path.split('/').slice(1).map((p: string) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop() as string;
    let parent: any = out;
    for (const p of parts) parent = parent?.[p];
    if (!isObj(parent)) throw new HttpError(422, 'Invalid', `path ${op.path} does not exist`);
    const target: Record<string, any> = parent;
    if (op.op === 'test') {
      if (JSON.stringify(target[last]) !== JSON.stringify(op.value)) throw new HttpError(422, 'Invalid', `test failed at ${op.path}`);
    } else if (op.op === 'remove') {
      delete target[last];
    } else if (op.op === 'add' || op.op === 'replace') {
      target[last] = op.value;
    } else {
      throw new HttpError(400, 'BadRequest', `unsupported op ${String(op.op)}`);
    }
  }
  return out as KObj;
}

/** metav1.LabelSelector matching, written independently of the driver's (the fake's controllers use it too). */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!isObj(selector)) return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(labels[e.key] as string))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(labels[e.key] as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
