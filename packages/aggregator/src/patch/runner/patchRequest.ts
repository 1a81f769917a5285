import { formatDuration, hmsError, HmsError, parseDuration } from '@hms-sys/common';
import { parseSelector } from '../labelSelector.js';
import type { NodePatchConfig, PatchKindName } from '../nodeState.js';
import { parseWindows, type PatchWindow } from '../windows.js';

/**
 * The body of `POST /v1/patches` and `POST /v1/patches/plan`, validated and normalised (this is
 * what a run stores as its request). Durations are ms. Every problem is reported at once as
 * HMS_INPUT_INVALID (400) naming the field.
 */
export interface PatchRequest {
  /** `--window` values; `now` at the start of one is replaced by the current UTC time. */
  readonly windows: readonly string[];
  readonly kind: PatchKindName;
  readonly strategy: 'rolling';
  readonly concurrency: number;
  readonly failureBudget: number;
  /** `k=v[,k2=v2]`; '' = every node. */
  readonly selector: string;
  readonly dryRun: boolean;
  readonly drainTimeoutMs: number;
  /** kubectl drain --force / --delete-emptydir-data. */
  readonly force: boolean;
  readonly deleteEmptyDirData: boolean;
  /** Per-step timeouts (ms); null = the orchestrator's default. */
  readonly commandTimeoutMs: number | null;
  readonly rebootTimeoutMs: number | null;
  readonly verifyTimeoutMs: number | null;
  readonly healthGateTimeoutMs: number | null;
  /** Wait after a preflight refusal before the node is tried again (ms); null = default (1 min). */
  readonly blockedRetryMs: number | null;
  /** Preflight refusals before a node is `blocked` for the run; null = default (3). */
  readonly maxPreflightBlocks: number | null;
  /** Estimate of one node's patch when there is no history (ms); null = the orchestrator's default. */
  readonly estimateMs: number | null;
  /** The kernel the nodes must run afterwards (verify), if set. */
  readonly expectedKernelVersion: string | null;
}

export const PATCH_KINDS: readonly PatchKindName[] = ['kernel', 'os', 'packages'];

const KNOWN = new Set([
  'windows', 'window', 'kind', 'strategy', 'concurrency', 'failureBudget', 'selector', 'dryRun', 'drainTimeout', 'force', 'deleteEmptyDirData',
  'commandTimeout', 'rebootTimeout', 'verifyTimeout', 'healthGateTimeout', 'blockedRetry', 'maxPreflightBlocks', 'estimate', 'expectedKernelVersion',
]);

/** `now` (any case) at the start of a window → the current UTC instant, to the second. */
export function expandNow(window: string, nowMs: number): string {
  const m = /^\s*now\b(.*)$/i.exec(window);
  if (!m) return window.trim();
  return `${new Date(Math.floor(nowMs / 1000) * 1000).toISOString().replace('.000Z', 'Z')}${(m[1] ?? '').trim()}`;
}

/**
 * Validates a request body. `forPlan`: kind defaults to kernel and nothing else is required.
 * Throws HMS_INPUT_INVALID listing every problem.
 */
export function parsePatchRequest(body: unknown, nowMs: number, opts: { forPlan?: boolean } = {}): { request: PatchRequest; windows: PatchWindow[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw hmsError('HMS_INPUT_INVALID', 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(b)) if (!KNOWN.has(k)) problems.push(`unknown field "${k}"`);

  const rawWindows = b.windows ?? (b.window === undefined ? [] : [b.window]);
  let windowTexts: string[] = [];
  if (!Array.isArray(rawWindows) || rawWindows.some((w) => typeof w !== 'string')) problems.push('windows must be an array of strings such as "2024-04-05T02:00Z/4h"');
  else windowTexts = (rawWindows as string[]).map((w) => expandNow(w, nowMs));

  let windows: PatchWindow[] = [];
  try {
    windows = parseWindows(windowTexts);
  } catch (err) {
    problems.push(err instanceof HmsError ? err.message : String(err));
  }

  const kind = b.kind === undefined ? 'kernel' : b.kind;
  if (typeof kind !== 'string' || !PATCH_KINDS.includes(kind as PatchKindName)) problems.push(`kind must be one of ${PATCH_KINDS.join(', ')} (got ${JSON.stringify(kind)})`);
  const strategy = b.strategy === undefined ? 'rolling' : b.strategy;
  if (strategy !== 'rolling') problems.push(`strategy must be "rolling" (the only strategy; got ${JSON.stringify(strategy)})`);

  const int = (name: string, dflt: number, min: number): number => {
    const v = b[name];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      problems.push(`${name} must be a whole number >= ${min} (got ${JSON.stringify(v)})`);
      return dflt;
    }
    return v;
  };
  const bool = (name: string): boolean => {
    const v = b[name];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') problems.push(`${name} must be true or false`);
    return v === true;
  };
  const duration = (name: string, min = 1): number | null => {
    const v = b[name];
    if (v === undefined || v === null) return null;
    let ms: number | undefined;
    if (typeof v === 'number' && Number.isFinite(v)) ms = v;
    else if (typeof v === 'string') {
      try {
        ms = parseDuration(v);
      } catch {
        ms = undefined;
      }
    }
    if (ms === undefined || ms < min) {
      problems.push(`${name} must be a duration such as "30s" or "10m" (or ms as a number) of at least ${formatDuration(min)} (got ${JSON.stringify(v)})`);
      return null;
    }
    return Math.round(ms);
  };

  const selector = b.selector === undefined || b.selector === null ? '' : b.selector;
  if (typeof selector !== 'string') problems.push('selector must be a string such as "pool=blue,zone=a"');
  else {
    try {
      parseSelector(selector);
    } catch (err) {
      problems.push(err instanceof HmsError ? err.message : String(err));
    }
  }
  const expected = b.expectedKernelVersion;
  if (expected !== undefined && expected !== null && (typeof expected !== 'string' || expected === '')) problems.push('expectedKernelVersion must be a non-empty string');

  const request: PatchRequest = {
    windows: windowTexts,
    kind: kind as PatchKindName,
    strategy: 'rolling',
    concurrency: int('concurrency', 1, 1),
    failureBudget: int('failureBudget', 1, 1),
    selector: typeof selector === 'string' ? selector.trim() : '',
    dryRun: bool('dryRun'),
    drainTimeoutMs: duration('drainTimeout', 1000) ?? 10 * 60_000,
    force: bool('force'),
    deleteEmptyDirData: bool('deleteEmptyDirData'),
    commandTimeoutMs: duration('commandTimeout', 1000),
    rebootTimeoutMs: duration('rebootTimeout', 1000),
    verifyTimeoutMs: duration('verifyTimeout', 1000),
    healthGateTimeoutMs: duration('healthGateTimeout', 1000),
    blockedRetryMs: duration('blockedRetry', 100),
    maxPreflightBlocks: b.maxPreflightBlocks === undefined || b.maxPreflightBlocks === null ? null : int('maxPreflightBlocks', 3, 1),
    estimateMs: duration('estimate', 1000),
    expectedKernelVersion: typeof expected === 'string' && expected !== '' ? expected : null,
  };
  if (problems.length > 0) {
    throw hmsError('HMS_INPUT_INVALID', problems.join('; '), {
      hint: opts.forPlan ? 'see hms-sys patch plan --help' : 'see hms-sys patch schedule --help',
    });
  }
  return { request, windows };
}

/** The node machine's config for a request, on top of the orchestrator's defaults. */
export function nodeConfigFor(request: PatchRequest, defaults: NodePatchConfig): NodePatchConfig {
  return {
    ...defaults,
    patchKind: request.kind,
    dryRun: request.dryRun,
    drain: { force: request.force, deleteEmptyDirData: request.deleteEmptyDirData },
    drainTimeoutMs: request.drainTimeoutMs,
    ...(request.commandTimeoutMs !== null ? { commandTimeoutMs: request.commandTimeoutMs } : {}),
    ...(request.rebootTimeoutMs !== null ? { rebootTimeoutMs: request.rebootTimeoutMs } : {}),
    ...(request.verifyTimeoutMs !== null ? { verifyTimeoutMs: request.verifyTimeoutMs } : {}),
    ...(request.healthGateTimeoutMs !== null ? { healthGateTimeoutMs: request.healthGateTimeoutMs } : {}),
    ...(request.blockedRetryMs !== null ? { blockedRetryMs: request.blockedRetryMs } : {}),
    ...(request.maxPreflightBlocks !== null ? { maxPreflightBlocks: request.maxPreflightBlocks } : {}),
    ...(request.expectedKernelVersion !== null ? { expectedKernelVersion: request.expectedKernelVersion } : {}),
  };
}
