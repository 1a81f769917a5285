import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { credentialsFile, serverKey } from './apiClient.js';

/**
 * Records the operator token of a server `hms-sys up` started, in ~/.config/hms-sys/credentials.json
 * (mode 0600), so client commands on this machine work without flags from any directory.
 * Best effort: an unwritable home only means clients need --token.
 */
export function rememberServerToken(env: NodeJS.ProcessEnv, serverUrl: string, token: string): string | undefined {
  const file = credentialsFile(env);
  try {
    let data: { servers: Record<string, string> } = { servers: {} };
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as typeof data;
      data.servers ??= {};
    } catch {
      /* new file */
    }
    data.servers[serverKey(serverUrl)] = token;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    return file;
  } catch {
    return undefined;
  }
}
