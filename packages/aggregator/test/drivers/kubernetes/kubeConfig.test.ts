/**
 * Where the credentials come from (--kubeconfig, KUBECONFIG, in-cluster, ~/.kube/config), and the
 * `hms-sys aggregator --driver kubernetes` command wired to the fake API server.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseOptions } from '@hms-sys/common';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregatorCommand } from '../../../../cli/src/commands/aggregator.js';
import { GLOBAL_OPTIONS } from '../../../../cli/src/globalOptions.js';
import { loadKubeConfig, podNamespace, SERVICE_ACCOUNT_DIR } from '../../../src/drivers/kubernetes/loadKubeConfig.js';
import { FakeKubeApi } from '../../kit/fakeKubeApi/fakeKubeApi.js';
import { deployment } from '../../kit/fakeKubeApi/kubeObjects.js';
import { waitFor } from './harness.js';

let api: FakeKubeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const dir = (): string => mkdtempSync(join(tmpdir(), 'hms-kubeconfig-'));

function kubeconfigFile(server: string, context = 'fake'): string {
  const file = join(dir(), 'config');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: ${context}`,
    'clusters:', `- name: ${context}`, '  cluster:', `    server: ${server}`, '    insecure-skip-tls-verify: true',
    'users:', `- name: ${context}`, '  user:', '    token: fake-token',
    'contexts:', `- name: ${context}`, '  context:', `    cluster: ${context}`, `    user: ${context}`, '',
  ].join('\n'));
  return file;
}

describe('loadKubeConfig', () => {
  it('takes --kubeconfig first, then KUBECONFIG (merging a list), then in-cluster, then ~/.kube/config', () => {
    const a = kubeconfigFile('http://127.0.0.1:1', 'a');
    const b = kubeconfigFile('http://127.0.0.1:2', 'b');
    const emptyHome = dir();
    expect(loadKubeConfig({ kubeconfig: a, env: { KUBECONFIG: b } }).kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:1');
    const merged = loadKubeConfig({ env: { KUBECONFIG: `${b}:${a}` }, homeDir: emptyHome });
    expect(merged.kubeConfig.getCurrentCluster()?.server).toBe('http://127.0.0.1:2');
    expect(merged.kubeConfig.getContexts().map((c) => c.name).sort()).toEqual(['a', 'b']);

    const root = dir();
    mkdirSync(join(root, SERVICE_ACCOUNT_DIR), { recursive: true });
    for (const [f, v] of [['token', 'sa-token'], ['ca.crt', 'not-a-real-ca'], ['namespace', 'hms-sys']]) writeFileSync(join(root, SERVICE_ACCOUNT_DIR, f as string), v as string);
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
    process.env.KUBERNETES_SERVICE_PORT = '443';
    try {
      const home = dir();
      mkdirSync(join(home, '.kube'));
      writeFileSync(join(home, '.kube', 'config'), '{}');
      const inCluster = loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, homeDir: home, serviceAccountRoot: root });
      expect(inCluster.from).toBe('the in-cluster service account');
      expect(inCluster.kubeConfig.getCurrentCluster()?.server).toBe('https://10.96.0.1:443');
      expect(podNamespace({}, root)).toBe('hms-sys');
      expect(podNamespace({ POD_NAMESPACE: 'ops' }, root)).toBe('ops');
    } finally {
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST; else process.env.KUBERNETES_SERVICE_HOST = saved.host;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT; else process.env.KUBERNETES_SERVICE_PORT = saved.port;
    }

    const home = dir();
    mkdirSync(join(home, '.kube'));
    writeFileSync(join(home, '.kube', 'config'), JSON.stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': 'h', clusters: [{ name: 'h', cluster: { server: 'https://home:6443' } }], users: [{ name: 'h', user: {} }], contexts: [{ name: 'h', context: { cluster: 'h', user: 'h' } }] }));
    expect(loadKubeConfig({ env: {}, homeDir: home, serviceAccountRoot: dir() }).kubeConfig.getCurrentCluster()?.server).toBe('https://home:6443');
    expect(() => loadKubeConfig({ env: {}, homeDir: emptyHome, serviceAccountRoot: dir() })).toThrow(expect.objectContaining({ code: 'HMS_CONFIG_INVALID' }));
  });
});

describe('hms-sys aggregator --driver kubernetes', () => {
  it('runs against the cluster named by --kubeconfig, takes the Lease, becomes ready, and releases the Lease on shutdown', async () => {
    api = await new FakeKubeApi().start();
    api.put('deployments', deployment('default', 'web', 2));
    let err = '';
    const stderr = new Writable({ write(chunk: Buffer, _e, cb) { err += chunk.toString(); cb(); } });
    const stop = new AbortController();
    const argv = [
      '--listen', '127.0.0.1:0', '--data-dir', dir(), '--driver', 'kubernetes', '--kubeconfig', kubeconfigFile(api.url),
      '--namespace', 'hms-sys', '--leader-elect-identity', 'aggregator-0', '--leader-elect-lease-duration', '2s',
      '--leader-elect-renew-deadline', '1s', '--leader-elect-retry-period', '200ms', '--log-level', 'silent',
    ];
    const opts = parseOptions([...(aggregatorCommand.options ?? []), ...GLOBAL_OPTIONS], argv, {});
    const running = aggregatorCommand.run!(opts, { stdout: stderr, stderr, env: {}, cwd: process.cwd(), signal: stop.signal });
    await waitFor(() => /listening on (\S+)/.test(err), 'listening line');
    const url = /listening on (\S+)/.exec(err)?.[1] as string;
    await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 'ready', 5000);
    expect(api.get('leases', 'hms-sys', 'hms-sys-aggregator')?.spec.holderIdentity).toBe('aggregator-0');
    stop.abort();
    expect(await running).toBe(0);
    expect(api.get('leases', 'hms-sys', 'hms-sys-aggregator')?.spec.holderIdentity).toBe('');
  });
});
