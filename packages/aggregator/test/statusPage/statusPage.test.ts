/**
 * The status page at `/` over HTTP: public, strict CSP, sensible caching, no inline script, no
 * token in anything the server sends, assets found from src/ and dist/, and the `?tail=` page of
 * /v1/events it starts from.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATIC_DIR, STATUS_PAGE_CSP } from '../../src/http/statusPage.js';
import { apiGet, startTestAggregator, type TestAggregator } from '../kit/testAggregator.js';

let t: TestAggregator;
beforeAll(async () => {
  t = await startTestAggregator();
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> => fetch(`${t.agg.url}${path}`, { headers, method });

describe('GET / (status page)', () => {
  it('serves the page without a token, as HTML under a strict CSP', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(STATUS_PAGE_CSP);
    expect(csp).toMatch(/(^|; )default-src 'none'(;|$)/);
    expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
    expect(csp).toMatch(/(^|; )connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<script type="module" src="/ui/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/ui/style.css">');
    // No inline script or style, no inline handlers: every <script> has a src, nothing has style= or on*=.
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\/ui\//);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  it('never carries a token: the page is the same with or without one, and holds none of the server\'s', async () => {
    const anonymous = await (await get('/')).text();
    const withViewer = await (await get('/', { authorization: `Bearer ${t.tokens.viewer}` })).text();
    expect(withViewer).toBe(anonymous);
    const js = await (await get('/ui/app.js')).text();
    for (const body of [anonymous, js, await (await get('/ui/style.css')).text()]) {
      for (const token of Object.values(t.tokens)) expect(body).not.toContain(token);
    }
    // The script sends the token only as a header, never in a URL it requests.
    expect(js).not.toMatch(/[?&]token=/);
    expect(js).toContain('authorization: `Bearer ${state.token}`');
  });

  it('serves the script and the stylesheet with their types, revalidated by ETag', async () => {
    for (const [path, type] of [['/ui/app.js', 'text/javascript; charset=utf-8'], ['/ui/style.css', 'text/css; charset=utf-8']] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toBe(type);
      expect(res.headers.get('content-security-policy'), path).toBe(STATUS_PAGE_CSP);
      const etag = res.headers.get('etag') ?? '';
      expect(Number(res.headers.get('content-length'))).toBe((await res.arrayBuffer()).byteLength);
      const again = await get(path, { 'if-none-match': etag });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('answers HEAD without a body and 404s anything else under /ui/, traversal included', async () => {
    const head = await get('/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const path of ['/ui/', '/ui/missing.js', '/ui/../static/app.js', '/ui/%2e%2e/package.json', '/index.html']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/application\/json/);
    }
    expect((await get('/', {}, 'POST')).status).toBe(405);
  });

  it('leaves the API closed: loading the page grants nothing', async () => {
    expect((await apiGet(t, '/v1/nodes', null)).status).toBe(401);
    expect((await apiGet(t, '/v1/autoscalers', null)).status).toBe(401);
    expect((await get('/v1/feed', { accept: 'text/event-stream' })).status).toBe(401);
  });
});

describe('static files', () => {
  it('are found relative to the package, from src/ and from dist/', async () => {
    const pkgStatic = fileURLToPath(new URL('../../static/', import.meta.url));
    expect(STATIC_DIR).toBe(pkgStatic);
    for (const f of ['index.html', 'app.js', 'style.css']) expect(existsSync(`${STATIC_DIR}${f}`), f).toBe(true);
    const dist = new URL('../../dist/http/statusPage.js', import.meta.url);
    if (!existsSync(dist)) {
      console.warn('[status page] SKIP the dist/ check: packages/aggregator/dist is not built (npm run build)');
      return;
    }
    const built = (await import(dist.href)) as { STATIC_DIR: string };
    expect(built.STATIC_DIR).toBe(pkgStatic);
  });
});

describe('GET /v1/events?tail=N (the page\'s backlog)', () => {
  it('returns the newest N events, oldest first; bad values are 400', async () => {
    for (let i = 1; i <= 30; i++) t.agg.events.append('test.tick', { n: i });
    const last = t.agg.events.lastSeq();
    const r = await apiGet<{ seq: number; n: number }[]>(t, '/v1/events?tail=5');
    expect(r.status).toBe(200);
    expect(r.body.map((e) => e.seq)).toEqual([last - 4, last - 3, last - 2, last - 1, last]);
    expect(r.body.at(-1)?.n).toBe(30);
    for (const bad of ['0', '-1', 'x', '10001']) expect((await apiGet(t, `/v1/events?tail=${bad}`)).status, bad).toBe(400);
    expect((await apiGet(t, '/v1/events?tail=5', null)).status).toBe(401);
  });
});
