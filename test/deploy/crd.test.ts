/**
 * The ScalingPolicy CRD: a structural schema the API server accepts, printer columns that resolve,
 * defaults that validate, and a schema that admits the HPA spec HMS-SYS implements (the example,
 * a converted HPA) and rejects what it does not. Checked on the source file, without kubectl.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, parse as parseCel } from '@marcbachmann/cel-js';
import { describe, expect, it } from 'vitest';
import { celRulesOf, customObjectValidator, defaultsOf, schemaAt, structuralErrors, type Schema } from './crdSchema.js';
import { schemaErrors } from './k8sSchema.js';
import { DEPLOY, REPO, readYamlDocs, which, type K8sObject } from './render.js';

const [crd] = readYamlDocs(join(DEPLOY, 'crds', 'scalingpolicies.hms-sys.io.yaml')) as [K8sObject];
const version = crd.spec.versions[0];
const schema: Schema = version.schema.openAPIV3Schema;
const [example] = readYamlDocs(join(DEPLOY, 'examples', 'scalingpolicy-vote-api.yaml')) as [K8sObject];
const [hpa] = readYamlDocs(join(REPO, 'test', 'deploy', 'fixtures', 'hpa-vote-api.yaml')) as [K8sObject];

/** Validates like the API server: schema (defaults applied first), then the CEL rules. */
function admit(obj: unknown): string[] {
  const o = structuredClone(obj) as K8sObject;
  const errors = customObjectValidator(schema)(o);
  if (errors.length) return errors;
  for (const { path, rule, message } of celRulesOf(schema)) {
    const self = path.split('.').filter(Boolean).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
    if (self === undefined) continue;
    if (evaluate(rule, { self }) !== true) errors.push(`${path}: ${message ?? rule}`);
  }
  return errors;
}

describe('ScalingPolicy CRD', () => {
  it('is hms-sys.io/v1 ScalingPolicy, namespaced, short name sp, with a status subresource', () => {
    expect(crd.metadata.name).toBe('scalingpolicies.hms-sys.io');
    expect(crd.spec).toMatchObject({
      group: 'hms-sys.io',
      scope: 'Namespaced',
      names: { plural: 'scalingpolicies', singular: 'scalingpolicy', kind: 'ScalingPolicy', listKind: 'ScalingPolicyList', shortNames: ['sp'] },
    });
    expect(crd.spec.versions).toHaveLength(1);
    expect(version).toMatchObject({ name: 'v1', served: true, storage: true, subresources: { status: {} } });
  });

  // Unknown fields and misspelt schema keywords (e.g. `minimun`): the strict field check of
  // manifests.test.ts, which covers the CRD as rendered in every kustomization.
  it('validates as an apiextensions.k8s.io/v1 object', async () => {
    expect(await schemaErrors(crd)).toEqual([]);
  });

  it('has a structural schema', () => {
    expect(structuralErrors(schema)).toEqual([]);
  });

  it('prints NAME CPU% TARGET MIN MAX CURRENT (as `hms-sys get hpa`), each column resolving in the schema', () => {
    const cols = version.additionalPrinterColumns as { name: string; type: string; jsonPath: string; priority?: number }[];
    const shown = cols.filter((c) => !c.priority).map((c) => c.name.toUpperCase());
    expect(shown.slice(0, 5)).toEqual(['CPU%', 'TARGET', 'MIN', 'MAX', 'CURRENT']);
    for (const c of cols) {
      if (c.jsonPath === '.metadata.creationTimestamp') {
        expect(c.type).toBe('date');
        continue;
      }
      const node = schemaAt(schema, c.jsonPath);
      expect(node, `${c.name}: ${c.jsonPath}`).toBeDefined();
      expect(node!.type, `${c.name}: ${c.jsonPath}`).toBe(c.type);
    }
  });

  it('has defaults that are valid for their field', () => {
    const found = defaultsOf(schema);
    expect(found.map((d) => d.path)).toEqual(expect.arrayContaining(['openAPIV3Schema.properties.spec.properties.minReplicas', 'openAPIV3Schema.properties.spec.properties.metrics']));
    for (const { path, node } of found) {
      const { default: value, ...rest } = node;
      expect(customObjectValidator(rest)(structuredClone(value)), path).toEqual([]);
    }
  });

  it('has CEL rules that parse', () => {
    const rules = celRulesOf(schema);
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules) expect(() => parseCel(r.rule), r.rule).not.toThrow();
  });

  it('admits the vote-api example, filling in nothing it already sets', () => {
    expect(admit(example)).toEqual([]);
    expect(example.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'vote-api' }, minReplicas: 1, maxReplicas: 50 });
    expect(example.spec.metrics[0].resource.target.averageUtilization).toBe(60);
  });

  it('applies the HPA defaults: minReplicas 1, 80 % CPU', () => {
    const o = { apiVersion: 'hms-sys.io/v1', kind: 'ScalingPolicy', metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 3 } };
    expect(customObjectValidator(schema)(o)).toEqual([]);
    expect(o.spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
  });

  // [what, mutation of the example's spec, what the rejection must mention]
  const invalid: [string, (s: K8sObject) => void, RegExp][] = [
    ['a memory metric', (s) => { s.metrics[0].resource.name = 'memory'; }, /metrics\/0\/resource\/name must be equal to one of the allowed values/],
    ['an AverageValue target', (s) => { s.metrics[0].resource.target = { type: 'AverageValue', averageValue: '500m' }; }, /target\/type must be equal to one of the allowed values/],
    ['a Pods metric', (s) => { s.metrics[0] = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } } }; }, /metrics\/0\/type must be equal to one of the allowed values/],
    ['two metrics', (s) => { s.metrics.push(structuredClone(s.metrics[0])); }, /metrics must NOT have more than 1 items/],
    ['an empty metrics list', (s) => { s.metrics = []; }, /metrics must NOT have fewer than 1 items/],
    ['a StatefulSet target', (s) => { s.scaleTargetRef.kind = 'StatefulSet'; }, /scaleTargetRef\/kind must be equal to one of the allowed values/],
    ['minReplicas 0', (s) => { s.minReplicas = 0; }, /minReplicas must be >= 1/],
    ['minReplicas above maxReplicas (CEL)', (s) => { s.minReplicas = 60; }, /\.spec: minReplicas must be less than or equal to maxReplicas/],
    ['no maxReplicas', (s) => { delete s.maxReplicas; }, /must have required property 'maxReplicas'/],
    ['a stabilization window over an hour', (s) => { s.behavior.scaleDown.stabilizationWindowSeconds = 3601; }, /stabilizationWindowSeconds must be <= 3600/],
    ['a policy period over 30 minutes', (s) => { s.behavior.scaleUp.policies[0].periodSeconds = 1801; }, /periodSeconds must be <= 1800/],
    ['a policy value of 0', (s) => { s.behavior.scaleUp.policies[0].value = 0; }, /value must be >= 1/],
    ['an unknown policy type', (s) => { s.behavior.scaleUp.policies[0].type = 'Nodes'; }, /policies\/0\/type must be equal to one of the allowed values/],
    ['an unknown selectPolicy', (s) => { s.behavior.scaleUp.selectPolicy = 'Fastest'; }, /selectPolicy must be equal to one of the allowed values/],
    ['a tolerance written as a quantity', (s) => { s.behavior.scaleUp.tolerance = '50m'; }, /tolerance must be number/],
    ['an unknown field (typo)', (s) => { s.maxReplica = 5; }, /must NOT have additional properties \(maxReplica\)/],
    ['replicas as a string', (s) => { s.maxReplicas = '50'; }, /maxReplicas must be integer/],
  ];
  for (const [what, mutate, reason] of invalid) {
    it(`rejects ${what}`, () => {
      const o = structuredClone(example);
      mutate(o.spec);
      expect(admit(o).join('\n')).toMatch(reason);
    });
  }

  it('accepts behavior with a tolerance and selectPolicy Disabled', () => {
    const o = structuredClone(example);
    o.spec.behavior.scaleUp.tolerance = 0.05;
    o.spec.behavior.scaleDown.selectPolicy = 'Disabled';
    expect(admit(o)).toEqual([]);
  });

  it('the structural check itself catches violations (negative control)', () => {
    const broken: Schema = structuredClone(schema);
    delete broken.properties.spec.properties.maxReplicas.type;
    broken.properties.spec.properties.scaleTargetRef.additionalProperties = { type: 'string' };
    broken.properties.status.properties.conditions.items.required = ['status'];
    broken.properties.spec.anyOf = [{ properties: { ghost: { type: 'string' } } }];
    const errors = structuralErrors(broken).join('\n');
    expect(errors).toMatch(/maxReplicas: type must be set/);
    expect(errors).toMatch(/scaleTargetRef: properties and additionalProperties are mutually exclusive/);
    expect(errors).toMatch(/list map key type must be required or defaulted/);
    expect(errors).toMatch(/ghost, which is not specified outside/);
    expect(errors).toMatch(/"type" is not allowed inside allOf/);
  });
});

describe('migrating from an HPA (deploy/examples/migrate-from-hpa.md)', () => {
  const doc = readFileSync(join(DEPLOY, 'examples', 'migrate-from-hpa.md'), 'utf8');
  const filter = /jq '(\{apiVersion: "hms-sys\.io\/v1"[\s\S]*?)' "hpa-\$NAME\.json"/.exec(doc)?.[1];
  const JQ = which('jq');
  if (!JQ) console.warn('[test/deploy] SKIPPED the documented jq conversion: jq not found on PATH (apt-get install jq)');

  it('the fixture is a valid autoscaling/v2 HPA (strict field check: manifests.test.ts)', async () => {
    expect(await schemaErrors(hpa)).toEqual([]);
  });

  it('the guide documents export, delete, apply in that order', () => {
    const steps = ['get horizontalpodautoscalers.v2.autoscaling', 'kubectl apply --dry-run=server', 'delete hpa', 'kubectl apply -f "scalingpolicy-'];
    const at = steps.map((s) => doc.indexOf(s));
    expect(at.every((i) => i >= 0), JSON.stringify(steps)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(filter).toBeDefined();
  });

  it.skipIf(!JQ)('the documented jq command turns the HPA into a ScalingPolicy with the same spec, which the CRD admits', () => {
    const r = spawnSync(JQ!, [filter!], { input: JSON.stringify(hpa), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const sp = JSON.parse(r.stdout) as K8sObject;
    expect(sp).toEqual({ apiVersion: 'hms-sys.io/v1', kind: 'ScalingPolicy', metadata: { name: 'vote-api', namespace: 'default' }, spec: hpa.spec });
    expect(admit(sp)).toEqual([]);
    // Same spec as the shipped example, apart from the behavior the seed's HPA did not set.
    const { behavior: _unused, ...exampleSpec } = example.spec;
    expect(sp.spec).toEqual(exampleSpec);
  });

  it('an HPA on memory is refused by the CRD, so the dry run stops the migration before the delete', () => {
    const mem = structuredClone(hpa);
    mem.spec.metrics.push({ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } });
    expect(admit({ apiVersion: 'hms-sys.io/v1', kind: 'ScalingPolicy', metadata: { name: 'x' }, spec: mem.spec }).join('\n')).toMatch(/metrics must NOT have more than 1 items/);
  });
});
