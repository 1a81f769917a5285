import { hmsError } from '@hms-sys/common';
import { digestMatches, tokenDigest, WatchedFile } from './tokenFile.js';

export type Role = 'viewer' | 'operator';

interface ApiTokenEntry {
  readonly role: Role;
  readonly name: string;
  readonly digest: Buffer;
}

/**
 * API tokens from `--api-token-file`: lines `viewer TOKEN` or `operator TOKEN`, optionally
 * followed by a name for the audit log (`operator TOKEN alice`). Viewers read, operators also
 * write. Agent tokens are a different file and are never accepted here.
 */
export class ApiTokens {
  private readonly file: WatchedFile<ApiTokenEntry[]>;

  constructor(path: string) {
    this.file = new WatchedFile(path, parseApiTokens);
  }

  /** The caller behind a token, or undefined. */
  authenticate(token: string): { role: Role; name: string } | undefined {
    for (const e of this.file.get()) {
      if (digestMatches(token, e.digest)) return { role: e.role, name: e.name };
    }
    return undefined;
  }
}

function parseApiTokens(lines: string[], path: string): ApiTokenEntry[] {
  return lines.map((line, i) => {
    const [role, token, name] = line.split(/\s+/);
    if ((role !== 'viewer' && role !== 'operator') || !token || token.length < 16) {
      throw hmsError('HMS_CONFIG_INVALID', `${path} line ${i + 1}: expected "viewer TOKEN" or "operator TOKEN" with a token of at least 16 characters`);
    }
    return { role, name: name ?? `${role}-${i + 1}`, digest: tokenDigest(token) };
  });
}
