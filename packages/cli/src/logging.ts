import { createLogger, type LogFormat, type Logger, type LogLevel, type ParsedOptions } from '@hms-sys/common';

/** The root logger of a long-running command, from the global --log-level/--log-format/--debug flags. */
export function loggerFrom(opts: ParsedOptions, bindings?: Record<string, unknown>): Logger {
  const level = (opts.bool('debug') ? 'debug' : opts.str('log-level')) as LogLevel;
  const format = opts.optStr('log-format') as LogFormat | undefined;
  return createLogger({ level, ...(format ? { format } : {}), ...(bindings ? { bindings } : {}) });
}

/** Resolves when the command's abort signal fires (SIGINT/SIGTERM). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
