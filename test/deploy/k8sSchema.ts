/**
 * Offline validation of rendered objects against the Kubernetes OpenAPI schemas.
 *
 * Two layers, both from kubernetes-models (generated from the Kubernetes OpenAPI spec):
 *  1. schema: the model's compiled validator (types, required fields, enums, formats, quantities);
 *  2. strict fields: the model's TypeScript interface, type-checked with the TypeScript compiler.
 *     An object literal with a property the interface lacks is an error at any depth — the offline
 *     equivalent of `kubectl apply`'s strict field validation ("unknown field …"), which the
 *     compiled validators do not do (they accept additional properties).
 */
import { join } from 'node:path';
import ts from 'typescript';
import { REPO, ref, type K8sObject } from './render.js';

/** Module that holds the model for an apiVersion/kind; undefined for groups we have no models for. */
export function modelModule(apiVersion: string, kind: string): string | undefined {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  if (group.endsWith('hms-sys.io')) return undefined;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** Errors of the compiled OpenAPI validator for one object; [] when valid. */
export async function schemaErrors(o: K8sObject): Promise<string[]> {
  const mod = modelModule(o.apiVersion, o.kind);
  if (!mod) return [`no OpenAPI model for ${o.apiVersion} ${o.kind}`];
  let Model: ModelClass | undefined;
  try {
    Model = ((await import(mod)) as Record<string, ModelClass | undefined>)[o.kind];
  } catch (err) {
    return [`no OpenAPI model for ${o.apiVersion} ${o.kind} (${(err as Error).message})`];
  }
  if (!Model) return [`no OpenAPI model for ${o.apiVersion} ${o.kind}`];
  const data = structuredClone(o);
  // kustomize wraps long base64 values over several lines; the API server (Go's base64 decoder)
  // ignores the line breaks, the generated validator's "byte" format does not.
  if (o.kind === 'Secret' && o.apiVersion === 'v1' && data.data) {
    for (const k of Object.keys(data.data)) if (typeof data.data[k] === 'string') data.data[k] = data.data[k].replace(/[\r\n]/g, '');
  }
  try {
    new Model(data).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

/**
 * Unknown-field errors for each object, keyed by its index in `objs` (objects without a model are
 * skipped: their schema check reports them). One TypeScript program for all objects (~2 s).
 */
export function strictFieldErrors(objs: readonly K8sObject[]): Map<number, string[]> {
  const file = join(REPO, 'test', 'deploy', '__strict_fields_check__.ts');
  const imports = new Map<string, string>();
  const lines: string[] = [];
  const ranges: { index: number; from: number; to: number }[] = [];
  objs.forEach((o, index) => {
    const mod = modelModule(o.apiVersion, o.kind);
    if (!mod) return;
    let alias = imports.get(mod);
    if (!alias) {
      alias = `T${imports.size}`;
      imports.set(mod, alias);
    }
    const body = `export const o${index}: ${alias} = ${JSON.stringify(o, null, 1)};`.split('\n');
    ranges.push({ index, from: lines.length, to: lines.length + body.length - 1 });
    lines.push(...body);
  });
  const header = [...imports].map(([mod, alias]) => `import type { I${mod.split('/').pop()} as ${alias} } from ${JSON.stringify(mod)};`);
  const source = [...header, ...lines].join('\n');
  const offset = header.length;

  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === file ? ts.createSourceFile(name, source, lang, true) : getSourceFile(name, lang, ...rest);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram([file], options, host);
  const sf = program.getSourceFile(file);
  if (!sf) throw new Error('strict field check: virtual source not loaded');

  const out = new Map<number, string[]>();
  for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.start === undefined ? -1 : sf.getLineAndCharacterOfPosition(d.start).line - offset;
    const hit = ranges.find((r) => line >= r.from && line <= r.to);
    if (!hit) throw new Error(`strict field check: ${msg}`); // an import failed: the model is missing
    const o = objs[hit.index]!;
    const where = line - hit.from;
    const list = out.get(hit.index) ?? [];
    list.push(`${ref(o)}: ${msg.split('\n')[0]} (line ${where + 1} of its JSON)`);
    out.set(hit.index, list);
  }
  return out;
}
