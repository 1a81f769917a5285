import { hmsError } from '@hms-sys/common';
import { digestMatches, tokenDigest, WatchedFile } from './tokenFile.js';

interface AgentTokenEntry {
  /** undefined: a bootstrap token admitting any node name. */
  readonly node: string | undefined;
  readonly digest: Buffer;
}

/**
 * Agent tokens from `--agent-token-file`: one per line. A bare `TOKEN` admits any node (a
 * bootstrap token); `TOKEN NODE` admits only the agent of that node, so a stolen node token
 * cannot report for another node. The file is re-read when it changes (rotation without restart).
 */
export class AgentTokens {
  private readonly file: WatchedFile<AgentTokenEntry[]>;

  constructor(path: string) {
    this.file = new WatchedFile(path, parseAgentTokens);
  }

  /** undefined = refused; otherwise the node the token is bound to (null = any). */
  authenticate(token: string): { node: string | null } | undefined {
    for (const e of this.file.get()) {
      if (digestMatches(token, e.digest)) return { node: e.node ?? null };
    }
    return undefined;
  }
}

function parseAgentTokens(lines: string[], path: string): AgentTokenEntry[] {
  return lines.map((line, i) => {
    const [token, node, extra] = line.split(/\s+/);
    if (!token || token.length < 16 || extra !== undefined) {
      throw hmsError('HMS_CONFIG_INVALID', `${path} line ${i + 1}: expected "TOKEN" or "TOKEN NODE" with a token of at least 16 characters`);
    }
    return { node, digest: tokenDigest(token) };
  });
}
