/**
 * Issue 8.1: TLS between agents and the aggregator. HTTPS + wss:// on the one port (--tls-cert,
 * --tls-key); with --client-ca an agent must present a client certificate signed by that CA, and
 * the certificate's CN binds the connection to one node exactly like a `TOKEN NODE` line. The
 * server certificate rotates without a restart. Certificates are made with openssl per run.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { appendFileSync, copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { parseOptions } from '@hms-sys/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATOR_OPTIONS, AGGREGATOR_TLS_OPTIONS, aggregatorConfigFrom } from '../../src/config.js';
import { createTestCa, hasOpenssl, type TestCa } from '../kit/pki.js';
import { batch, RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

const openssl = hasOpenssl();
if (!openssl) console.warn('[tls] SKIP: openssl not installed (needed to make test certificates)');

let ca: TestCa;
let otherCa: TestCa;
let server: ReturnType<TestCa['issue']>;
let nodeA: ReturnType<TestCa['issue']>;
let nodeB: ReturnType<TestCa['issue']>;
let kubelet: ReturnType<TestCa['issue']>;
let rogueA: ReturnType<TestCa['issue']>;
let t: TestAggregator | undefined;

beforeAll(() => {
  if (!openssl) return;
  ca = createTestCa();
  otherCa = createTestCa('someone else');
  server = ca.issue('server', { cn: 'hms-sys-aggregator', san: 'IP:127.0.0.1,DNS:localhost', usage: 'server' });
  nodeA = ca.issue('node-a', { cn: 'node-a', usage: 'client' });
  nodeB = ca.issue('node-b', { cn: 'not a node name', san: 'DNS:node-b', usage: 'client' });
  kubelet = ca.issue('kubelet', { cn: 'system:node:node-k', usage: 'client' });
  rogueA = otherCa.issue('rogue-a', { cn: 'node-a', usage: 'client' });
});
afterAll(() => {
  ca?.cleanup();
  otherCa?.cleanup();
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function startTls(clientCa: boolean): Promise<TestAggregator> {
  return startTestAggregator({ config: { tls: { certFile: server.certFile, keyFile: server.keyFile, clientCaFile: clientCa ? ca.certFile : undefined } } });
}

/** GET over HTTPS trusting the test CA. */
function httpsGet(url: string, token: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: ca.cert, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** SHA-256 fingerprint of the certificate the server presents on a new connection. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca: ca.cert, servername: 'localhost' }, () => {
      const raw = s.getPeerCertificate().raw;
      s.destroy();
      resolve(createHash('sha256').update(raw).digest('hex'));
    });
    s.on('error', reject);
  });
}

const fingerprint = (pem: Buffer): string => createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

describe.skipIf(!openssl)('TLS on the agent stream and the API', () => {
  it('serves HTTPS and wss:// on one port and refuses plain ws:// and plain HTTP', async () => {
    t = await startTls(false);
    expect(t.agg.url).toMatch(/^https:\/\//);
    expect(t.wsUrl).toMatch(/^wss:\/\//);
    expect((await httpsGet(`${t.agg.url}/v1/nodes`, t.tokens.viewer)).status).toBe(200);

    // The same port without TLS: no handshake, no upgrade, no agent.
    const plainWs = t.wsUrl.replace(/^wss:/, 'ws:');
    await expect(RawAgent.connect(plainWs, t.tokens.agent)).rejects.toThrow();
    await expect(fetch(t.agg.url.replace(/^https:/, 'http:') + '/healthz')).rejects.toThrow();

    // With the CA: the token agent works as before.
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent, { ca: ca.cert });
    a.hello('node-a');
    a.send(batch(1, 1, 1_000_000));
    await a.until(() => a.acks().includes(1), 'ack over wss');
    a.close();
  });

  it('an agent that does not trust the CA, or trusts another one, does not connect', async () => {
    t = await startTls(false);
    await expect(RawAgent.connect(t.wsUrl, t.tokens.agent)).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    await expect(RawAgent.connect(t.wsUrl, t.tokens.agent, { ca: otherCa.cert })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
  });

  it('with --client-ca: only certificates of that CA get in, without any token, each for its own node only', async () => {
    t = await startTls(true);
    // No client certificate, even with a valid token: 401.
    await expect(RawAgent.connect(t.wsUrl, t.tokens.agent, { ca: ca.cert })).rejects.toThrow('HTTP 401');
    // A certificate for node-a signed by another CA: 401.
    await expect(RawAgent.connect(t.wsUrl, undefined, { ca: ca.cert, cert: rogueA.cert, key: rogueA.key })).rejects.toThrow('HTTP 401');

    // node-a's certificate, no token: in, as node-a.
    const a = await RawAgent.connect(t.wsUrl, undefined, { ca: ca.cert, cert: nodeA.cert, key: nodeA.key });
    a.hello('node-a');
    a.send(batch(1, 1, 1_000_000));
    await a.until(() => a.acks().includes(1), 'ack for node-a');

    // node-a's certificate saying hello as node-b: closed with the misaddressed code.
    const spoof = await RawAgent.connect(t.wsUrl, undefined, { ca: ca.cert, cert: nodeA.cert, key: nodeA.key });
    spoof.hello('node-b');
    await spoof.until(() => spoof.closeCode !== undefined, 'close of the spoofing connection');
    expect(spoof.closeCode).toBe(4003);
    expect(spoof.closeReason).toMatch(/node_mismatch: credential is for node node-a, not node-b/);

    // The name may come from a DNS subjectAltName, or a kubelet-style CN.
    const b = await RawAgent.connect(t.wsUrl, undefined, { ca: ca.cert, cert: nodeB.cert, key: nodeB.key });
    b.hello('node-b');
    await b.until(() => b.received.some((m) => m.welcome), 'welcome for node-b');
    const k = await RawAgent.connect(t.wsUrl, undefined, { ca: ca.cert, cert: kubelet.cert, key: kubelet.key });
    k.hello('node-k');
    await k.until(() => k.received.some((m) => m.welcome), 'welcome for node-k');

    // A node-bound token presented with the certificate must name the same node.
    const bound = 'x'.repeat(20) + 'bound-to-node-x';
    appendFileSync(join(t.dataDir, 'agent-tokens'), `${bound} node-x\n`);
    await expect(RawAgent.connect(t.wsUrl, bound, { ca: ca.cert, cert: nodeA.cert, key: nodeA.key })).rejects.toThrow('HTTP 401');

    const metrics = await httpsGet(`${t.agg.url}/metrics`, undefined);
    expect(metrics.body).toContain('hms_sys_ingest_rejected_frames_total{reason="unauthorized"} 3');
    expect(metrics.body).toContain('hms_sys_ingest_rejected_frames_total{reason="node_mismatch"} 1');
    // The API on the same port needs no client certificate (tokens authenticate it).
    expect((await httpsGet(`${t.agg.url}/v1/nodes`, t.tokens.viewer)).status).toBe(200);
    for (const c of [a, b, k]) c.close();
  });

  it('refuses inconsistent TLS flags and unreadable files at start, with one clear error', async () => {
    const parse = (argv: string[], driver: 'none' | 'local' = 'none') => () => aggregatorConfigFrom(parseOptions([...AGGREGATOR_OPTIONS, ...AGGREGATOR_TLS_OPTIONS], argv, {}), driver);
    expect(parse(['--tls-cert', 'c.pem'])).toThrow('--tls-cert needs --tls-key');
    expect(parse(['--client-ca', 'ca.pem'])).toThrow('--client-ca needs --tls-cert and --tls-key');
    expect(parse(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], 'local')).toThrow(/not supported with --driver local/);
    expect(parse(['--tls-cert', 'c.pem', '--tls-key', 'k.pem', '--client-ca', 'ca.pem'])()).toMatchObject({ tls: { certFile: 'c.pem', keyFile: 'k.pem', clientCaFile: 'ca.pem' } });
    await expect(startTestAggregator({ config: { tls: { certFile: '/nonexistent/c.pem', keyFile: server.keyFile, clientCaFile: undefined } } }))
      .rejects.toMatchObject({ code: 'HMS_CONFIG_INVALID', message: expect.stringMatching(/cannot read --tls-cert \/nonexistent\/c.pem: ENOENT/) });
    await expect(startTestAggregator({ config: { tls: { certFile: server.certFile, keyFile: nodeA.keyFile, clientCaFile: undefined } } }))
      .rejects.toMatchObject({ code: 'HMS_CONFIG_INVALID' }); // a key that is not the certificate's
  });

  it('keeps serving the previous certificate when a rotation writes garbage', async () => {
    t = await startTls(false);
    const before = await servedFingerprint(t.agg.port);
    const good = readFileSync(server.certFile);
    writeFileSync(server.certFile, '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n');
    await new Promise((r) => setTimeout(r, 1500));
    expect(await servedFingerprint(t.agg.port)).toBe(before);
    writeFileSync(server.certFile, good);
  });

  it('rotates the server certificate without a restart; connected agents stay connected', async () => {
    t = await startTls(false);
    const before = await servedFingerprint(t.agg.port);
    expect(before).toBe(fingerprint(server.cert));
    const a = await RawAgent.connect(t.wsUrl, t.tokens.agent, { ca: ca.cert });
    a.hello('node-a');
    a.send(batch(1, 1, 1_000_000));
    await a.until(() => a.acks().includes(1), 'ack before rotation');

    // cert-manager style: the new pair is written beside and renamed over the old files.
    const next = ca.issue('server-next', { cn: 'hms-sys-aggregator-2', san: 'IP:127.0.0.1,DNS:localhost', usage: 'server' });
    copyFileSync(next.keyFile, join(ca.dir, 'key.tmp'));
    renameSync(join(ca.dir, 'key.tmp'), server.keyFile);
    copyFileSync(next.certFile, join(ca.dir, 'crt.tmp'));
    renameSync(join(ca.dir, 'crt.tmp'), server.certFile);
    const wanted = fingerprint(next.cert);
    const deadline = Date.now() + 5000;
    let served = before;
    while (served !== wanted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      served = await servedFingerprint(t.agg.port);
    }
    expect(served).toBe(wanted);

    a.send(batch(2, 2, 2_000_000));
    await a.until(() => a.acks().includes(2), 'the connected agent is still served');
    const fresh = await RawAgent.connect(t.wsUrl, t.tokens.agent, { ca: ca.cert });
    fresh.hello('node-b');
    await fresh.until(() => fresh.received.some((m) => m.welcome), 'a new agent connects with the new certificate');
    a.close();
    fresh.close();
    // Restore the original files for the other tests.
    const orig = ca.issue('server', { cn: 'hms-sys-aggregator', san: 'IP:127.0.0.1,DNS:localhost', usage: 'server' });
    server = orig;
  });
});
