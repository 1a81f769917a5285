import { readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { errorMessage, hmsError } from '@hms-sys/common';
import { commandKeyId, parseCommandPublicKey, verifyCommandSignature, type ICommand, type SignatureCheck } from '@hms-sys/protocol';

/** Checks the aggregator's Ed25519 signature on a Command (port: tests use fakes). */
export interface CommandVerifier {
  /** Key id trusted, or undefined when no key is configured (every command is refused). */
  readonly keyId: string | undefined;
  verify(cmd: ICommand): SignatureCheck;
}

/** Refusal reason when the agent was started without --command-public-key. */
export const NO_PUBLIC_KEY_REASON =
  'this agent has no --command-public-key, so it refuses every command (fail closed); give it the aggregator\'s command-signing.pub';

/**
 * Loads `--command-public-key FILE` (PEM SPKI, as the aggregator writes `command-signing.pub`).
 * Without a file, the verifier refuses everything. An unreadable or non-Ed25519 file is a
 * configuration error at start (HMS_CONFIG_INVALID), not a silent refusal later.
 */
export function loadCommandVerifier(file: string | undefined): CommandVerifier {
  if (!file) return { keyId: undefined, verify: () => ({ ok: false, reason: NO_PUBLIC_KEY_REASON }) };
  let key: KeyObject;
  try {
    key = parseCommandPublicKey(readFileSync(file, 'utf8'));
  } catch (err) {
    throw hmsError('HMS_CONFIG_INVALID', `--command-public-key ${file}: ${errorMessage(err)}`, {
      hint: 'pass the aggregator\'s command-signing.pub (PEM, Ed25519)',
      cause: err,
    });
  }
  const keyId = commandKeyId(key);
  return { keyId, verify: (cmd) => verifyCommandSignature(cmd, key, keyId) };
}
