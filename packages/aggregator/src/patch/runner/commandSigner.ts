import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, hmsError, type Logger } from '@hms-sys/common';
import { commandKeyId, signCommand, type ICommand } from '@hms-sys/protocol';

/** File names of the command-signing key pair in the data dir. */
export const COMMAND_SIGNING_KEY_FILE = 'command-signing.key';
export const COMMAND_SIGNING_PUBLIC_KEY_FILE = 'command-signing.pub';

/** Where the aggregator keeps its command-signing keys (the agents get the `.pub`). */
export function commandKeyPaths(dataDir: string): { privateKey: string; publicKey: string } {
  return { privateKey: join(dataDir, COMMAND_SIGNING_KEY_FILE), publicKey: join(dataDir, COMMAND_SIGNING_PUBLIC_KEY_FILE) };
}

/** Signs every Command the orchestrator sends. */
export interface CommandSigner {
  readonly keyId: string;
  /** PEM file of the public key to give the agents (`--command-public-key`). */
  readonly publicKeyFile: string;
  sign(cmd: ICommand): ICommand;
}

/**
 * Loads the Ed25519 key pair from the data dir, generating it on first start: the private key
 * (PKCS#8 PEM) with mode 0600, the public key (SPKI PEM) beside it. The private key never leaves
 * this object and is never logged; only the key id is.
 */
export function ensureCommandSigner(dataDir: string, logger?: Logger): CommandSigner {
  const paths = commandKeyPaths(dataDir);
  let privateKey: KeyObject;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (existsSync(paths.privateKey)) {
      privateKey = createPrivateKey(readFileSync(paths.privateKey, 'utf8'));
      if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${privateKey.asymmetricKeyType ?? 'unknown'})`);
      if ((statSync(paths.privateKey).mode & 0o077) !== 0) {
        chmodSync(paths.privateKey, 0o600);
        logger?.warn({ file: paths.privateKey }, 'the command-signing key was readable by others: mode set to 0600');
      }
    } else {
      const pair = generateKeyPairSync('ed25519');
      privateKey = pair.privateKey;
      writeFileSync(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      logger?.info({ keyId: commandKeyId(pair.publicKey), publicKey: paths.publicKey }, 'generated the command-signing key pair');
    }
  } catch (err) {
    throw hmsError('HMS_STORE_OPEN', `cannot load the command-signing key ${paths.privateKey}: ${errorMessage(err)}`, {
      hint: 'delete the file to generate a new pair (then give every agent the new command-signing.pub)',
      cause: err,
    });
  }
  const publicKey = createPublicKey(privateKey);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (!existsSync(paths.publicKey) || readFileSync(paths.publicKey, 'utf8') !== pem) writeFileSync(paths.publicKey, pem, { mode: 0o644 });
  const keyId = commandKeyId(publicKey);
  return {
    keyId,
    publicKeyFile: paths.publicKey,
    sign: (cmd) => signCommand(cmd, privateKey, keyId),
  };
}
