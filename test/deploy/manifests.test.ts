/**
 * deploy/: every rendering (base, each component, all components, the install overlay) is valid
 * against the Kubernetes OpenAPI schemas, has no unknown fields, and is internally consistent
 * (names referenced by pods exist, selectors select, ports resolve). Offline: no cluster needed.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The aggregator's token-file parsers: the overlay's documented commands must produce files they accept.
import { AgentTokens } from '../../packages/aggregator/src/http/agentTokens.js';
import { ApiTokens } from '../../packages/aggregator/src/http/apiTokens.js';
import { schemaErrors, strictFieldErrors } from './k8sSchema.js';
import {
  COMPONENTS, DEPLOY, KUBECTL_MISSING, REPO, find, installOverlayTokenCommands, kustomize, parseDocs, podSpec, readYamlDocs, ref, render, renderInstallOverlay,
  type K8sObject, type Loose,
} from './render.js';

// kubectl ships with this project's machine image; a developer machine without it skips loudly,
// CI (CI=true) fails instead of passing without having rendered anything.
const SKIP = KUBECTL_MISSING !== undefined && !process.env.CI;
if (SKIP) console.warn(`[test/deploy] SKIPPED: ${KUBECTL_MISSING}`);

const RENDERS: Record<string, () => K8sObject[]> = {
  base: () => render(),
  'component patch-executor': () => render(['patch-executor']),
  'component prometheus-operator': () => render(['prometheus-operator']),
  'component ha': () => render(['ha']),
  'all components': () => render([...COMPONENTS]),
  'install overlay (with generated tokens)': () => renderInstallOverlay().objects,
};

const WORKLOADS = new Set(['DaemonSet', 'Deployment', 'StatefulSet']);
const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);

/** Labels that pods get at run time, not from their template (none today). */
const RUNTIME_LABELS = new Set<string>();

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => RUNTIME_LABELS.has(k) || labels?.[k] === v);
}

/** Consistency problems inside one rendering. */
function consistencyErrors(objs: K8sObject[]): string[] {
  const errors: string[] = [];
  const has = (kind: string, name: string): boolean => objs.some((o) => o.kind === kind && o.metadata.name === name);
  const workloads = objs.filter((o) => WORKLOADS.has(o.kind));
  for (const w of workloads) {
    const spec = podSpec(w);
    const labels = w.spec.template.metadata?.labels as Record<string, string>;
    if (!matches(w.spec.selector.matchLabels, labels)) errors.push(`${ref(w)}: selector does not match its pod template`);
    if (spec.serviceAccountName && !has('ServiceAccount', spec.serviceAccountName)) errors.push(`${ref(w)}: ServiceAccount ${spec.serviceAccountName} missing`);
    const claimTemplates = new Set<string>((w.spec.volumeClaimTemplates ?? []).map((c: Loose) => c.metadata.name));
    const volumes = new Set<string>();
    for (const v of spec.volumes ?? []) {
      volumes.add(v.name);
      if (v.secret && !has('Secret', v.secret.secretName)) errors.push(`${ref(w)}: Secret ${v.secret.secretName} (volume ${v.name}) missing`);
      if (v.configMap && !has('ConfigMap', v.configMap.name)) errors.push(`${ref(w)}: ConfigMap ${v.configMap.name} missing`);
      if (v.persistentVolumeClaim && !has('PersistentVolumeClaim', v.persistentVolumeClaim.claimName)) errors.push(`${ref(w)}: PVC ${v.persistentVolumeClaim.claimName} missing`);
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.has(m.name) && !claimTemplates.has(m.name)) errors.push(`${ref(w)}: container ${c.name} mounts unknown volume ${m.name}`);
      }
      const ports = new Map<string, number>((c.ports ?? []).map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const port = c[probe]?.httpGet?.port;
        if (typeof port === 'string' && !ports.has(port)) errors.push(`${ref(w)}: ${c.name}.${probe} uses unknown port ${port}`);
      }
    }
  }
  const podLabels = workloads.map((w) => w.spec.template.metadata?.labels as Record<string, string>);
  for (const o of objs) {
    if (o.kind === 'Service') {
      const selected = workloads.filter((w) => matches(o.spec.selector, w.spec.template.metadata?.labels));
      if (selected.length === 0) errors.push(`${ref(o)}: selects no workload`);
      for (const p of o.spec.ports) {
        if (typeof p.targetPort !== 'string') continue;
        for (const w of selected) {
          const named = podSpec(w).containers.some((c: Loose) => (c.ports ?? []).some((cp: { name: string }) => cp.name === p.targetPort));
          if (!named) errors.push(`${ref(o)}: targetPort ${p.targetPort} not found in ${ref(w)}`);
        }
      }
    }
    if (o.kind === 'PodDisruptionBudget' || o.kind === 'NetworkPolicy') {
      const sel = o.kind === 'NetworkPolicy' ? o.spec.podSelector.matchLabels : o.spec.selector.matchLabels;
      if (!podLabels.some((l) => matches(sel, l))) errors.push(`${ref(o)}: selects no pods`);
    }
    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      if (!has(o.roleRef.kind, o.roleRef.name)) errors.push(`${ref(o)}: ${o.roleRef.kind} ${o.roleRef.name} missing`);
      for (const s of o.subjects ?? []) if (s.kind === 'ServiceAccount' && !has('ServiceAccount', s.name)) errors.push(`${ref(o)}: ServiceAccount ${s.name} missing`);
    }
    if (o.kind === 'ServiceMonitor') {
      const svcs = objs.filter((s) => s.kind === 'Service' && matches(o.spec.selector.matchLabels, s.metadata.labels));
      if (svcs.length === 0) errors.push(`${ref(o)}: selects no Service`);
      for (const e of o.spec.endpoints) if (!svcs.some((s) => s.spec.ports.some((p: { name: string }) => p.name === e.port))) errors.push(`${ref(o)}: port ${e.port} not on the Service`);
    }
    if (o.kind === 'PodMonitor') {
      const sel = workloads.filter((w) => matches(o.spec.selector.matchLabels, w.spec.template.metadata?.labels));
      if (sel.length === 0) errors.push(`${ref(o)}: selects no pods`);
      for (const e of o.spec.podMetricsEndpoints) {
        if (!sel.some((w) => podSpec(w).containers.some((c: Loose) => (c.ports ?? []).some((p: { name: string }) => p.name === e.port)))) errors.push(`${ref(o)}: port ${e.port} not on the pods`);
      }
    }
  }
  return errors;
}

/** A copy of deploy/ with one indentation slip in the agent DaemonSet (a negative control). */
function renderBrokenCopy(mutate: (yaml: string) => string): K8sObject[] {
  const dir = mkdtempSync(join(tmpdir(), 'hms-sys-broken-'));
  try {
    cpSync(DEPLOY, join(dir, 'deploy'), { recursive: true });
    const file = join(dir, 'deploy', 'agent', 'daemonset.yaml');
    writeFileSync(file, mutate(readFileSync(file, 'utf8')));
    return kustomize(join(dir, 'deploy'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Bad indentation: the hostPath's `type` becomes a sibling of `hostPath` (an unknown field).
const MISINDENT = (yaml: string): string =>
  yaml.replace('          hostPath:\n            path: /proc\n            type: Directory', '          hostPath:\n            path: /proc\n          type: Directory');

/**
 * The strict field check of everything in this file, in ONE TypeScript program (each program
 * costs ~2 s): every distinct object of every rendering, plus the negative controls.
 */
let strictBatch: { renders: string[]; hpaFixture: string[]; misplaced: string[]; misindented: string[] } | undefined;
function strict(): NonNullable<typeof strictBatch> {
  if (strictBatch) return strictBatch;
  const seen = new Set<string>();
  const all: K8sObject[] = [];
  for (const get of Object.values(RENDERS)) {
    for (const o of get()) {
      const key = JSON.stringify(o);
      if (!seen.has(key) && !o.apiVersion.startsWith('hms-sys.io/')) {
        seen.add(key);
        all.push(o);
      }
    }
  }
  const misplaced = find(render(), 'DaemonSet', 'hms-sys-agent'); // `readOnly` one level too high
  podSpec(misplaced).containers[0].readOnly = true;
  const misindented = find(renderBrokenCopy(MISINDENT), 'DaemonSet', 'hms-sys-agent');
  const [hpa] = readYamlDocs(join(REPO, 'test', 'deploy', 'fixtures', 'hpa-vote-api.yaml'));
  const errors = strictFieldErrors([...all, hpa!, misplaced, misindented]);
  strictBatch = {
    renders: all.flatMap((_o, i) => errors.get(i) ?? []),
    hpaFixture: errors.get(all.length) ?? [],
    misplaced: errors.get(all.length + 1) ?? [],
    misindented: errors.get(all.length + 2) ?? [],
  };
  return strictBatch;
}

describe.skipIf(SKIP)('deploy/ renders and validates offline', () => {
  for (const [name, get] of Object.entries(RENDERS)) {
    describe(name, () => {
      it('every object validates against the Kubernetes OpenAPI schema of its kind', async () => {
        const objs = get();
        expect(objs.length).toBeGreaterThan(10);
        const errors: string[] = [];
        for (const o of objs) {
          if (o.apiVersion.startsWith('hms-sys.io/')) continue; // custom objects: crd.test.ts
          for (const e of await schemaErrors(o)) errors.push(`${ref(o)}: ${e}`);
        }
        expect(errors).toEqual([]);
      });

      it('names, selectors and ports are consistent; namespaced objects are in hms-sys and labelled', () => {
        const objs = get();
        expect(consistencyErrors(objs)).toEqual([]);
        const keys = objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
        expect(new Set(keys).size, 'duplicate objects').toBe(keys.length);
        for (const o of objs) {
          expect(o.metadata.labels?.['app.kubernetes.io/part-of'], `${ref(o)} part-of label`).toBe('hms-sys');
          if (CLUSTER_SCOPED.has(o.kind)) expect(o.metadata.namespace, `${ref(o)} is cluster-scoped`).toBeUndefined();
          else expect(o.metadata.namespace, `${ref(o)} namespace`).toBe('hms-sys');
        }
        // One image for everything (components must not drift from the base's tag).
        const images = new Set(objs.filter((o) => WORKLOADS.has(o.kind)).flatMap((w) => [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers].map((c: { image: string }) => c.image)));
        expect(images.size, [...images].join(', ')).toBe(1);
      });
    });
  }

  it('no object has a field its Kubernetes schema does not know (strict field validation)', () => {
    expect(strict().renders).toEqual([]);
    expect(strict().hpaFixture, 'test/deploy/fixtures/hpa-vote-api.yaml').toEqual([]);
  });

  it('the install overlay puts the generated tokens into the Secrets and the image into every pod', () => {
    const { objects, tokens } = renderInstallOverlay();
    expect(installOverlayTokenCommands().length).toBeGreaterThanOrEqual(4);
    // The aggregator's own parsers accept the files the documented commands create.
    const dir = mkdtempSync(join(tmpdir(), 'hms-sys-tokens-'));
    try {
      for (const [f, v] of Object.entries(tokens)) writeFileSync(join(dir, f), v);
      const agentToken = tokens['agent-token']!.trim();
      expect(agentToken).toMatch(/^[0-9a-f]{64}$/);
      expect(new AgentTokens(join(dir, 'agent-tokens')).authenticate(agentToken)).toEqual({ node: null });
      const api = new ApiTokens(join(dir, 'api-tokens'));
      const lines = tokens['api-tokens']!.trim().split('\n').map((l) => l.split(' '));
      expect(lines.map(([role]) => role)).toEqual(['operator', 'viewer']);
      for (const [role, token] of lines) expect(api.authenticate(token!)?.role).toBe(role);
      // An empty file (the base's placeholders) admits nobody.
      writeFileSync(join(dir, 'empty'), '');
      expect(new AgentTokens(join(dir, 'empty')).authenticate(agentToken)).toBeUndefined();
      expect(new ApiTokens(join(dir, 'empty')).authenticate(agentToken)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const agent = find(objects, 'Secret', 'hms-sys-agent-token');
    expect(Buffer.from(agent.data.token, 'base64').toString()).toBe(tokens['agent-token']);
    const agg = find(objects, 'Secret', 'hms-sys-aggregator-tokens');
    expect(Buffer.from(agg.data['agent-tokens'], 'base64').toString()).toBe(tokens['agent-tokens']);
    expect(Buffer.from(agg.data['api-tokens'], 'base64').toString()).toBe(tokens['api-tokens']);
    for (const w of objects.filter((o) => WORKLOADS.has(o.kind))) {
      for (const c of [...(podSpec(w).initContainers ?? []), ...podSpec(w).containers]) expect(c.image).toBe('registry.example.com/hms-sys:0.1.0');
    }
    for (const o of objects.filter((x) => x.apiVersion.startsWith('monitoring.coreos.com/'))) expect(o.metadata.labels?.release).toBe('kube-prometheus-stack');
  });
});

describe.skipIf(SKIP)('the validators catch broken manifests (negative controls)', () => {
  it('an unknown field, a wrong type and a missing required field are each reported', async () => {
    const base = render();
    const ds = find(base, 'DaemonSet', 'hms-sys-agent');

    expect(strict().misplaced.join('\n')).toMatch(/'"readOnly"' does not exist in type 'IContainer'/);

    const wrongType = structuredClone(ds);
    podSpec(wrongType).containers[0].ports[0].containerPort = 'ninety-four-oh-one';
    expect((await schemaErrors(wrongType)).join('\n')).toMatch(/containerPort/);

    const noName = structuredClone(ds);
    delete podSpec(noName).containers[0].name;
    expect((await schemaErrors(noName)).join('\n')).toMatch(/name/);

    const badQuantity = structuredClone(ds);
    podSpec(badQuantity).containers[0].resources.limits.memory = 'lots';
    expect((await schemaErrors(badQuantity)).join('\n')).toMatch(/memory/);

    expect(await schemaErrors({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'x' } })).not.toEqual([]);
  });

  it('a malformed file in a copy of deploy/ fails rendering or validation', () => {
    expect(strict().misindented.join('\n')).toMatch(/'"type"' does not exist in type 'IVolume'/);
    // Broken YAML: kustomize refuses it.
    expect(() => renderBrokenCopy((y) => y.replace('  selector:\n    matchLabels:', '  selector:\n   matchLabels: [oops'))).toThrow(/kustomize/);
    expect(() => parseDocs('a: [1\n', 'inline')).toThrow();
  });

  it('the consistency checks notice a dangling reference and a selector that selects nothing', () => {
    const objs = render().filter((o) => !(o.kind === 'Secret' && o.metadata.name === 'hms-sys-agent-token'));
    find(objs, 'Service', 'hms-sys-aggregator').spec.selector['app.kubernetes.io/component'] = 'aggregater';
    const errors = consistencyErrors(objs).join('\n');
    expect(errors).toMatch(/Secret hms-sys-agent-token .*missing/);
    expect(errors).toMatch(/Service\/hms-sys\/hms-sys-aggregator: selects no workload/);
  });
});
