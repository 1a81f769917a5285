/**
 * Offline checks of a CustomResourceDefinition's openAPIV3Schema, as the API server does them:
 * structural-schema rules, and validation of custom objects (with pruning treated as an error,
 * like `kubectl apply`'s strict field validation, and defaults applied like the API server does).
 * Rules: https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */
import AjvModule from 'ajv';
import type { ErrorObject } from 'ajv';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Schema = Record<string, any>;

const JUNCTORS = ['allOf', 'anyOf', 'oneOf', 'not'] as const;
/** Keywords the API server rejects in apiextensions.k8s.io/v1 schemas. */
const FORBIDDEN = ['$ref', '$schema', 'definitions', 'dependencies', 'patternProperties', 'additionalItems', 'id'];
/** Not allowed inside allOf/anyOf/oneOf/not (value validations only). */
const NOT_IN_JUNCTOR = ['description', 'type', 'default', 'additionalProperties', 'nullable', 'title'];
const SCALAR = new Set(['string', 'integer', 'number', 'boolean']);

function isIntOrStringPattern(s: Schema): boolean {
  const alts = s.anyOf ?? s.allOf?.[0]?.anyOf;
  return Array.isArray(alts) && alts.length === 2 && alts[0]?.type === 'integer' && alts[1]?.type === 'string';
}

/** Structural-schema violations; [] when the schema is structural. */
export function structuralErrors(root: Schema): string[] {
  const errors: string[] = [];
  const err = (path: string, msg: string): void => void errors.push(`${path}: ${msg}`);

  const walk = (s: Schema, path: string, inJunctor: boolean): void => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) return err(path, 'schema must be an object');
    for (const k of FORBIDDEN) if (k in s) err(path, `"${k}" is not allowed`);
    if (s.uniqueItems === true) err(path, 'uniqueItems: true is not allowed');
    if (s['x-kubernetes-preserve-unknown-fields'] === false) err(path, 'x-kubernetes-preserve-unknown-fields must be true or absent');
    if (Array.isArray(s.items)) err(path, 'items must be a single schema, not a list');
    if (s.properties && s.additionalProperties !== undefined) err(path, 'properties and additionalProperties are mutually exclusive');
    const intOrString = s['x-kubernetes-int-or-string'] === true;
    if (inJunctor) {
      for (const k of NOT_IN_JUNCTOR) if (k in s && !(k === 'type' && intOrString)) err(path, `"${k}" is not allowed inside allOf/anyOf/oneOf/not`);
      for (const k of Object.keys(s)) if (k.startsWith('x-kubernetes-')) err(path, `"${k}" is not allowed inside allOf/anyOf/oneOf/not`);
    } else {
      const typeOk = typeof s.type === 'string' && s.type !== '';
      if (!typeOk && !intOrString && s['x-kubernetes-preserve-unknown-fields'] !== true) err(path, 'type must be set (structural schema)');
      if (intOrString && s.type !== undefined) err(path, 'x-kubernetes-int-or-string: true must not set a type');
      if (s['x-kubernetes-embedded-resource'] === true && s.type !== 'object') err(path, 'x-kubernetes-embedded-resource needs type: object');
    }
    if (s.properties && !inJunctor && s.type !== 'object') err(path, 'properties need type: object');
    if (s.items && !inJunctor && s.type !== 'array') err(path, 'items need type: array');
    if (s.type === 'array' && !s.items && !inJunctor) err(path, 'arrays must specify items');

    const listType = s['x-kubernetes-list-type'];
    if (listType !== undefined) {
      if (!['atomic', 'set', 'map'].includes(listType)) err(path, `unknown x-kubernetes-list-type ${listType}`);
      if (s.type !== 'array') err(path, 'x-kubernetes-list-type needs type: array');
    }
    const keys = s['x-kubernetes-list-map-keys'];
    if (keys !== undefined && listType !== 'map') err(path, 'x-kubernetes-list-map-keys needs x-kubernetes-list-type: map');
    if (listType === 'map') {
      if (!Array.isArray(keys) || keys.length === 0) err(path, 'x-kubernetes-list-type: map needs x-kubernetes-list-map-keys');
      const item: Schema = s.items ?? {};
      if (item.type !== 'object') err(path, 'x-kubernetes-list-type: map needs object items');
      for (const k of Array.isArray(keys) ? keys : []) {
        const ks: Schema | undefined = item.properties?.[k];
        if (!ks) err(path, `list map key ${k} is not a property of the items`);
        else if (!SCALAR.has(ks.type)) err(path, `list map key ${k} must be a scalar`);
        if (ks && !(item.required ?? []).includes(k) && ks.default === undefined) err(path, `list map key ${k} must be required or defaulted`);
      }
    }
    for (const [name, sub] of Object.entries<Schema>(s.properties ?? {})) walk(sub, `${path}.properties.${name}`, inJunctor);
    if (s.items && !Array.isArray(s.items)) walk(s.items, `${path}.items`, inJunctor);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.additionalProperties`, inJunctor);
    for (const j of JUNCTORS) {
      const subs: Schema[] = j === 'not' ? (s.not ? [s.not] : []) : (s[j] ?? []);
      subs.forEach((sub, i) => {
        walk(sub, `${path}.${j}[${i}]`, true);
        // Every field a junctor mentions must also be specified outside it.
        for (const name of Object.keys(sub.properties ?? {})) {
          if (!s.properties?.[name]) err(path, `${j}[${i}] mentions property ${name}, which is not specified outside the junctor`);
        }
        if (sub.items && !s.items) err(path, `${j}[${i}] specifies items, which are not specified outside the junctor`);
      });
      if (j !== 'not' && s[j] && !Array.isArray(s[j])) err(path, `${j} must be a list`);
    }
    if (intOrString && !inJunctor && (s.anyOf || s.allOf) && !isIntOrStringPattern(s)) err(path, 'x-kubernetes-int-or-string only allows anyOf [integer, string]');
  };

  if (root.type !== 'object') err('openAPIV3Schema', 'the root must have type: object');
  walk(root, 'openAPIV3Schema', false);
  // metadata: only restrictions on name and generateName.
  const meta: Schema | undefined = root.properties?.metadata;
  if (meta) {
    const extra = Object.keys(meta).filter((k) => !['type', 'properties', 'description'].includes(k));
    if (extra.length) err('openAPIV3Schema.properties.metadata', `only restrictions on name/generateName are allowed (found ${extra.join(', ')})`);
    const props = Object.keys(meta.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
    if (props.length) err('openAPIV3Schema.properties.metadata', `only name/generateName may be restricted (found ${props.join(', ')})`);
  }
  return errors;
}

/** Looks up the schema node a printer-column jsonPath like `.spec.metrics[0].x` points to. */
export function schemaAt(root: Schema, jsonPath: string): Schema | undefined {
  if (!jsonPath.startsWith('.')) return undefined;
  let node: Schema | undefined = root;
  for (const part of jsonPath.slice(1).split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m || !node) return undefined;
    const name = m[1]!;
    if (node === root && name === 'metadata') return { type: 'object' }; // ObjectMeta is implicit
    node = node.properties?.[name] as Schema | undefined;
    for (let n = (m[2] ?? '').length / 3; n > 0 && node; n--) node = node.items as Schema | undefined;
  }
  return node;
}

/**
 * JSON Schema for ajv from an openAPIV3Schema: unknown fields become errors (the API server
 * prunes them, and `kubectl apply` rejects them), x-kubernetes-* extensions are dropped.
 */
export function toJsonSchema(s: Schema, isRoot = true): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-')) continue;
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries<Schema>(v).map(([n, sub]) => [n, isRoot && n === 'metadata' ? { type: 'object' } : toJsonSchema(sub, false)]));
    else if (k === 'items' || k === 'additionalProperties' || k === 'not') out[k] = typeof v === 'object' ? toJsonSchema(v, false) : v;
    else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') out[k] = (v as Schema[]).map((sub) => toJsonSchema(sub, false));
    else out[k] = v;
  }
  if (s.type === 'object' && s.properties && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

type AjvClass = typeof AjvModule.default;
const Ajv = ((AjvModule as unknown as { default?: AjvClass }).default ?? AjvModule) as AjvClass;

/** A validator for custom objects of a CRD version; applies schema defaults to the object it checks. */
export function customObjectValidator(openAPIV3Schema: Schema): (obj: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, useDefaults: true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('date-time', { type: 'string', validate: (t: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(t) && !Number.isNaN(Date.parse(t)) });
  const validate = ajv.compile(toJsonSchema(openAPIV3Schema));
  return (obj: unknown): string[] => {
    if (validate(obj)) return [];
    return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  };
}

/** Every `default` in the schema, with the schema node it belongs to. */
export function defaultsOf(s: Schema, path = 'openAPIV3Schema'): { path: string; node: Schema }[] {
  const out: { path: string; node: Schema }[] = [];
  if ('default' in s) out.push({ path, node: s });
  for (const [n, sub] of Object.entries<Schema>(s.properties ?? {})) out.push(...defaultsOf(sub, `${path}.properties.${n}`));
  if (s.items && typeof s.items === 'object') out.push(...defaultsOf(s.items, `${path}.items`));
  return out;
}

/** Every x-kubernetes-validations rule with the schema path it sits on. */
export function celRulesOf(s: Schema, path = ''): { path: string; rule: string; message?: string }[] {
  const out: { path: string; rule: string; message?: string }[] = [];
  for (const v of (s['x-kubernetes-validations'] ?? []) as { rule: string; message?: string }[]) out.push({ path, rule: v.rule, message: v.message });
  for (const [n, sub] of Object.entries<Schema>(s.properties ?? {})) out.push(...celRulesOf(sub, `${path}.${n}`));
  if (s.items && typeof s.items === 'object') out.push(...celRulesOf(s.items, `${path}[]`));
  return out;
}
