import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import type { ProbeAction } from './manifests.js';

/**
 * Runs one readiness probe attempt (a port: tests use fakes). exec: exit 0 within the timeout;
 * httpGet: a 200-399 answer from http://127.0.0.1:PORT/PATH; tcpSocket: a connection to
 * 127.0.0.1:PORT. Pods share the host network here, so every probe goes to loopback.
 */
export interface ProbeRunner {
  run(action: ProbeAction, ctx: { readonly env: Readonly<Record<string, string>>; readonly cwd: string; readonly timeoutMs: number }): Promise<{ ok: boolean; message?: string }>;
}

export const realProbeRunner: ProbeRunner = {
  run(action, ctx) {
    switch (action.kind) {
      case 'exec':
        return new Promise((resolve) => {
          const [cmd, ...args] = action.command;
          execFile(cmd ?? 'false', args, { env: { ...ctx.env }, cwd: ctx.cwd, timeout: ctx.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 }, (err) => {
            resolve(err ? { ok: false, message: `exec probe failed: ${err.message.split('\n')[0] ?? ''}` } : { ok: true });
          });
        });
      case 'httpGet':
        return new Promise((resolve) => {
          const req = request({ host: '127.0.0.1', port: action.port, path: action.path, method: 'GET', timeout: ctx.timeoutMs, headers: { 'user-agent': 'hms-sys-probe/1' } }, (res) => {
            res.resume();
            const code = res.statusCode ?? 0;
            resolve(code >= 200 && code < 400 ? { ok: true } : { ok: false, message: `HTTP probe failed with statuscode: ${code}` });
          });
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', (err) => resolve({ ok: false, message: `HTTP probe failed: ${err.message}` }));
          req.end();
        });
      case 'tcpSocket':
        return new Promise((resolve) => {
          const sock = connect({ host: '127.0.0.1', port: action.port });
          const timer = setTimeout(() => sock.destroy(new Error('timeout')), ctx.timeoutMs);
          sock.once('connect', () => {
            clearTimeout(timer);
            sock.destroy();
            resolve({ ok: true });
          });
          sock.once('error', (err) => {
            clearTimeout(timer);
            resolve({ ok: false, message: `TCP probe failed: ${err.message}` });
          });
        });
    }
  },
};
