import { readFileSync, statSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { createSecureContext, type PeerCertificate, type SecureContextOptions } from 'node:tls';
import { errnoCode, errorMessage, hmsError } from '@hms-sys/common';

/** The aggregator's TLS files (`--tls-cert`, `--tls-key`, `--client-ca`). */
export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** CA that signs agent client certificates; undefined = agents authenticate with tokens only. */
  readonly clientCaFile: string | undefined;
}

type Loaded = { readonly cert: Buffer; readonly key: Buffer; readonly ca: Buffer | undefined };

/**
 * Server certificate, key and client CA, re-read when a file changes on disk so certificates
 * rotate without a restart (cert-manager rewrites the Secret volume in place). A new set is used
 * only once it loads as a whole: a half-written rotation (new certificate, old key) keeps the
 * previous context until the files agree again.
 */
export class TlsFilesWatcher {
  private stamp: string;
  private current: Loaded;
  private failedStamp = '';

  constructor(readonly files: TlsFiles) {
    this.stamp = this.fileStamp();
    this.current = load(files);
  }

  /** Options for https.createServer: client certificates are requested but checked per endpoint. */
  serverOptions(): ServerOptions {
    return {
      ...this.contextOptions(),
      // One port serves agents, the API and /metrics: only the agent stream insists on a client
      // certificate (checked at its upgrade), so a curl or Prometheus without one still gets TLS.
      requestCert: this.files.clientCaFile !== undefined,
      rejectUnauthorized: false,
    };
  }

  contextOptions(): SecureContextOptions {
    const { cert, key, ca } = this.current;
    return { cert, key, ...(ca ? { ca } : {}) };
  }

  /**
   * Re-reads the files when one of them changed. Returns the new context options to hand to
   * `server.setSecureContext`, undefined when nothing changed; throws (HMS_CONFIG_INVALID) when
   * the changed files do not load, once per change, keeping the previous context in force.
   */
  poll(): SecureContextOptions | undefined {
    const stamp = this.fileStamp();
    if (stamp === this.stamp || stamp === this.failedStamp) return undefined;
    try {
      this.current = load(this.files);
    } catch (err) {
      this.failedStamp = stamp;
      throw err;
    }
    this.stamp = stamp;
    this.failedStamp = '';
    return this.contextOptions();
  }

  private fileStamp(): string {
    return [this.files.certFile, this.files.keyFile, this.files.clientCaFile]
      .map((f) => {
        if (!f) return '-';
        try {
          const st = statSync(f);
          return `${st.mtimeMs}:${st.size}:${st.ino}`;
        } catch {
          return 'missing';
        }
      })
      .join('|');
  }
}

function load(files: TlsFiles): Loaded {
  const read = (file: string, flag: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw hmsError('HMS_CONFIG_INVALID', `cannot read ${flag} ${file}: ${errnoCode(err) ?? errorMessage(err)}`, { cause: err });
    }
  };
  const loaded: Loaded = {
    cert: read(files.certFile, '--tls-cert'),
    key: read(files.keyFile, '--tls-key'),
    ca: files.clientCaFile ? read(files.clientCaFile, '--client-ca') : undefined,
  };
  try {
    // Parses the PEMs and checks that the key belongs to the certificate.
    createSecureContext({ cert: loaded.cert, key: loaded.key, ...(loaded.ca ? { ca: loaded.ca } : {}) });
  } catch (err) {
    throw hmsError('HMS_CONFIG_INVALID', `--tls-cert ${files.certFile} / --tls-key ${files.keyFile}${files.clientCaFile ? ` / --client-ca ${files.clientCaFile}` : ''} do not load: ${errorMessage(err)}`, {
      hint: 'PEM certificate (chain) and its private key; the client CA as PEM',
      cause: err,
    });
  }
  return loaded;
}

const NODE_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * The node a verified agent client certificate speaks for: its subject CN (a kubelet-style
 * `system:node:NAME` counts as NAME), else its first DNS subjectAltName. Undefined when neither
 * is a valid node name — such a certificate admits nobody.
 */
export function certificateNodeName(cert: Pick<PeerCertificate, 'subject' | 'subjectaltname'> | undefined): string | undefined {
  if (!cert) return undefined;
  const rawCn = cert.subject?.CN as string | string[] | undefined;
  const cn = (Array.isArray(rawCn) ? rawCn[0] : rawCn)?.replace(/^system:node:/, '');
  if (cn && NODE_NAME.test(cn)) return cn;
  for (const entry of (cert.subjectaltname ?? '').split(',')) {
    const m = /^\s*DNS:(.+?)\s*$/.exec(entry);
    if (m?.[1] && NODE_NAME.test(m[1])) return m[1];
  }
  return undefined;
}
