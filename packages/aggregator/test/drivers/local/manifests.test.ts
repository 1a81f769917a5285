import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/drivers/local/manifests.js';

const deployment = (container: string, extra = ''): string => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: vote-api }
spec:
  ${extra}
  selector: { matchLabels: { app: vote-api } }
  template:
    metadata: { labels: { app: vote-api } }
    spec:
      containers:
${container}
`;

describe('manifests', () => {
  it('parses the Deployment subset with defaults', () => {
    const { manifests, warnings } = parseManifests(
      deployment(`        - name: vote-api
          image: govregistry/vote:1.0
          command: ["node", "-e", "setInterval(()=>{},1000)"]
          args: ["--port", "8080"]
          env: [ { name: PORT, value: "8080" } ]
          ports: [ { containerPort: 8080 } ]
          resources: { requests: { cpu: 250m, memory: 64Mi }, limits: { cpu: "0.5" } }
          readinessProbe: { httpGet: { port: 8080, path: /healthz }, periodSeconds: 2 }`),
    );
    expect(manifests).toHaveLength(1);
    const d = manifests[0]!;
    expect(d).toMatchObject({ kind: 'Deployment', namespace: 'default', name: 'vote-api', replicas: undefined, selector: { app: 'vote-api' } });
    if (d.kind !== 'Deployment') throw new Error('kind');
    expect(d.template.terminationGracePeriodSeconds).toBe(30);
    expect(d.template.containers[0]).toMatchObject({
      name: 'vote-api',
      image: 'govregistry/vote:1.0',
      command: ['node', '-e', 'setInterval(()=>{},1000)'],
      args: ['--port', '8080'],
      env: [{ name: 'PORT', value: '8080' }],
      cpuRequestMilli: 250,
      cpuLimitMilli: 500,
      readinessProbe: { action: { kind: 'httpGet', port: 8080, path: '/healthz' }, periodSeconds: 2, failureThreshold: 3, initialDelaySeconds: 0 },
    });
    expect(warnings.join('\n')).toMatch(/memory is not enforced/);
  });

  it('parses multi-document YAML with a PodDisruptionBudget, and JSON', () => {
    const text = `${deployment('        - { name: c, command: [sleep, "100"] }', 'replicas: 3')}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: vote-pdb, namespace: default }
spec: { minAvailable: 50%, selector: { matchLabels: { app: vote-api } } }
`;
    const { manifests } = parseManifests(text);
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'PodDisruptionBudget']);
    expect(manifests[0]).toMatchObject({ replicas: 3 });
    expect(manifests[1]).toEqual({ kind: 'PodDisruptionBudget', namespace: 'default', name: 'vote-pdb', selector: { app: 'vote-api' }, minAvailable: '50%' });
    const json = JSON.stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1, selector: { matchLabels: { a: 'b' } } } });
    expect(parseManifests(json).manifests[0]).toMatchObject({ maxUnavailable: 1 });
  });

  it('names the field that is wrong', () => {
    expect(() => parseManifests(deployment('        - { name: c, command: "sleep 5" }'))).toThrow('Deployment default/vote-api: spec.template.spec.containers[0].command must be a list of strings');
    expect(() => parseManifests(deployment('        - { name: c, image: nginx }'))).toThrow(/containers\[0\]\.command is required: the local driver runs processes, not images.*nginx/);
    expect(() => parseManifests(deployment('        - { name: c, command: [x], resources: { requests: { cpu: lots } } }'))).toThrow(/containers\[0\]\.resources\.requests\.cpu must be a CPU quantity/);
    expect(() => parseManifests(deployment('        - { name: c, command: [x], env: [ { name: N, value: 5 } ] }'))).toThrow(/env\[0\]\.value must be a string/);
    expect(() => parseManifests(deployment('        - { name: c, command: [x] }', 'replicas: -1'))).toThrow(/spec\.replicas must be an integer >= 0/);
    expect(() => parseManifests(deployment('        - { name: c, command: [x], readinessProbe: { periodSeconds: 1 } }'))).toThrow(/readinessProbe must have exactly one of exec, httpGet or tcpSocket/);
    expect(() => parseManifests(deployment('        - { name: Bad_Name, command: [x] }'))).toThrow(/containers\[0\]\.name must be lower-case/);
  });

  it('refuses unknown kinds and wrong apiVersions', () => {
    expect(() => parseManifests('apiVersion: v1\nkind: Service\nmetadata: {name: s}\n')).toThrow(/kind Service is not supported by the local driver/);
    expect(() => parseManifests('apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: s}\n')).toThrow(/needs apiVersion apps\/v1/);
    expect(() => parseManifests('')).toThrow(/empty/);
    expect(() => parseManifests('a: [')).toThrow(/YAML document 1 is not valid/);
  });

  it('checks selector against template labels and PDB fields', () => {
    const bad = deployment('        - { name: c, command: [x] }').replace('selector: { matchLabels: { app: vote-api } }', 'selector: { matchLabels: { app: other } }');
    expect(() => parseManifests(bad)).toThrow(/spec\.selector\.matchLabels does not match spec\.template\.metadata\.labels/);
    expect(() => parseManifests('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: 1, maxUnavailable: 1}')).toThrow(/only one of minAvailable and maxUnavailable/);
    expect(() => parseManifests('apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\nspec: {minAvailable: "x%"}')).toThrow(/spec\.minAvailable must be a non-negative integer or a percentage/);
  });
});
