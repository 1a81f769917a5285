import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage, hmsError, HmsError, type Logger } from '@hms-sys/common';
import type { ApiTokens, Role } from './apiTokens.js';
import { bearerToken } from './tokenFile.js';

export type Access = 'public' | 'viewer' | 'operator';

export interface Caller {
  readonly role: Role;
  readonly name: string;
}

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly caller: Caller | undefined;
  readonly raw: IncomingMessage;
  readonly res: ServerResponse;
  /** The JSON body (at most 1 MiB); throws HMS_INPUT_INVALID (400) when malformed. */
  json(): Promise<unknown>;
  /** The body as text (at most 1 MiB). */
  text(): Promise<string>;
}

/** What the audit log records of a write: who, what, where. */
export interface AuditedWrite {
  readonly caller: Caller;
  readonly method: string;
  readonly path: string;
}

/** A handler returns a JSON body (status 200 unless given), or undefined after writing `res` itself. */
export type ApiResult = { status?: number; body: unknown } | undefined;
export type Handler = (req: ApiRequest) => Promise<ApiResult> | ApiResult;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly access: Access;
  readonly handler: Handler;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A small router: `add('GET', '/v1/autoscalers/:ns/:name', 'viewer', handler)`.
 * Reads need a viewer (or operator) token, writes an operator token; errors are JSON
 * `{error, message}` with the catalogue's status code.
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly tokens: ApiTokens,
    private readonly logger: Logger,
    /** Called for every write by an authenticated caller (done or refused), for the audit log. */
    private readonly onWrite?: (write: AuditedWrite, status: number) => void,
  ) {}

  add(method: string, path: string, access: Access, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((part) => {
        if (part.startsWith(':')) {
          keys.push(part.slice(1));
          return '([^/]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, access, handler });
    return this;
  }

  /** Handles a request; false when no route matched the path (the caller answers 404). */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(url.pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method && !(route.method === 'GET' && method === 'HEAD')) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1] ?? '');
      });
      // The authenticated caller of a write route, for the audit log even when the write is refused.
      let writer: Caller | undefined;
      let audited = false;
      try {
        const caller = this.authorize(route.access, req, (c) => { writer = c; });
        let bodyText: string | undefined;
        const text = async (): Promise<string> => (bodyText ??= await readBody(req));
        const apiReq: ApiRequest = {
          method, path: url.pathname, params, query: url.searchParams, caller, raw: req, res,
          text,
          async json() {
            const t = await text();
            if (t.trim() === '') throw hmsError('HMS_INPUT_INVALID', 'request body is empty; send JSON');
            try {
              return JSON.parse(t) as unknown;
            } catch (err) {
              throw hmsError('HMS_INPUT_INVALID', `request body is not valid JSON: ${errorMessage(err)}`);
            }
          },
        };
        const result = await route.handler(apiReq);
        if (result !== undefined) sendJson(res, result.status ?? 200, result.body);
        if (route.access === 'operator' && caller && this.onWrite) {
          audited = true;
          this.onWrite({ caller, method, path: url.pathname }, result?.status ?? res.statusCode);
        }
      } catch (err) {
        this.fail(res, err);
        // A refused write (a viewer's 403, a malformed body's 400) is audited too, with its caller.
        if (route.access === 'operator' && writer && this.onWrite && !audited) {
          try {
            this.onWrite({ caller: writer, method, path: url.pathname }, res.statusCode);
          } catch (auditErr) {
            this.logger.error({ err: auditErr }, 'audit of a refused write failed');
          }
        }
      }
      return;
    }
    if (pathMatched) return this.fail(res, hmsError('HMS_USAGE', `method ${method} not allowed on ${url.pathname}`), 405);
    this.fail(res, hmsError('HMS_NOT_FOUND', `no such path: ${url.pathname}`));
  }

  private authorize(access: Access, req: IncomingMessage, authenticated?: (c: Caller) => void): Caller | undefined {
    if (access === 'public') return undefined;
    const token = bearerToken(req.headers.authorization);
    if (!token) throw hmsError('HMS_UNAUTHORIZED', 'missing bearer token');
    const caller = this.tokens.authenticate(token);
    if (!caller) throw hmsError('HMS_UNAUTHORIZED', 'invalid token');
    authenticated?.(caller);
    if (access === 'operator' && caller.role !== 'operator') throw hmsError('HMS_FORBIDDEN', `a ${caller.role} token cannot change anything`);
    return caller;
  }

  private fail(res: ServerResponse, err: unknown, status?: number): void {
    const e = err instanceof HmsError ? err : hmsError('HMS_INTERNAL', 'internal error', { cause: err });
    if (!(err instanceof HmsError)) this.logger.error({ err }, 'API handler failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, status ?? e.httpStatus, e.toJSON());
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** Past this much, an over-long body is no longer drained to answer 400 cleanly: the connection is cut. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Over the limit: keep nothing, but read on to the end so the client gets its 400 instead of
      // a reset in the middle of its upload (memory stays bounded; time is the client's).
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) {
          reject(hmsError('HMS_INPUT_INVALID', `request body larger than ${MAX_BODY_BYTES} bytes`));
          req.destroy();
        }
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) reject(hmsError('HMS_INPUT_INVALID', `request body larger than ${MAX_BODY_BYTES} bytes`));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
