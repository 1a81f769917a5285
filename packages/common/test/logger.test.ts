/**
 * Issue 8.3 / GUIDE §11: secrets never reach the logs. Objects shaped like what programs log —
 * requests with headers, errors carrying the request, configs with tokens — go through the real
 * logger (JSON and pretty), and not one secret comes out.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACT_PATHS, type LogFormat } from '../src/logger.js';

const SECRETS = {
  bearer: 'S1-bearer-0f3a9c7e5b1d',
  cookie: 'S2-cookie-77aa11bb',
  proxy: 'S3-proxy-c0ffee',
  token: 'S4-token-deadbeef',
  tokens: 'S5-tokens-feedface',
  password: 'S6-password-hunter2',
  secret: 'S7-secret-abcdef',
  privateKey: 'S8-private-key-PEM',
  signature: 'S9-signature-bytes',
  nested: 'S10-nested-bearer-1234',
  setCookie: 'S11-set-cookie-9876',
  errCookie: 'S12-err-cookie-5555',
};

function capture(format: LogFormat): { stream: Writable; text: () => string } {
  let out = '';
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { out += chunk.toString(); cb(); } });
  return { stream, text: () => out };
}

function logEverything(format: LogFormat): string {
  const sink = capture(format);
  const logger = createLogger({ format, level: 'trace', destination: sink.stream, bindings: { component: 'test' } });
  const child = logger.child({ component: 'api' });
  child.info({ req: { method: 'GET', url: '/v1/nodes', headers: { authorization: `Bearer ${SECRETS.bearer}`, cookie: `sid=${SECRETS.cookie}`, 'proxy-authorization': `Basic ${SECRETS.proxy}` } } }, 'request');
  child.warn({ headers: { authorization: `Bearer ${SECRETS.bearer}` }, res: { headers: { 'set-cookie': `sid=${SECRETS.setCookie}` } } }, 'response');
  child.debug({ token: SECRETS.token, tokens: [SECRETS.tokens], config: { token: SECRETS.token, password: SECRETS.password, secret: SECRETS.secret } }, 'config');
  child.info({ signer: { privateKey: SECRETS.privateKey }, command: { id: 'c1', signature: SECRETS.signature } }, 'command');
  const err = Object.assign(new Error('upstream refused'), { req: { headers: { authorization: `Bearer ${SECRETS.nested}`, cookie: `sid=${SECRETS.errCookie}` } } });
  child.error({ err }, 'request failed');
  child.info({ upgrade: { req: { headers: { authorization: `Bearer ${SECRETS.nested}` } } } }, 'upgrade');
  child.info({ authorization: `Bearer ${SECRETS.bearer}`, bearer: SECRETS.bearer }, 'flat');
  return sink.text();
}

describe('log redaction', () => {
  for (const format of ['json', 'pretty'] as const) {
    it(`keeps every secret out of ${format} log lines, and says what was redacted`, () => {
      const text = logEverything(format);
      expect(text.split('\n').filter(Boolean).length).toBe(7);
      for (const [what, secret] of Object.entries(SECRETS)) expect(text, `${what} leaked`).not.toContain(secret);
      expect(text).toContain('[redacted]');
      // Context that is not secret stays: the log is still useful.
      expect(text).toContain('/v1/nodes');
      expect(text).toContain('upstream refused');
    });
  }

  it('covers the credential-carrying paths', () => {
    for (const p of ['req.headers.authorization', '*.headers.authorization', '*.*.headers.authorization', '*.token', '*.privateKey', '*.signature']) {
      expect(REDACT_PATHS).toContain(p);
    }
  });
});
