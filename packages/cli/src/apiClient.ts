import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ERROR_CATALOGUE, hmsError, type ErrorCode, type ParsedOptions } from '@hms-sys/common';

/** Where `hms-sys up` records the tokens of the servers it started, for client commands. */
export function credentialsFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'hms-sys', 'credentials.json');
}

/** Normalises a server URL so the credentials file matches http://localhost:9400 and http://127.0.0.1:9400/ alike. */
export function serverKey(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname === 'localhost' || u.hostname === '[::1]' ? '127.0.0.1' : u.hostname;
    return `${u.protocol}//${host}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return url;
  }
}

/**
 * The token a client command uses: --token / HMS_SYS_TOKEN, else the operator token in the local
 * data dir's api-tokens, else the one `hms-sys up` recorded for this server.
 */
export function resolveToken(opts: ParsedOptions, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const explicit = opts.optStr('token');
  if (explicit) return explicit;
  const dataDir = resolve(cwd, opts.optStr('data-dir') ?? './.hms-sys');
  const apiTokens = join(dataDir, 'api-tokens');
  if (existsSync(apiTokens)) {
    try {
      const lines = readFileSync(apiTokens, 'utf8').split('\n').map((l) => l.trim().split(/\s+/));
      const tok = lines.find((p) => p[0] === 'operator')?.[1] ?? lines.find((p) => p[0] === 'viewer')?.[1];
      if (tok) return tok;
    } catch {
      /* unreadable (another user's data dir): fall through */
    }
  }
  try {
    const creds = JSON.parse(readFileSync(credentialsFile(env), 'utf8')) as { servers?: Record<string, string> };
    return creds.servers?.[serverKey(opts.str('server'))];
  } catch {
    return undefined;
  }
}

/** A thin JSON client for the aggregator API; failures become catalogue errors. */
export class ApiClient {
  constructor(
    readonly server: string,
    private readonly token: string | undefined,
  ) {}

  static fromOptions(opts: ParsedOptions, env: NodeJS.ProcessEnv, cwd: string): ApiClient {
    return new ApiClient(opts.str('server').replace(/\/+$/, ''), resolveToken(opts, env, cwd));
  }

  get<T = unknown>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  put<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  delete<T = unknown>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.server}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw hmsError('HMS_SERVER_UNREACHABLE', `cannot reach the aggregator at ${this.server}`, { cause: err });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!res.ok) {
      const b = (parsed ?? {}) as { error?: string; message?: string; hint?: string };
      const code: ErrorCode = b.error && b.error in ERROR_CATALOGUE ? (b.error as ErrorCode) : res.status === 401 ? 'HMS_UNAUTHORIZED' : res.status === 403 ? 'HMS_FORBIDDEN' : res.status === 404 ? 'HMS_NOT_FOUND' : 'HMS_SERVER_ERROR';
      throw hmsError(code, b.message ?? `${method} ${path} failed with HTTP ${res.status}`, b.hint ? { hint: b.hint } : {});
    }
    return parsed as T;
  }
}
