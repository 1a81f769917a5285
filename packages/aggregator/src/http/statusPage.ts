import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hmsError } from '@hms-sys/common';
import type { ApiRequest, Router } from './router.js';

/**
 * The status page's files live in `packages/aggregator/static/`. This module sits at
 * `src/http/` (vitest) or `dist/http/` (built), both two levels below the package root, so the
 * directory is found from either — never from the process's cwd.
 */
export const STATIC_DIR = fileURLToPath(new URL('../../static/', import.meta.url));

/**
 * Content-Security-Policy of the page and its assets: scripts, styles and API calls from this
 * origin only, no inline script or style, nothing framed, no plugins, forms post nowhere.
 */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  readonly path: string;
  readonly file: string;
  readonly contentType: string;
}

/** URL path → file in STATIC_DIR. Anything else under /ui/ is a 404 (no directory listing, no traversal). */
export const STATUS_PAGE_ASSETS: readonly Asset[] = [
  { path: '/', file: 'index.html', contentType: 'text/html; charset=utf-8' },
  { path: '/ui/app.js', file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  { path: '/ui/style.css', file: 'style.css', contentType: 'text/css; charset=utf-8' },
];

interface Loaded {
  readonly body: Buffer;
  readonly etag: string;
}

/**
 * Serves the status page (`GET /`) and its assets (`/ui/*`), public: the page holds no data;
 * it reads the viewer token from its URL fragment (`/#token=…`, which browsers never send) or
 * asks for it, and then calls the API and the feed with `Authorization: Bearer`.
 * Files are read once, on first request, and revalidated by ETag (`cache-control: no-cache`), so
 * a new release is picked up at the next load without a stale page.
 */
export function addStatusPage(router: Router, dir: string = STATIC_DIR): void {
  const cache = new Map<string, Loaded>();
  const load = (a: Asset): Loaded => {
    let hit = cache.get(a.file);
    if (!hit) {
      let body: Buffer;
      try {
        body = readFileSync(join(dir, a.file));
      } catch (err) {
        throw hmsError('HMS_NOT_FOUND', `status page file ${a.file} is not installed in ${dir}`, { cause: err });
      }
      hit = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      cache.set(a.file, hit);
    }
    return hit;
  };
  for (const asset of STATUS_PAGE_ASSETS) {
    router.add('GET', asset.path, 'public', (req: ApiRequest) => {
      const { body, etag } = load(asset);
      const headers: Record<string, string | number> = {
        'content-type': asset.contentType,
        'cache-control': 'no-cache',
        etag,
        'content-security-policy': STATUS_PAGE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
      };
      if (req.raw.headers['if-none-match'] === etag) {
        req.res.writeHead(304, headers).end();
        return undefined;
      }
      req.res.writeHead(200, { ...headers, 'content-length': body.length });
      req.res.end(req.method === 'HEAD' ? undefined : body);
      return undefined;
    });
  }
}
