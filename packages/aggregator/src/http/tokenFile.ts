import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { errnoCode, hmsError } from '@hms-sys/common';

/** A new random token: 32 bytes, hex. */
export function generateToken(): string {
  return randomBytes(32).toString('hex');
}

/** sha256 of a token: what is kept in memory for comparison. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token with a stored digest. */
export function digestMatches(token: string, digest: Buffer): boolean {
  return timingSafeEqual(tokenDigest(token), digest);
}

/** Extracts the token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m?.[1];
}

/**
 * A credentials file re-read when it changes on disk, so tokens rotate without a restart.
 * `parse` turns the text into entries; comments (#) and blank lines are dropped before.
 */
export class WatchedFile<T> {
  private mtimeMs = -1;
  private size = -1;
  private value: T;

  constructor(
    readonly path: string,
    private readonly parse: (lines: string[], path: string) => T,
  ) {
    this.value = this.load();
  }

  /** Current entries (re-reads the file if it changed; keeps the old entries if it vanished). */
  get(): T {
    try {
      const st = statSync(this.path);
      if (st.mtimeMs !== this.mtimeMs || st.size !== this.size) this.value = this.load();
    } catch {
      /* unreadable now: keep serving the last good set */
    }
    return this.value;
  }

  private load(): T {
    let text: string;
    try {
      const st = statSync(this.path);
      text = readFileSync(this.path, 'utf8');
      this.mtimeMs = st.mtimeMs;
      this.size = st.size;
    } catch (err) {
      throw hmsError('HMS_CONFIG_INVALID', `cannot read token file ${this.path}: ${errnoCode(err) ?? String(err)}`, { cause: err });
    }
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    return this.parse(lines, this.path);
  }
}
