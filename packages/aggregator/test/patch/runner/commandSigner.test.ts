/**
 * Which key signs patch and reboot commands. Users of an HA pair rely on this: with the same
 * --command-signing-key-file, both replicas sign so that an agent holding one public key accepts
 * the commands of whichever replica leads; a bad file stops start-up with a one-line reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HmsError } from '@hms-sys/common';
import { parseCommandPublicKey, verifyCommandSignature, type ICommand } from '@hms-sys/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestAggregator } from '../../kit/testAggregator.js';
import { COMMAND_SIGNING_KEY_FILE, COMMAND_SIGNING_PUBLIC_KEY_FILE, ensureCommandSigner } from '../../../src/patch/runner/commandSigner.js';

const root = mkdtempSync(join(tmpdir(), 'hms-signer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = (): string => join(root, `d${n++}`);
const cmd: ICommand = { id: 'c-1', nodeName: 'node-a', runId: 'run-1', issuedAtMs: 1, expiresAtMs: 60_000, forceReboot: true };

function keyFile(pem: string, mode = 0o600): string {
  const f = join(root, `key${n++}.pem`);
  writeFileSync(f, pem);
  chmodSync(f, mode);
  return f;
}

function thrown(fn: () => unknown): HmsError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HmsError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

describe('the command-signing key', () => {
  it('without a key file: each data dir generates its own pair, and keeps it across restarts', () => {
    const a = dir();
    const first = ensureCommandSigner(a);
    expect(existsSync(join(a, COMMAND_SIGNING_KEY_FILE))).toBe(true);
    expect(ensureCommandSigner(a).keyId).toBe(first.keyId);
    expect(ensureCommandSigner(dir()).keyId).not.toBe(first.keyId);
  });

  it('two replicas given the same key file sign commands one agent key verifies; the data dir gets the .pub only', () => {
    const file = keyFile(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const [a, b] = [dir(), dir()];
    const leader = ensureCommandSigner(a, undefined, file);
    const standby = ensureCommandSigner(b, undefined, file);
    expect(standby.keyId).toBe(leader.keyId);
    expect(existsSync(join(a, COMMAND_SIGNING_KEY_FILE))).toBe(false);
    const agentKey = parseCommandPublicKey(readFileSync(join(a, COMMAND_SIGNING_PUBLIC_KEY_FILE), 'utf8'));
    expect(readFileSync(join(b, COMMAND_SIGNING_PUBLIC_KEY_FILE), 'utf8')).toBe(readFileSync(join(a, COMMAND_SIGNING_PUBLIC_KEY_FILE), 'utf8'));
    expect(verifyCommandSignature(leader.sign(cmd), agentKey)).toEqual({ ok: true });
    expect(verifyCommandSignature(standby.sign(cmd), agentKey)).toEqual({ ok: true });
  });

  it('reads the key as `openssl genpkey -algorithm ed25519` writes it', () => {
    let pem: string;
    try {
      pem = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519'], { encoding: 'utf8' });
    } catch {
      console.warn('[skip] openssl is not installed: the openssl-format check is skipped');
      return;
    }
    const signer = ensureCommandSigner(dir(), undefined, keyFile(pem));
    expect(signer.keyId).toMatch(/\S/);
  });

  it('an empty key file (the deploy/ placeholder) falls back to the data dir pair', () => {
    const a = dir();
    const signer = ensureCommandSigner(a, undefined, keyFile(''));
    expect(signer.keyId).toBe(ensureCommandSigner(a).keyId);
  });

  it('a missing file, a non-key and a non-Ed25519 key stop start-up with a reason', () => {
    expect(thrown(() => ensureCommandSigner(dir(), undefined, join(root, 'nope.pem'))).message).toMatch(/cannot read --command-signing-key-file .*nope\.pem: ENOENT/);
    expect(thrown(() => ensureCommandSigner(dir(), undefined, keyFile('not a key\n'))).code).toBe('HMS_CONFIG_INVALID');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(thrown(() => ensureCommandSigner(dir(), undefined, keyFile(rsa))).message).toMatch(/not an Ed25519 private key \(rsa\)/);
  });

  it('the aggregator signs with --command-signing-key-file and publishes its public key in the data dir', async () => {
    const pair = generateKeyPairSync('ed25519');
    const file = keyFile(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const t = await startTestAggregator({ config: { commandSigningKeyFile: file } });
    try {
      expect(readFileSync(join(t.dataDir, COMMAND_SIGNING_PUBLIC_KEY_FILE), 'utf8')).toBe(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      expect(existsSync(join(t.dataDir, COMMAND_SIGNING_KEY_FILE))).toBe(false);
    } finally {
      await t.close();
    }
  });
});
