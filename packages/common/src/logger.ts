import { Writable } from 'node:stream';
import pino from 'pino';

export type Logger = pino.Logger;
export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Paths pino removes from every log line. Anything that can carry a credential is listed here,
 * at any depth we log it: tokens, Authorization headers, private keys, signatures.
 */
export const REDACT_PATHS = [
  'token', '*.token', 'tokens', '*.tokens',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'req.headers.authorization', 'req.headers.cookie',
  // Request objects one level deeper (err.req, ctx.request) and the other credential headers.
  '*.*.headers.authorization', '*.*.headers.cookie', '*.*.headers["proxy-authorization"]',
  'cookie', '*.cookie', 'headers.cookie', '*.headers.cookie', 'headers["set-cookie"]', '*.headers["set-cookie"]',
  'headers["proxy-authorization"]', '*.headers["proxy-authorization"]',
  'password', '*.password', 'secret', '*.secret',
  'privateKey', '*.privateKey', 'signature', '*.signature',
  'bearer', '*.bearer',
];

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stderr (stdout is for command output). */
  destination?: NodeJS.WritableStream;
  /** Bound on every line, e.g. {component: 'agent', node: 'n1'}. */
  bindings?: Record<string, unknown>;
}

/** Creates the root logger of a program: JSON lines, or a compact human format for terminals. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const destination = opts.destination ?? process.stderr;
  const format = opts.format ?? ((destination as { isTTY?: boolean }).isTTY ? 'pretty' : 'json');
  const stream = format === 'pretty' ? prettyStream(destination) : destination;
  const logger = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream as pino.DestinationStream,
  );
  return opts.bindings ? logger.child(opts.bindings) : logger;
}

/** A logger that drops everything (tests, library defaults). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'component']);

function prettyStream(out: NodeJS.WritableStream): Writable {
  let carry = '';
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = carry + chunk.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (line) out.write(prettyLine(line) + '\n');
      }
      done();
    },
  });
}

function prettyLine(line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof rec.time === 'string' ? rec.time.slice(11, 19) : '';
  const level = String(rec.level ?? '').toUpperCase().padEnd(5);
  const comp = rec.component ? `[${String(rec.component)}] ` : '';
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${comp}${String(rec.msg ?? '')}${extras ? ' ' + extras : ''}`;
}
