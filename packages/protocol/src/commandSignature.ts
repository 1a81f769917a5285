import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { commandSigningBytes, type ICommand } from './codec.js';

/**
 * Ed25519 signatures on Command (SPEC §4): the aggregator signs `commandSigningBytes(cmd)` (the
 * encoding with `signature` empty, `key_id` included) and the agent verifies the same bytes with
 * the public key it was given. Shared by both sides so they can never disagree on the bytes.
 */

/** Key id of a public key: the first 16 hex digits of SHA-256 over its SPKI DER encoding. */
export function commandKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Returns the command with `keyId` and `signature` set (the input is not mutated). */
export function signCommand(cmd: ICommand, privateKey: KeyObject, keyId: string): ICommand {
  const unsigned: ICommand = { ...cmd, keyId, signature: new Uint8Array(0) };
  const signature = sign(null, commandSigningBytes(unsigned), privateKey);
  return { ...unsigned, signature: new Uint8Array(signature) };
}

export type SignatureCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Verifies a received command against one trusted public key. Never throws: a malformed
 * signature is simply a failed check with a reason (for the refusal message and the log).
 */
export function verifyCommandSignature(cmd: ICommand, publicKey: KeyObject, keyId = commandKeyId(publicKey)): SignatureCheck {
  const sig = cmd.signature;
  if (!sig || sig.length === 0) return { ok: false, reason: 'the command is not signed' };
  if ((cmd.keyId ?? '') !== keyId) return { ok: false, reason: `signed with key ${cmd.keyId || '(none)'}, this agent trusts key ${keyId}` };
  try {
    return verify(null, commandSigningBytes(cmd), publicKey, sig) ? { ok: true } : { ok: false, reason: 'signature does not verify' };
  } catch (err) {
    return { ok: false, reason: `signature check failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Parses a public key from PEM (SPKI) text; throws with the crypto error when it is not an Ed25519 key. */
export function parseCommandPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 public key, got ${key.asymmetricKeyType ?? 'an unknown key type'}`);
  return key;
}
