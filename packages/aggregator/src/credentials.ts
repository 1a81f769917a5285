import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateToken } from './http/tokenFile.js';

/** Paths of the token files `hms-sys up` / `hms-sys aggregator` generate in the data dir. */
export function credentialPaths(dataDir: string): { agentTokens: string; apiTokens: string } {
  return { agentTokens: join(dataDir, 'agent-tokens'), apiTokens: join(dataDir, 'api-tokens') };
}

/**
 * Makes sure the data dir holds token files (mode 0600), generating random tokens on first start.
 * `operatorToken` (from `up --token T`) replaces the generated operator token.
 * Returns the operator and viewer tokens and one agent token, for local clients and agents.
 */
export function ensureCredentials(dataDir: string, operatorToken?: string): { operator: string; viewer: string; agent: string } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { agentTokens, apiTokens } = credentialPaths(dataDir);
  if (!existsSync(agentTokens)) writeFileSync(agentTokens, `# agent tokens: "TOKEN" admits any node, "TOKEN NODE" only that node\n${generateToken()}\n`, { mode: 0o600 });
  let lines = existsSync(apiTokens) ? readFileSync(apiTokens, 'utf8').split('\n') : [];
  const find = (role: string): string | undefined => lines.map((l) => l.trim().split(/\s+/)).find((p) => p[0] === role)?.[1];
  let operator = find('operator');
  let viewer = find('viewer');
  let changed = false;
  if (operatorToken && operator !== operatorToken) {
    lines = lines.filter((l) => !l.trim().startsWith('operator '));
    lines.push(`operator ${operatorToken} local-operator`);
    operator = operatorToken;
    changed = true;
  }
  if (!operator) {
    operator = generateToken();
    lines.push(`operator ${operator} local-operator`);
    changed = true;
  }
  if (!viewer) {
    viewer = generateToken();
    lines.push(`viewer ${viewer} local-viewer`);
    changed = true;
  }
  if (changed) {
    const body = ['# API tokens: "viewer TOKEN [name]" reads, "operator TOKEN [name]" also writes', ...lines.filter((l) => l.trim() && !l.startsWith('#'))];
    writeFileSync(apiTokens, body.join('\n') + '\n', { mode: 0o600 });
  }
  const agent = readFileSync(agentTokens, 'utf8').split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#'))?.split(/\s+/)[0] ?? '';
  return { operator, viewer, agent };
}
