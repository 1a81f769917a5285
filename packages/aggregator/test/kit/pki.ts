import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away certificate authority made with the openssl CLI (Node 20 cannot issue X.509 itself). */
export interface TestCa {
  readonly dir: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  /** Issues a certificate; files `<name>.crt` / `<name>.key` in the CA's dir. */
  issue(name: string, opts: { cn: string; san?: string; usage: 'server' | 'client'; dir?: string }): { certFile: string; keyFile: string; cert: Buffer; key: Buffer };
  cleanup(): void;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createTestCa(cn = 'hms-sys test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'hms-pki-'));
  const certFile = join(dir, 'ca.crt');
  const keyFile = join(dir, 'ca.key');
  execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`], { stdio: 'pipe' });
  return {
    dir, certFile, keyFile, cert: readFileSync(certFile),
    issue(name, opts) {
      const out = opts.dir ?? dir;
      const key = join(out, `${name}.key`);
      const csr = join(out, `${name}.csr`);
      const crt = join(out, `${name}.crt`);
      const ext = join(out, `${name}.ext`);
      execFileSync('openssl', ['req', ...ec, '-keyout', key, '-out', csr, '-subj', `/CN=${opts.cn}`], { stdio: 'pipe' });
      writeFileSync(ext, [
        opts.san ? `subjectAltName=${opts.san}` : '',
        `extendedKeyUsage=${opts.usage === 'server' ? 'serverAuth' : 'clientAuth'}`,
      ].filter(Boolean).join('\n') + '\n');
      execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', certFile, '-CAkey', keyFile, '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '2', '-out', crt, '-extfile', ext], { stdio: 'pipe' });
      return { certFile: crt, keyFile: key, cert: readFileSync(crt), key: readFileSync(key) };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
