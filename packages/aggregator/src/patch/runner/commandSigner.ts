import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errnoCode, errorMessage, hmsError, type Logger } from '@hms-sys/common';
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
 * The command-signing key: from `keyFile` when one is given (e.g. a Kubernetes Secret shared by
 * HA replicas, so agents accept the commands of whichever replica leads), else the Ed25519 key
 * pair in the data dir, generated on first start: the private key (PKCS#8 PEM) with mode 0600, the
 * public key (SPKI PEM) beside it. Either way the public key is (re)written to the data dir's
 * command-signing.pub for operators to hand to the agents. The private key never leaves this
 * object and is never logged; only the key id is.
 *
 * An empty `keyFile` (the deploy/ placeholder) means "not configured": the data-dir pair is used
 * and a warning says each replica then signs with its own key.
 */
export function ensureCommandSigner(dataDir: string, logger?: Logger, keyFile?: string): CommandSigner {
  const paths = commandKeyPaths(dataDir);
  const fromFile = keyFile === undefined ? undefined : readKeyFile(keyFile, logger);
  if (fromFile) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const privateKey = fromFile ?? dataDirKey(paths, logger);
  const publicKey = createPublicKey(privateKey);
  if (fromFile) logger?.info({ keyId: commandKeyId(publicKey), file: keyFile }, 'command-signing key loaded from --command-signing-key-file');
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  if (!existsSync(paths.publicKey) || readFileSync(paths.publicKey, 'utf8') !== pem) writeFileSync(paths.publicKey, pem, { mode: 0o644 });
  const keyId = commandKeyId(publicKey);
  return {
    keyId,
    publicKeyFile: paths.publicKey,
    sign: (cmd) => signCommand(cmd, privateKey, keyId),
  };
}

/** The data dir's key pair, generated on first start (see ensureCommandSigner). */
function dataDirKey(paths: { privateKey: string; publicKey: string }, logger: Logger | undefined): KeyObject {
  try {
    mkdirSync(dirname(paths.privateKey), { recursive: true, mode: 0o700 });
    if (existsSync(paths.privateKey)) {
      const privateKey = parseEd25519(readFileSync(paths.privateKey, 'utf8'));
      if ((statSync(paths.privateKey).mode & 0o077) !== 0) {
        chmodSync(paths.privateKey, 0o600);
        logger?.warn({ file: paths.privateKey }, 'the command-signing key was readable by others: mode set to 0600');
      }
      return privateKey;
    }
    const pair = generateKeyPairSync('ed25519');
    writeFileSync(paths.privateKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    logger?.info({ keyId: commandKeyId(pair.publicKey), publicKey: paths.publicKey }, 'generated the command-signing key pair');
    return pair.privateKey;
  } catch (err) {
    throw hmsError('HMS_STORE_OPEN', `cannot load the command-signing key ${paths.privateKey}: ${errorMessage(err)}`, {
      hint: 'delete the file to generate a new pair (then give every agent the new command-signing.pub)',
      cause: err,
    });
  }
}

/**
 * `--command-signing-key-file`: an Ed25519 private key (PKCS#8 PEM, as `openssl genpkey -algorithm
 * ed25519` writes it), or undefined when the file is empty. It is not modified (a Secret mount is
 * read-only): a key others may read is only warned about.
 */
function readKeyFile(file: string, logger: Logger | undefined): KeyObject | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw hmsError('HMS_CONFIG_INVALID', `cannot read --command-signing-key-file ${file}: ${errnoCode(err) ?? errorMessage(err)}`, { cause: err });
  }
  if (text.trim() === '') {
    logger?.warn({ file }, '--command-signing-key-file is empty: using the key pair in the data dir (with several replicas, each signs with its own key and agents accept only one)');
    return undefined;
  }
  let key: KeyObject;
  try {
    key = parseEd25519(text);
  } catch (err) {
    throw hmsError('HMS_CONFIG_INVALID', `--command-signing-key-file ${file}: ${errorMessage(err)}`, {
      hint: 'create one with: openssl genpkey -algorithm ed25519 -out command-signing.key',
      cause: err,
    });
  }
  if ((statSync(file).mode & 0o007) !== 0) logger?.warn({ file }, 'the command-signing key file is readable by every user on this host');
  return key;
}

function parseEd25519(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 private key (${key.asymmetricKeyType ?? 'unknown'})`);
  return key;
}
