/**
 * The least-privilege properties a reviewer checks in deploy/, asserted on the rendered objects of
 * the base and of every component.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPONENTS, DEPLOY, KUBECTL_MISSING, find, podSpec, ref, render, type Component, type K8sObject, type Loose } from './render.js';

const SKIP = KUBECTL_MISSING !== undefined && !process.env.CI;
if (SKIP) console.warn(`[test/deploy] SKIPPED: ${KUBECTL_MISSING}`);

type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*']);

/** (group, resource, verb[, name]) tuples granted by a list of rules, sorted. */
function grants(rules: Rule[]): string[] {
  const out: string[] = [];
  for (const r of rules) {
    for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) for (const v of r.verbs) {
      out.push(`${g || 'core'} ${res} ${v}${r.resourceNames ? ` [${[...r.resourceNames].sort().join(',')}]` : ''}`);
    }
  }
  return out.sort();
}

function rolesBoundTo(objs: K8sObject[], sa: string): K8sObject[] {
  return objs
    .filter((o) => (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && (o.subjects ?? []).some((s: { kind: string; name: string }) => s.kind === 'ServiceAccount' && s.name === sa))
    .map((b) => find(objs, b.roleRef.kind, b.roleRef.name));
}

const AGGREGATOR_CLUSTER_GRANTS = [
  'apps deployments get', 'apps deployments list', 'apps deployments watch',
  'apps replicasets get', 'apps replicasets list', 'apps replicasets watch',
  'apps deployments/scale get', 'apps deployments/scale patch', 'apps deployments/scale update',
  'core pods get', 'core pods list', 'core pods watch',
  'core pods/eviction create',
  'core nodes get', 'core nodes list', 'core nodes watch', 'core nodes patch',
  'policy poddisruptionbudgets get', 'policy poddisruptionbudgets list', 'policy poddisruptionbudgets watch',
  'hms-sys.io scalingpolicies get', 'hms-sys.io scalingpolicies list', 'hms-sys.io scalingpolicies watch',
  'hms-sys.io scalingpolicies create', 'hms-sys.io scalingpolicies update', 'hms-sys.io scalingpolicies patch', 'hms-sys.io scalingpolicies delete',
  'hms-sys.io scalingpolicies/status get', 'hms-sys.io scalingpolicies/status patch', 'hms-sys.io scalingpolicies/status update',
  'core events create', 'events.k8s.io events create',
].sort();
const AGGREGATOR_NAMESPACED_GRANTS = [
  'coordination.k8s.io leases get [hms-sys-aggregator]', 'coordination.k8s.io leases update [hms-sys-aggregator]', 'coordination.k8s.io leases create',
].sort();

const ALL_RENDERS: [string, Component[]][] = [['base', []], ...COMPONENTS.map((c): [string, Component[]] => [c, [c]]), ['all components', [...COMPONENTS]]];

describe.skipIf(SKIP)('RBAC is least-privilege in every rendering', () => {
  for (const [name, comps] of ALL_RENDERS) {
    it(`${name}: the agent has no API access, the aggregator exactly its documented rights`, () => {
      const objs = render(comps);
      // Agent: no token, no binding at all.
      expect(find(objs, 'ServiceAccount', 'hms-sys-agent').automountServiceAccountToken).toBe(false);
      expect(podSpec(find(objs, 'DaemonSet', 'hms-sys-agent')).automountServiceAccountToken).toBe(false);
      expect(rolesBoundTo(objs, 'hms-sys-agent').map(ref)).toEqual([]);

      const roles = rolesBoundTo(objs, 'hms-sys-aggregator');
      const clusterGrants = grants(roles.filter((r) => r.kind === 'ClusterRole').flatMap((r) => r.rules as Rule[]));
      const nsGrants = grants(roles.filter((r) => r.kind === 'Role').flatMap((r) => r.rules as Rule[]));
      expect(clusterGrants).toEqual(AGGREGATOR_CLUSTER_GRANTS);
      const haExtra: string[] = []; // components/ha needs no extra rights: readiness routes to the leader
      expect(nsGrants).toEqual([...AGGREGATOR_NAMESPACED_GRANTS, ...haExtra].sort());
      for (const r of roles) expect(r.kind === 'ClusterRole' || r.metadata.namespace === 'hms-sys', `${ref(r)} namespace`).toBe(true);

      // No wildcard anywhere, nothing on HPAs or Secrets, no escalation verbs, no non-resource URLs.
      for (const role of objs.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')) {
        for (const r of role.rules as Rule[]) {
          const all = [...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs];
          expect(all, `${ref(role)} uses a wildcard`).not.toContain('*');
          expect(r.apiGroups ?? [], `${ref(role)} touches autoscaling`).not.toContain('autoscaling');
          expect((r.resources ?? []).filter((x) => x === 'horizontalpodautoscalers' || x === 'secrets'), `${ref(role)}`).toEqual([]);
          // Writes on pods themselves only by name (components/ha: the two aggregator pods' label).
          if ((r.resources ?? []).includes('pods') && r.verbs.some((v) => WRITE_VERBS.has(v))) {
            expect(r.resourceNames, `${ref(role)} writes any pod`).toEqual(['hms-sys-aggregator-0', 'hms-sys-aggregator-1']);
          }
          // delete only on its own rules (DELETE /v1/autoscalers in Kubernetes mode removes the ScalingPolicy).
          const deletable = (r.resources ?? []).every((x) => x === 'scalingpolicies');
          expect(r.verbs.filter((v) => ['escalate', 'bind', 'impersonate', 'deletecollection', ...(deletable ? [] : ['delete'])].includes(v)), `${ref(role)}`).toEqual([]);
          expect(r.nonResourceURLs, `${ref(role)} nonResourceURLs`).toBeUndefined();
        }
      }
    });
  }
});

/** hostPath volumes of a pod spec, by volume name. */
function hostPaths(spec: Loose): Map<string, { path: string; type?: string }> {
  return new Map((spec.volumes ?? []).filter((v: Loose) => v.hostPath).map((v: Loose) => [v.name, v.hostPath]));
}

function envOf(c: Loose): Record<string, unknown> {
  return Object.fromEntries((c.env ?? []).map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));
}

describe.skipIf(SKIP)('agent DaemonSet', () => {
  const ds = (): K8sObject => find(render(), 'DaemonSet', 'hms-sys-agent');

  it('runs on every node: tolerates all taints, system-node-critical, rolls 10 % at a time', () => {
    const d = ds();
    const spec = podSpec(d);
    expect(spec.priorityClassName).toBe('system-node-critical');
    const tol = spec.tolerations as { key?: string; operator?: string; effect?: string }[];
    const all = tol.some((t) => t.operator === 'Exists' && !t.key && !t.effect);
    const perEffect = ['NoSchedule', 'NoExecute', 'PreferNoSchedule'].every((e) => tol.some((t) => t.operator === 'Exists' && !t.key && t.effect === e));
    expect(all || perEffect, JSON.stringify(tol)).toBe(true);
    expect(d.spec.updateStrategy.type).toBe('RollingUpdate');
    expect(['10%', 1]).toContain(d.spec.updateStrategy.rollingUpdate.maxUnavailable);
    expect(spec.nodeSelector?.['kubernetes.io/os']).toBe('linux');
  });

  it('is configured through HMS_SYS_* variables: node name from the downward API, host root /host', () => {
    const c = podSpec(ds()).containers[0];
    expect(c.args).toEqual(['agent']);
    const env = envOf(c);
    expect(env.HMS_SYS_NODE).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(env.HMS_SYS_HOST_ROOT).toBe('/host');
    expect(env.HMS_SYS_INTERVAL).toBe('1s');
    expect(env.HMS_SYS_STATE_DIR).toBe('/var/lib/hms-sys');
    expect(env.HMS_SYS_METRICS_LISTEN).toBe('0.0.0.0:9401'); // the agent's default is loopback only
    expect(env.HMS_SYS_CGROUP_ROOT).toBeUndefined(); // default <host-root>/sys/fs/cgroup
    expect(env.HMS_SYS_AGGREGATOR).toMatch(/^wss?:\/\/hms-sys-aggregator(\.[a-z0-9.-]+)?:9400\/v1\/agents\/stream$/);
    const tokenFile = env.HMS_SYS_TOKEN_FILE as string;
    const mount = c.volumeMounts.find((m: { mountPath: string }) => tokenFile.startsWith(`${m.mountPath}/`));
    const vol = podSpec(ds()).volumes.find((v: Loose) => v.name === mount?.name);
    expect(vol?.secret?.secretName).toBe('hms-sys-agent-token');
    expect(mount.readOnly).toBe(true);
  });

  it('mounts host paths read-only, except its own state directory', () => {
    const spec = podSpec(ds());
    const hp = hostPaths(spec);
    expect(Object.fromEntries([...hp].map(([n, h]) => [h.path, h.type]))).toEqual({
      '/proc': 'Directory', '/sys/fs/cgroup': 'Directory', '/etc/os-release': 'File', '/var/lib/hms-sys': 'DirectoryOrCreate',
    });
    const c = spec.containers[0];
    const at = (name: string): Loose => c.volumeMounts.find((m: { name: string }) => m.name === name);
    const byPath = new Map([...hp].map(([n, h]) => [h.path, n]));
    expect(at(byPath.get('/proc')!)).toMatchObject({ mountPath: '/host/proc', readOnly: true });
    expect(at(byPath.get('/sys/fs/cgroup')!)).toMatchObject({ mountPath: '/host/sys/fs/cgroup', readOnly: true });
    expect(at(byPath.get('/etc/os-release')!)).toMatchObject({ mountPath: '/host/etc/os-release', readOnly: true });
    expect(at(byPath.get('/var/lib/hms-sys')!).mountPath).toBe('/var/lib/hms-sys');
    for (const ctr of [...spec.initContainers, ...spec.containers]) {
      for (const m of ctr.volumeMounts) {
        const h = hp.get(m.name);
        if (h && h.path !== '/var/lib/hms-sys') expect(m.readOnly, `${ctr.name} ${m.mountPath}`).toBe(true);
      }
    }
  });

  it('is unprivileged: non-root, no capabilities, read-only root fs, no host namespaces', () => {
    const spec = podSpec(ds());
    expect(spec.hostPID ?? false).toBe(false);
    expect(spec.hostNetwork ?? false).toBe(false);
    expect(spec.hostIPC ?? false).toBe(false);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    const c = spec.containers[0];
    expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    // The init container chowns the state dir: root, but only CHOWN and DAC_READ_SEARCH, state dir only.
    for (const i of spec.initContainers) {
      expect(i.securityContext.privileged ?? false).toBe(false);
      expect(i.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(i.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['CHOWN', 'DAC_READ_SEARCH'] });
      expect(i.volumeMounts.map((m: { name: string }) => hostPaths(spec).get(m.name)?.path)).toEqual(['/var/lib/hms-sys']);
    }
  });

  it('has probes on /healthz:9401 and memory requests equal to limits', () => {
    const c = podSpec(ds()).containers[0];
    const port = (p: string | number): number => (typeof p === 'number' ? p : c.ports.find((x: { name: string }) => x.name === p).containerPort);
    for (const probe of [c.livenessProbe, c.readinessProbe]) {
      expect(probe.httpGet.path).toBe('/healthz');
      expect(port(probe.httpGet.port)).toBe(9401);
    }
    expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.limits.cpu).toBeDefined();
  });

  it('components/patch-executor adds exactly hostPID, privileged root, the /var/run sentinel mount, the allow flags and the command key', () => {
    const base = ds();
    const pe = find(render(['patch-executor']), 'DaemonSet', 'hms-sys-agent');
    const spec = podSpec(pe);
    const c = spec.containers[0];
    expect(spec.hostPID).toBe(true);
    expect(c.securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    expect(c.args).toEqual(['agent', '--allow-patch', '--allow-reboot', '--command-public-key=/etc/hms-sys/command-key/command-signing.pub']);
    const key = spec.volumes.find((v: { name: string }) => v.name === 'command-key');
    expect(key).toEqual({ name: 'command-key', configMap: { name: 'hms-sys-command-key' } });
    expect(c.volumeMounts.find((m: { name: string }) => m.name === 'command-key')).toEqual({ name: 'command-key', mountPath: '/etc/hms-sys/command-key', readOnly: true });
    const sentinel = [...hostPaths(spec)].find(([, h]) => h.path === '/var/run');
    expect(sentinel?.[1].type).toBe('Directory');
    expect(c.volumeMounts.find((m: { name: string }) => m.name === sentinel?.[0])).toEqual({ name: sentinel?.[0], mountPath: '/host/var/run', readOnly: true });
    // Remove exactly those additions: what is left must be the base DaemonSet.
    delete spec.hostPID;
    c.securityContext = podSpec(base).containers[0].securityContext;
    c.args = ['agent'];
    c.volumeMounts = c.volumeMounts.filter((m: { name: string }) => m.name !== sentinel?.[0] && m.name !== 'command-key');
    spec.volumes = spec.volumes.filter((v: { name: string }) => v.name !== sentinel?.[0] && v.name !== 'command-key');
    expect(pe).toEqual(base);
    // And nothing else in the rendering changed, but for the ConfigMap of the command key.
    const others = (objs: K8sObject[]): K8sObject[] => objs.filter((o) => o.kind !== 'DaemonSet' && !(o.kind === 'ConfigMap' && o.metadata.name === 'hms-sys-command-key'));
    expect(others(render(['patch-executor']))).toEqual(others(render()));
    expect(find(render(['patch-executor']), 'ConfigMap', 'hms-sys-command-key').data).toEqual({ 'command-signing.pub': '' });
  });

  it('no workload in the base or another component runs privileged or in host namespaces', () => {
    for (const comps of [[], ['prometheus-operator'], ['ha']] as Component[][]) {
      for (const w of render(comps).filter((o) => ['DaemonSet', 'Deployment', 'StatefulSet'].includes(o.kind))) {
        const spec = podSpec(w);
        for (const f of ['hostPID', 'hostNetwork', 'hostIPC']) expect(spec[f] ?? false, `${ref(w)} ${f}`).toBe(false);
        for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
          expect(c.securityContext?.privileged ?? false, `${ref(w)} ${c.name}`).toBe(false);
          expect(c.securityContext?.allowPrivilegeEscalation, `${ref(w)} ${c.name}`).toBe(false);
          expect(c.securityContext?.readOnlyRootFilesystem, `${ref(w)} ${c.name}`).toBe(true);
          expect(c.securityContext?.capabilities?.drop, `${ref(w)} ${c.name}`).toEqual(['ALL']);
        }
      }
    }
  });
});

describe.skipIf(SKIP)('aggregator', () => {
  it('one replica, Recreate, SQLite on a ReadWriteOnce PVC, the SPEC command line', () => {
    const objs = render();
    const d = find(objs, 'Deployment', 'hms-sys-aggregator');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const spec = podSpec(d);
    const c = spec.containers[0];
    expect(c.args).toEqual([
      'aggregator', '--listen=0.0.0.0:9400', '--data-dir=/var/lib/hms-sys', '--driver=kubernetes',
      '--agent-token-file=/etc/hms-sys/tokens/agent-tokens', '--api-token-file=/etc/hms-sys/tokens/api-tokens',
    ]);
    const data = spec.volumes.find((v: { name: string }) => v.name === c.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/var/lib/hms-sys').name);
    expect(find(objs, 'PersistentVolumeClaim', data.persistentVolumeClaim.claimName).spec.accessModes).toEqual(['ReadWriteOnce']);
    const tokens = spec.volumes.find((v: Loose) => v.secret);
    expect(tokens.secret.secretName).toBe('hms-sys-aggregator-tokens');
    expect(c.volumeMounts.find((m: { name: string }) => m.name === tokens.name)).toMatchObject({ mountPath: '/etc/hms-sys/tokens', readOnly: true });
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
    const svc = find(objs, 'Service', 'hms-sys-aggregator');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 9400, targetPort: 'http', protocol: 'TCP' }]);
    // A minAvailable: 1 budget on one replica would block every drain of its node.
    expect(find(objs, 'PodDisruptionBudget', 'hms-sys-aggregator').spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('meets Pod Security "restricted"', () => {
    const spec = podSpec(find(render(), 'Deployment', 'hms-sys-aggregator'));
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(hostPaths(spec).size).toBe(0);
    for (const c of spec.containers) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(c.ports.every((p: { hostPort?: number }) => p.hostPort === undefined)).toBe(true);
    }
  });

  it('components/ha: a 2-replica StatefulSet with the same pod template, own volumes, routed to the Ready (leading) replica', () => {
    const base = render();
    const ha = render(['ha']);
    expect(ha.some((o) => o.kind === 'Deployment')).toBe(false);
    expect(ha.some((o) => o.kind === 'PersistentVolumeClaim')).toBe(false);
    const sts = find(ha, 'StatefulSet', 'hms-sys-aggregator');
    expect(sts.spec.replicas).toBe(2);
    expect(sts.spec.serviceName).toBe('hms-sys-aggregator-headless');
    expect(find(ha, 'Service', 'hms-sys-aggregator-headless').spec.clusterIP).toBe('None');
    expect(sts.spec.volumeClaimTemplates.map((t: Loose) => [t.metadata.name, t.spec.accessModes])).toEqual([['data', ['ReadWriteOnce']]]);
    expect(find(ha, 'PodDisruptionBudget', 'hms-sys-aggregator').spec).toMatchObject({ minAvailable: 1 });
    expect(find(ha, 'PodDisruptionBudget', 'hms-sys-aggregator').spec.maxUnavailable).toBeUndefined();
    // A standby answers /readyz 503 (not the Lease holder), so the Service's endpoints are the leader.
    expect(find(ha, 'Service', 'hms-sys-aggregator').spec.selector).toEqual(find(base, 'Service', 'hms-sys-aggregator').spec.selector);
    expect(sts.spec.template.spec.containers[0].readinessProbe.httpGet.path).toBe('/readyz');
    // Both replicas sign commands with the key from one Secret (agents hold one public key).
    const c = sts.spec.template.spec.containers[0];
    expect(c.args).toContain('--command-signing-key-file=/etc/hms-sys/command-signing/command-signing.key');
    expect(c.volumeMounts).toContainEqual({ name: 'command-signing', mountPath: '/etc/hms-sys/command-signing', readOnly: true });
    expect(sts.spec.template.spec.volumes).toContainEqual({ name: 'command-signing', secret: { secretName: 'hms-sys-command-signing-key', defaultMode: 0o440 } });
    expect(Object.keys(find(ha, 'Secret', 'hms-sys-command-signing-key').data ?? {})).toEqual(['command-signing.key']);
    // Pod template: the Deployment's, plus anti-affinity and that key, minus the PVC volume.
    const t = structuredClone(sts.spec.template);
    expect(t.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    delete t.spec.affinity;
    t.spec.containers[0].args = t.spec.containers[0].args.filter((a: string) => !a.startsWith('--command-signing-key-file='));
    t.spec.containers[0].volumeMounts = t.spec.containers[0].volumeMounts.filter((m: Loose) => m.name !== 'command-signing');
    t.spec.volumes = t.spec.volumes.filter((v: Loose) => v.name !== 'command-signing');
    const dt = structuredClone(find(base, 'Deployment', 'hms-sys-aggregator').spec.template);
    dt.spec.volumes = dt.spec.volumes.filter((v: Loose) => !v.persistentVolumeClaim);
    expect(t).toEqual(dt);
  });
});

describe.skipIf(SKIP)('network policies and secrets', () => {
  it('aggregator ingress only on 9400; agents only on 9401 from Prometheus namespaces', () => {
    const objs = render();
    const agg = find(objs, 'NetworkPolicy', 'hms-sys-aggregator');
    expect(agg.spec.policyTypes).toEqual(['Ingress']);
    expect(agg.spec.ingress.flatMap((r: Loose) => r.ports)).toEqual([{ port: 9400, protocol: 'TCP' }]);
    const agent = find(objs, 'NetworkPolicy', 'hms-sys-agent');
    expect(agent.spec.policyTypes).toEqual(['Ingress']);
    expect(agent.spec.ingress).toHaveLength(1);
    expect(agent.spec.ingress[0].ports).toEqual([{ port: 9401, protocol: 'TCP' }]);
    for (const from of agent.spec.ingress[0].from) {
      expect(Object.keys(from)).toEqual(['namespaceSelector']); // never "from anywhere" or ipBlock
    }
  });

  it('the base ships no token: generated Secrets and the placeholder files are empty', () => {
    for (const s of [...render(), ...render(['ha'])].filter((o) => o.kind === 'Secret')) {
      for (const [k, v] of Object.entries<string>(s.data ?? {})) expect(v, `${ref(s)} ${k}`).toBe('');
      expect(s.stringData).toBeUndefined();
    }
    for (const f of readdirSync(join(DEPLOY, 'secrets')).filter((n) => !n.endsWith('.md'))) {
      expect(readFileSync(join(DEPLOY, 'secrets', f), 'utf8'), `deploy/secrets/${f} must stay empty (real tokens go in your overlay)`).toBe('');
    }
    expect(readFileSync(join(DEPLOY, 'components', 'ha', 'command-signing.key'), 'utf8'), 'the HA signing-key placeholder must stay empty (the key goes in your overlay)').toBe('');
  });

  it('the namespace allows the privileged Pod Security level the agent needs, and audits at restricted', () => {
    const ns = find(render(), 'Namespace', 'hms-sys');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/audit']).toBe('restricted');
  });
});
