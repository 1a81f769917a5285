/**
 * The status page in a real headless Chromium (Debian's `chromium`, driven by playwright-core):
 * opened with the viewer token in the URL fragment against a real test aggregator that RawAgent
 * batches and an autoscaler PUT keep changing. Asserts what a user sees — the node row with its
 * CPU, a deployment chart that gains points, events arriving live — and that a PNG screenshot is
 * not blank where the chart is. Skipped with a printed reason where Chromium or playwright-core
 * is missing. The screenshot is left at $HMS_SCREENSHOT (default: <tmpdir>/hms-sys-status-page.png).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetDriver, type FixturePod } from '../kit/fleetDriver.js';
import { RawAgent, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';
import { decodePng, regionStats } from './pngImage.js';

const CHROMIUM = process.env.HMS_CHROMIUM ?? '/usr/bin/chromium';
/** Flags for Chromium as root on a machine with no network but loopback (see .library env notes). */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const SCREENSHOT = process.env.HMS_SCREENSHOT ?? join(tmpdir(), 'hms-sys-status-page.png');

type Playwright = typeof import('playwright-core');
let pw: Playwright | undefined;
let skipReason = '';
if (!existsSync(CHROMIUM)) skipReason = `${CHROMIUM} not found (Debian: apt-get install -y chromium)`;
else {
  try {
    pw = await import('playwright-core');
  } catch (err) {
    skipReason = `playwright-core cannot be loaded (${(err as Error).message}); it is a root devDependency`;
  }
}
if (skipReason) console.warn(`[status page] SKIP browser test: ${skipReason}`);

const WEB: FixturePod[] = [1, 2].map((i) => ({ uid: `uid-web-${i}`, namespace: 'default', name: `web-${i}`, node: 'node-a', deployment: 'web', cpuRequestMilli: 500 }));

/** Sends one batch a tick with cumulative counters; `cores` per pod can change while it runs. */
class LoadAgent {
  cores = 0.2;
  private seq = 0;
  private usage = 0;
  private busy = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(readonly agent: RawAgent, private readonly node: string, private readonly pods: FixturePod[]) {}

  tick(): void {
    this.seq++;
    this.usage += this.cores * 1_000_000;
    this.busy += (this.cores * this.pods.length + 0.25) * 1_000_000;
    this.agent.send({
      metrics: {
        seq: this.seq, collectedAtMs: Date.now(), monotonicUsec: 10_000_000 + this.seq * 1_000_000, bootId: `boot-${this.node}`,
        nodeUsage: { cpuBusyUsec: Math.round(this.busy), cpuTotalUsec: this.seq * 4_000_000, cpuCores: 4, memoryTotalBytes: 8e9, memoryAvailableBytes: 5e9 },
        pods: this.pods.map((p) => ({
          uid: p.uid, namespace: p.namespace, name: p.name, qosClass: 'Burstable', cgroupPath: `kubepods/pod${p.uid}`,
          containers: [{ id: `${p.uid}-c`, name: 'main', cpuUsageUsec: Math.round(this.usage) }],
        })),
      },
    });
  }

  start(everyMs: number): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.agent.close();
  }
}

let t: TestAggregator | undefined;
let load: LoadAgent | undefined;
let other: RawAgent | undefined;
let browser: import('playwright-core').Browser | undefined;

beforeAll(async () => {
  if (!pw) return;
  t = await startTestAggregator({ driver: new FleetDriver([{ namespace: 'default', name: 'web', replicas: 2 }], WEB), config: { staleAfterMs: 10_000, summaryIntervalMs: 1000 } });
  browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
});
afterAll(async () => {
  load?.stop();
  other?.close();
  await browser?.close();
  await t?.close();
});

async function put(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${t!.agg.url}${path}`, { method: 'PUT', headers: { authorization: `Bearer ${t!.tokens.operator}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBeLessThan(300);
}

describe.skipIf(!pw)('status page in headless Chromium', () => {
  it('shows nodes, a live deployment chart and live events from the token in the fragment', async () => {
    const tt = t!;
    await put('/v1/autoscalers/default/web', { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    const a = await RawAgent.connect(tt.wsUrl, tt.tokens.agent);
    a.hello('node-a', 's-a', 'boot-node-a');
    load = new LoadAgent(a, 'node-a', WEB);
    load.start(500);

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: { url: string; auth: string | undefined }[] = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()} at ${m.location().url}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers().authorization }));

    await page.goto(`${tt.agg.url}/#token=${tt.tokens.viewer}`, { waitUntil: 'load', timeout: 10_000 });

    // The token left the address bar at once and lives in this tab's sessionStorage only.
    expect(await page.evaluate(() => location.hash)).toBe('');
    expect(await page.evaluate(() => sessionStorage.getItem('hms-sys.viewerToken'))).toBe(tt.tokens.viewer);

    // Node row with its CPU (0.2 core x 2 pods + 0.25 of other processes = 0.65 of 4 cores).
    const row = page.locator('tr[data-node="node-a"]');
    await row.waitFor({ timeout: 8000 });
    await expect.poll(() => row.innerText(), { timeout: 8000 }).toMatch(/connected\s+0\.65 \/ 4\s+2\s+6\.1\.0\s+boot-nod\s+no/);
    await expect.poll(() => page.locator('#feed-state').innerText(), { timeout: 8000 }).toBe('live');

    // The deployment card: CPU against the target as a chart that gains points while we watch.
    const card = page.locator('article.card[data-key="default/web"]');
    await card.waitFor({ timeout: 8000 });
    const points = async (): Promise<number> => Number(await card.locator('polyline.cpu').getAttribute('data-points'));
    await expect.poll(points, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => card.locator('.cpu-now').innerText(), { timeout: 8000 }).toBe('40% / 60%');
    const before = await points();
    load.cores = 0.45; // 90 % of the request: the autoscaler scales up
    await expect.poll(() => card.locator('.cpu-now').innerText(), { timeout: 10_000 }).toBe('90% / 60%');
    await expect.poll(points, { timeout: 8000 }).toBeGreaterThan(before);
    await expect.poll(() => card.locator('.facts').innerText(), { timeout: 10_000 }).toMatch(/replicas 3 → 3 \(min 1, max 10\)/);

    // Events: the backlog (the PUT) and live ones (a decision, a node joining) at the top.
    const events = page.locator('#event-list li');
    await expect.poll(() => page.locator('#event-list li[data-type="autoscaler.changed"]').count(), { timeout: 8000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#event-list li[data-type="scale.decision"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    other = await RawAgent.connect(tt.wsUrl, tt.tokens.agent);
    other.hello('node-b', 's-b', 'boot-node-b');
    await expect.poll(() => events.first().innerText(), { timeout: 8000 }).toMatch(/node\.joined\s+node-b kernel 6\.1\.0/);
    await page.locator('tr[data-node="node-b"]').waitFor({ timeout: 8000 });
    expect(await events.count()).toBeLessThanOrEqual(50);
    expect(await page.locator('#event-list li[data-type="summary"]').count()).toBe(0); // charted, not listed

    // The token went only in Authorization headers to this origin, never in a URL.
    expect(requests.length).toBeGreaterThan(3);
    for (const r of requests) {
      expect(r.url.startsWith(`${tt.agg.url}/`), r.url).toBe(true);
      expect(r.url, r.url).not.toContain(tt.tokens.viewer);
      if (new URL(r.url).pathname.startsWith('/v1/')) expect(r.auth, r.url).toBe(`Bearer ${tt.tokens.viewer}`);
    }
    expect(requests.some((r) => r.url.includes('/v1/feed?since='))).toBe(true);
    // No CSP violation, no script error. The one allowed message: Chromium logs the 404 of an
    // aggregator without the patch API (the page handles it and says so).
    expect(problems.filter((p) => !/status of 404 .* at http:\/\/[^/]+\/v1\/patches$/.test(p))).toEqual([]);
    await expect.poll(() => page.locator('#patch-body').innerText(), { timeout: 5000 }).toMatch(/^No patch run/);

    // A patch run, as the orchestrator reports it on the feed: per-node progress and the node's patch column.
    tt.agg.events.append('patch.run', { run: 'run-7', from: null, to: 'running', reason: 'window open', concurrency: 1, failureBudget: 1, nodes: ['node-a', 'node-b'] });
    tt.agg.events.append('patch.step', { run: 'run-7', node: 'node-a', from: 'cordoning', to: 'draining', reason: 'evicting 2 pods' });
    await expect.poll(() => page.locator('#patch-body .run-head').innerText(), { timeout: 5000 }).toBe('run-7 — running · 0/2 nodes done · window open');
    const progress = await page.locator('#patch-body progress').evaluateAll((els) => els.map((e) => [(e as HTMLProgressElement).value, (e as HTMLProgressElement).max]));
    expect(progress).toEqual([[3, 10], [0, 10]]);
    await expect.poll(() => row.locator('td').last().innerText(), { timeout: 5000 }).toBe('draining');

    // Screenshot: the right size, and the chart region drawn (blue CPU line, orange target line).
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(SCREENSHOT, png);
    console.info(`[status page] screenshot: ${SCREENSHOT}`);
    const img = decodePng(png);
    expect(img.width).toBe(1280);
    expect(img.height).toBeGreaterThanOrEqual(900);
    const box = await card.locator('svg.chart').boundingBox();
    expect(box).not.toBeNull();
    const stats = regionStats(img, box!, [[0x25, 0x63, 0xeb], [0xe6, 0x7e, 0x22]]);
    expect(stats.pixels).toBeGreaterThan(10_000);
    expect(stats.near[0], 'CPU line pixels').toBeGreaterThan(60);
    expect(stats.near[1], 'target line pixels').toBeGreaterThan(10);
    expect(stats.variance).toBeGreaterThan(20);
    await context.close();
  });

  it('asks for a token when there is none, refuses a wrong one, and opens with a right one', async () => {
    const tt = t!;
    const context = await browser!.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${tt.agg.url}/`, { waitUntil: 'load', timeout: 10_000 });
    await page.locator('#login').waitFor({ state: 'visible', timeout: 5000 });
    expect(await page.locator('#main').isHidden()).toBe(true);
    await page.fill('#token-input', 'x'.repeat(32));
    await page.click('#login button[type=submit]');
    await expect.poll(() => page.locator('#login-error').innerText(), { timeout: 5000 }).toMatch(/refused/);
    expect(await page.evaluate(() => sessionStorage.getItem('hms-sys.viewerToken'))).toBeNull();
    await page.fill('#token-input', tt.tokens.viewer);
    await page.click('#login button[type=submit]');
    await page.locator('tr[data-node="node-a"]').waitFor({ timeout: 8000 });
    expect(await page.locator('#login').isHidden()).toBe(true);
    await context.close();
  });

  it('stays bounded with 1 000 pods and a burst of events, and resumes the feed with since= after the server drops it', async () => {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    let own = await startTestAggregator({ config: { port, staleAfterMs: 60_000 } });
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const feedUrls: string[] = [];
      page.on('request', (r) => { if (r.url().includes('/v1/feed')) feedUrls.push(r.url()); });
      await page.goto(`${own.agg.url}/#token=${own.tokens.viewer}`, { waitUntil: 'load', timeout: 10_000 });
      await expect.poll(() => page.locator('#feed-state').innerText(), { timeout: 8000 }).toBe('live');

      // 1 000 pods on one node: one row with the count, no per-pod DOM.
      const big = await RawAgent.connect(own.wsUrl, own.tokens.agent);
      big.hello('node-big', 's-big', 'boot-big');
      const pods = Array.from({ length: 1000 }, (_, i) => ({ uid: `uid-${i}`, namespace: 'load', name: `p-${i}`, qosClass: 'BestEffort', cgroupPath: `kubepods/besteffort/pod${i}`, containers: [{ id: `c-${i}`, name: 'main', cpuUsageUsec: 1000 }] }));
      big.send({ metrics: { seq: 1, collectedAtMs: Date.now(), monotonicUsec: 1_000_000, bootId: 'boot-big', nodeUsage: { cpuBusyUsec: 1, cpuTotalUsec: 4, cpuCores: 4 }, pods } });
      await big.until(() => big.acks().includes(1), 'ack of the 1 000-pod batch');
      await expect.poll(() => page.locator('tr[data-node="node-big"] td.num').innerText(), { timeout: 8000 }).toBe('1000');

      // A burst of 500 events: the list keeps the newest 50, newest first.
      for (let i = 1; i <= 500; i++) own.agg.events.append('test.burst', { n: i });
      const first = page.locator('#event-list li').first();
      await expect.poll(() => first.innerText(), { timeout: 8000 }).toMatch(/test\.burst\s+\{"n":500\}/);
      expect(await page.locator('#event-list li').count()).toBe(50);
      expect(await page.evaluate(() => document.getElementsByTagName('*').length)).toBeLessThan(1500);

      // The server goes away and comes back on the same port: the page resumes after the last seq it got.
      const lastSeen = own.agg.events.lastSeq();
      big.close();
      own = await own.restart();
      own.agg.events.append('test.after-restart', { n: 1 });
      await expect.poll(() => first.innerText(), { timeout: 10_000 }).toMatch(/test\.after-restart/);
      await expect.poll(() => page.locator('#feed-state').innerText(), { timeout: 8000 }).toBe('live');
      // Reconnects ask for what follows the last event the page had (node.left of node-big may come first).
      const resumedFrom = feedUrls.slice(1).map((u) => Number(new URL(u).searchParams.get('since')));
      expect(resumedFrom.some((since) => since >= lastSeen)).toBe(true);
      const seqs = await page.locator('#event-list li').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
      expect(new Set(seqs).size).toBe(seqs.length); // nothing shown twice
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    } finally {
      await context.close();
      await own.close();
    }
  });
});
