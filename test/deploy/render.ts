/**
 * Offline rendering of deploy/ with `kubectl kustomize`, for the deploy tests.
 * Components are rendered through a temporary kustomization beside the repository (kustomize
 * refuses absolute paths and overlays inside the base), exactly as a user's overlay would use them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEPLOY = join(REPO, 'deploy');
export const COMPONENTS = ['patch-executor', 'prometheus-operator', 'ha'] as const;
export type Component = (typeof COMPONENTS)[number];

/** A rendered Kubernetes object (loosely typed: the tests check shapes themselves). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type K8sObject = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};
/** Any part of a manifest (pod spec, container, volume …). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;

/** Finds a command on PATH; undefined when absent. */
export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

export const KUBECTL = which('kubectl');
/** Why the rendering tests cannot run, or undefined when they can. */
export const KUBECTL_MISSING = KUBECTL
  ? undefined
  : 'kubectl not found on PATH: the deploy/ rendering tests need `kubectl kustomize` (kubectl >= 1.27)';

/** Parses a multi-document YAML stream; throws on any YAML error; drops empty documents. */
export function parseDocs(text: string, source: string): K8sObject[] {
  const out: K8sObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const v: unknown = doc.toJS();
    if (v === null || v === undefined) continue;
    out.push(v as K8sObject);
  }
  return out;
}

export function readYaml(path: string): unknown {
  return parseYaml(readFileSync(path, 'utf8'));
}

export function readYamlDocs(path: string): K8sObject[] {
  return parseDocs(readFileSync(path, 'utf8'), path);
}

/** `kubectl kustomize DIR`, parsed. */
export function kustomize(dir: string): K8sObject[] {
  if (!KUBECTL) throw new Error(KUBECTL_MISSING);
  let out: string;
  try {
    out = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 32 << 20 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`kubectl kustomize ${dir} failed: ${e.stderr?.trim() || e.message}`);
  }
  return parseDocs(out, `kustomize ${dir}`);
}

const cache = new Map<string, K8sObject[]>();

/**
 * Renders deploy/ plus the given components through a temporary overlay. Returns a fresh deep copy
 * each call, so tests may mutate what they get.
 */
export function render(components: readonly Component[] = []): K8sObject[] {
  const key = [...components].sort().join(',');
  let objs = cache.get(key);
  if (!objs) {
    if (components.length === 0) {
      objs = kustomize(DEPLOY);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'hms-sys-kz-'));
      try {
        const rel = relative(dir, DEPLOY);
        writeFileSync(
          join(dir, 'kustomization.yaml'),
          [
            'apiVersion: kustomize.config.k8s.io/v1beta1',
            'kind: Kustomization',
            'resources:',
            `  - ${rel}`,
            'components:',
            ...components.map((c) => `  - ${rel}/components/${c}`),
            '',
          ].join('\n'),
        );
        objs = kustomize(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    cache.set(key, objs);
  }
  return structuredClone(objs);
}

/** The token-creating shell lines documented at the top of the install overlay's kustomization. */
export function installOverlayTokenCommands(): string[] {
  const text = readFileSync(join(DEPLOY, 'examples', 'install-overlay', 'kustomization.yaml'), 'utf8');
  return text
    .split('\n')
    .map((l) => /^#\s+((?:umask|openssl|cp agent-token|printf)\b.*)$/.exec(l)?.[1])
    .filter((c): c is string => c !== undefined);
}

/**
 * Renders deploy/examples/install-overlay as a user would: copied next to the checkout (reached
 * through a symlink named "hms-sys"), tokens created by the commands its comments document.
 */
export function renderInstallOverlay(): { objects: K8sObject[]; tokens: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'hms-sys-install-'));
  try {
    symlinkSync(REPO, join(dir, 'hms-sys'));
    const inst = join(dir, 'install');
    cpSync(join(DEPLOY, 'examples', 'install-overlay'), inst, { recursive: true });
    const sh = spawnSync('sh', ['-ec', installOverlayTokenCommands().join('\n')], { cwd: inst, encoding: 'utf8' });
    if (sh.status !== 0) throw new Error(`the documented token commands failed: ${sh.stderr}`);
    const tokens = Object.fromEntries(['agent-token', 'agent-tokens', 'api-tokens'].map((f) => [f, readFileSync(join(inst, f), 'utf8')]));
    return { objects: kustomize(inst), tokens };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function find(objs: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objs.find((x) => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind} ${name} among ${objs.map((x) => `${x.kind}/${x.metadata?.name}`).join(', ')}`);
  return o;
}

export function ref(o: K8sObject): string {
  return `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

/** Pod template spec of a workload object (DaemonSet, Deployment, StatefulSet). */
export function podSpec(o: K8sObject): Loose {
  const spec = o.spec?.template?.spec;
  if (!spec) throw new Error(`${ref(o)} has no pod template`);
  return spec;
}
