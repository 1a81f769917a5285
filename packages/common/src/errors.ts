/**
 * The one error catalogue of HMS-SYS. Every error a user can see has a stable code here, an HTTP
 * status for the API, an exit code for the CLI (1 = the operation failed, 2 = bad usage) and,
 * where useful, a hint saying what to do. Causes are preserved in `cause` for --debug and logs.
 */
export interface ErrorKind {
  readonly httpStatus: number;
  readonly exitCode: 1 | 2;
  readonly hint?: string;
}

export const ERROR_CATALOGUE = {
  // usage and configuration
  HMS_USAGE: { httpStatus: 400, exitCode: 2, hint: 'see --help' },
  HMS_CONFIG_INVALID: { httpStatus: 400, exitCode: 2, hint: 'see --help for every flag and its HMS_SYS_* variable' },
  HMS_INPUT_INVALID: { httpStatus: 400, exitCode: 1 },
  // client <-> server
  HMS_SERVER_UNREACHABLE: { httpStatus: 503, exitCode: 1, hint: 'is `hms-sys up` running? set --server or HMS_SYS_SERVER' },
  HMS_UNAUTHORIZED: { httpStatus: 401, exitCode: 1, hint: 'pass --token or set HMS_SYS_TOKEN' },
  HMS_FORBIDDEN: { httpStatus: 403, exitCode: 1, hint: 'this needs an operator token' },
  HMS_NOT_FOUND: { httpStatus: 404, exitCode: 1 },
  HMS_CONFLICT: { httpStatus: 409, exitCode: 1 },
  HMS_RATE_LIMITED: { httpStatus: 429, exitCode: 1, hint: 'slow down and retry' },
  HMS_SERVER_ERROR: { httpStatus: 500, exitCode: 1 },
  HMS_UNAVAILABLE: { httpStatus: 503, exitCode: 1 },
  // wire protocol
  HMS_PROTOCOL: { httpStatus: 400, exitCode: 1 },
  HMS_FRAME_TOO_LARGE: { httpStatus: 413, exitCode: 1 },
  // host access
  HMS_CGROUP_UNAVAILABLE: { httpStatus: 500, exitCode: 1, hint: 'check --cgroup-root and that /sys/fs/cgroup is mounted' },
  HMS_HOST_READ: { httpStatus: 500, exitCode: 1 },
  HMS_NOT_ROOT: { httpStatus: 500, exitCode: 1, hint: 'run as root to create cgroups' },
  // storage
  HMS_STORE_OPEN: { httpStatus: 500, exitCode: 1, hint: 'check --data-dir exists and is writable' },
  HMS_STORE_LOCKED: { httpStatus: 503, exitCode: 1, hint: 'another hms-sys process holds this data dir' },
  HMS_STORE_FULL: { httpStatus: 507, exitCode: 1, hint: 'free disk space under --data-dir' },
  HMS_STORE_CORRUPT: { httpStatus: 500, exitCode: 1, hint: 'restore the data dir from a backup' },
  // drivers and workloads
  HMS_DRIVER: { httpStatus: 502, exitCode: 1 },
  HMS_NO_CAPACITY: { httpStatus: 409, exitCode: 1, hint: 'add nodes or lower requests' },
  HMS_UNSUPPORTED: { httpStatus: 501, exitCode: 1 },
  // patching
  HMS_PATCH_BLOCKED: { httpStatus: 409, exitCode: 1 },
  HMS_COMMAND_REFUSED: { httpStatus: 403, exitCode: 1 },
  // anything else
  HMS_INTERNAL: { httpStatus: 500, exitCode: 1, hint: 'run with --debug for details' },
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface HmsErrorOptions {
  cause?: unknown;
  /** Extra structured facts (shown in JSON API errors and logs; never secrets). */
  details?: Record<string, unknown>;
  /** Overrides the catalogue's hint. */
  hint?: string;
}

/** An error with a stable code from ERROR_CATALOGUE. */
export class HmsError extends Error {
  override readonly name = 'HmsError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, opts: HmsErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.details = opts.details;
    this.hint = opts.hint ?? (ERROR_CATALOGUE[code] as ErrorKind).hint;
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].httpStatus;
  }

  get exitCode(): 1 | 2 {
    return ERROR_CATALOGUE[this.code].exitCode;
  }

  /** The JSON body the API sends: `{error, message, ...details}`. */
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), ...(this.details ?? {}) };
  }
}

/** Shorthand: `throw hmsError('HMS_NOT_FOUND', 'no autoscaler default/web')`. */
export function hmsError(code: ErrorCode, message: string, opts?: HmsErrorOptions): HmsError {
  return new HmsError(code, message, opts);
}

export function isHmsError(err: unknown, code?: ErrorCode): err is HmsError {
  return err instanceof HmsError && (code === undefined || err.code === code);
}

/** Message of any thrown value, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Node's errno code of a thrown value (ENOENT, EACCES, ...), if any. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
