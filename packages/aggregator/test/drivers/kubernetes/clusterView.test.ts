/**
 * What the driver makes of API objects: owner chains, static pods, requests, drain-relevant
 * fields, nodes, disruption budgets, deployments.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deployment, node, pdb, pod, replicaSet } from '../../kit/fakeKubeApi/kubeObjects.js';
import { cpuMilli } from '../../../src/drivers/cpuQuantity.js';
import { Cluster, waitFor } from './harness.js';
import { podCpuRequestMilli } from '../../../src/drivers/types.js';
import { podMetricInput } from '../../../src/scaling/podMetricInputs.js';
import { podRequests } from '../../../src/autoscaler/podRequests.js';

let c: Cluster | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

describe('cluster view', () => {
  it('resolves Pod -> ReplicaSet -> Deployment, also when the ReplicaSet arrives after the pod', async () => {
    c = await Cluster.start();
    c.api.put('deployments', deployment('shop', 'web', 2));
    c.api.put('replicasets', replicaSet('shop', 'web-7d9f', 'web'));
    c.api.put('replicasets', replicaSet('shop', 'batch-rs', undefined)); // a bare ReplicaSet
    c.api.put('pods', pod('shop', 'web-7d9f-a', { node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-7d9f' } }));
    c.api.put('pods', pod('shop', 'batch-rs-a', { node: 'n1', owner: { kind: 'ReplicaSet', name: 'batch-rs' } }));
    c.api.put('pods', pod('shop', 'agent-x', { node: 'n1', owner: { kind: 'DaemonSet', name: 'agent' } }));
    c.api.put('pods', pod('shop', 'loner', { node: 'n1' }));
    c.api.put('pods', pod('shop', 'late-1', { node: 'n1', owner: { kind: 'ReplicaSet', name: 'late-rs' } }));
    const d = await c.syncedDriver();
    const owner = (name: string) => d.pods().find((p) => p.name === name)?.owner;
    expect(owner('web-7d9f-a')).toEqual({ kind: 'Deployment', name: 'web' });
    expect(owner('batch-rs-a')).toEqual({ kind: 'ReplicaSet', name: 'batch-rs' });
    expect(owner('agent-x')).toEqual({ kind: 'DaemonSet', name: 'agent' });
    expect(owner('loner')).toBeUndefined(); // unmanaged: drain refuses it unless forced
    expect(owner('late-1')).toEqual({ kind: 'ReplicaSet', name: 'late-rs' }); // still managed, RS not seen yet

    const changes: string[] = [];
    d.onChange((w) => changes.push(w));
    c.api.put('replicasets', replicaSet('shop', 'late-rs', 'late'));
    await waitFor(() => owner('late-1')?.kind === 'Deployment', 'owner resolved once the ReplicaSet arrives');
    expect(owner('late-1')).toEqual({ kind: 'Deployment', name: 'late' });
    expect(changes).toContain('pods'); // the autoscaler re-indexes pods
  });

  it('gives a static pod the kubelet uid (config.hash) the agent sees in the cgroup path, and marks its mirror', async () => {
    c = await Cluster.start();
    c.api.put('pods', pod('kube-system', 'etcd-n1', {
      uid: 'api-side-uid', node: 'n1', owner: { kind: 'Node', name: 'n1' },
      annotations: { 'kubernetes.io/config.hash': '6b3c3f0e1a2d4e5f', 'kubernetes.io/config.mirror': '6b3c3f0e1a2d4e5f', 'kubernetes.io/config.source': 'file' },
    }));
    c.api.put('pods', pod('default', 'plain', { uid: 'plain-uid', node: 'n1' }));
    const d = await c.syncedDriver();
    const etcd = d.pods().find((p) => p.name === 'etcd-n1');
    expect(etcd).toMatchObject({ uid: '6b3c3f0e1a2d4e5f', mirror: true, owner: { kind: 'Node', name: 'n1' } });
    expect(d.pods().find((p) => p.name === 'plain')).toMatchObject({ uid: 'plain-uid', mirror: false });
  });

  it('reads requests (with restartable init containers), readiness, times, ids without the runtime prefix, emptyDir', async () => {
    c = await Cluster.start();
    c.api.put('pods', pod('default', 'mesh', { node: 'n1', cpu: '250m', sidecarCpu: '0.1', emptyDir: true, startedMsAgo: 60_000 }));
    c.api.put('pods', pod('default', 'starting', { node: 'n1', ready: false, phase: 'Pending', deleting: true }));
    const d = await c.syncedDriver();
    const mesh = d.pods().find((p) => p.name === 'mesh');
    expect(mesh?.containers).toEqual([
      { name: 'main', id: 'mesh-c0ffee', cpuRequestMilli: 250, cpuLimitMilli: 2000, image: 'app:1' },
      { name: 'sidecar', id: 'mesh-51dec4r', cpuRequestMilli: 100, image: 'proxy:1' }, // the plain init container is not counted
    ]);
    expect(mesh).toMatchObject({ phase: 'Running', ready: true, deleted: false, hasEmptyDir: true, qosClass: 'Burstable', node: 'n1' });
    expect(Math.abs((mesh?.startTimeMs ?? 0) - (Date.now() - 60_000))).toBeLessThan(5_000);
    expect(mesh?.readyTransitionMs).toBe(mesh?.startTimeMs);
    expect(d.pods().find((p) => p.name === 'starting')).toMatchObject({ phase: 'Pending', ready: false, deleted: true, hasEmptyDir: false });
  });

  it('reads a pod-level CPU request (PodLevelResources): it is the pod\'s request for the HPA and for capacity', async () => {
    c = await Cluster.start();
    const withPodLevel = pod('default', 'pooled', { node: 'n1', cpu: '250m' });
    withPodLevel.spec.resources = { requests: { cpu: '1500m' }, limits: { cpu: '2' } };
    c.api.put('pods', withPodLevel);
    c.api.put('pods', pod('default', 'plain', { node: 'n1', cpu: '250m' }));
    const d = await c.syncedDriver();
    const pooled = d.pods().find((p) => p.name === 'pooled');
    const plain = d.pods().find((p) => p.name === 'plain');
    expect(pooled?.cpuRequestMilli).toBe(1500);
    expect(plain?.cpuRequestMilli).toBeUndefined();
    expect(podCpuRequestMilli(pooled!)).toBe(1500);
    expect(podCpuRequestMilli(plain!)).toBe(250);
    const input = podMetricInput(pooled!, undefined, Date.now(), 5000);
    expect(input.podCpuRequestMilli).toBe(1500);
    expect(podRequests([input])).toEqual({ ok: true, requests: new Map([['pooled', 1500]]) });
  });

  it('reads nodes: boot id, kernel, OS image, cordon, readiness, allocatable CPU, labels, taints', async () => {
    c = await Cluster.start();
    c.api.put('nodes', node('n1', { cpu: '3500m', labels: { zone: 'a' }, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }));
    c.api.put('nodes', node('n2', { unschedulable: true, ready: false }));
    const d = await c.syncedDriver();
    const [n1, n2] = [...d.nodes()].sort((a, b) => a.name.localeCompare(b.name));
    expect(n1).toEqual({
      name: 'n1', allocatableCpuMilli: 3500, unschedulable: false, ready: true, bootId: 'boot-n1', kernelVersion: '6.1.0-18-amd64',
      osImage: 'Debian GNU/Linux 12 (bookworm)', labels: { 'kubernetes.io/hostname': 'n1', zone: 'a' }, taints: ['dedicated=db:NoSchedule'],
    });
    expect(n2).toMatchObject({ unschedulable: true, ready: false });

    c.api.modify('nodes', undefined, 'n1', (o) => { o.status.nodeInfo.bootID = 'boot-n1-after-reboot'; });
    await waitFor(() => d.nodes().find((n) => n.name === 'n1')?.bootId === 'boot-n1-after-reboot', 'new boot id');
  });

  it('matches disruption budgets to pods by selector and reads deployments', async () => {
    c = await Cluster.start();
    c.api.put('deployments', deployment('default', 'web', 3, { readyReplicas: 2 }));
    c.api.put('pods', pod('default', 'web-1', { uid: 'u1', node: 'n1', labels: { app: 'web', tier: 'front' } }));
    c.api.put('pods', pod('default', 'web-2', { uid: 'u2', node: 'n2', labels: { app: 'web' } }));
    c.api.put('pods', pod('other', 'web-3', { uid: 'u3', node: 'n2', labels: { app: 'web' } })); // other namespace
    c.api.put('poddisruptionbudgets', pdb('default', 'web-pdb', { app: 'web' }, 1, { minAvailable: 2 }));
    c.api.put('poddisruptionbudgets', { ...pdb('default', 'front', {}, 0, { maxUnavailable: '10%' }), spec: { maxUnavailable: '10%', selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] } } });
    const d = await c.syncedDriver();
    const budgets = Object.fromEntries(d.disruptionBudgets().map((b) => [b.name, b]));
    expect(budgets['web-pdb']).toEqual({ namespace: 'default', name: 'web-pdb', podUids: ['u1', 'u2'], disruptionsAllowed: 1, minAvailable: 2 });
    expect(budgets.front).toEqual({ namespace: 'default', name: 'front', podUids: ['u1'], disruptionsAllowed: 0, maxUnavailable: '10%' });
    expect(d.deployments()).toEqual([{ namespace: 'default', name: 'web', replicas: 3, readyReplicas: 2, labels: { app: 'web' } }]);
  });
});

describe('cpu quantities', () => {
  it('rounds up to whole millicores like Quantity.MilliValue()', () => {
    expect(['500m', '0.5', '1', '2.5', '100u', '1n', '1k', '5e-1', '0.3', '1Ki', 2, 'x', '-1'].map(cpuMilli))
      .toEqual([500, 500, 1000, 2500, 1, 1, 1_000_000, 500, 300, 1_024_000, 2000, undefined, undefined]);
  });
});
