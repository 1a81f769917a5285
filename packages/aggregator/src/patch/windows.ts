import { formatDuration, hmsError, parseDuration } from '@hms-sys/common';
import { assertTimeZone, zonedLocalToUtc, zoneOffsetMs, type LocalDateTime } from './zonedTime.js';

/**
 * Maintenance windows for patch runs: `--window START[/END|/DURATION]`, repeatable.
 *
 * START / END: ISO-8601 date-time with minutes (seconds and milliseconds optional) and an explicit zone:
 *   `2024-04-05T02:00Z`, `2024-04-05T02:00+02:00`, `2024-04-05T02:00[Europe/Berlin]`
 *   (an offset and a bracketed zone together must agree). A local time without a zone is refused:
 *   it would mean whatever zone the aggregator happens to run in.
 * END may omit its zone, or be a bare `HH:MM`: it is then read in START's zone, and a bare time
 *   means its next occurrence after START (`2024-04-05T22:00Z/02:00` ends at 02:00 the next day).
 * DURATION: `4h`, `90m`, `1h30m` (parseDuration). A duration is elapsed time: `4h` across a
 *   fall-back night ends at a wall time one hour "early".
 * START alone: the window lasts DEFAULT_WINDOW_LENGTH_MS (4 h, GKE's minimum block).
 *
 * Wall times in a named zone are DST-correct: a time inside a spring-forward gap moves forward
 * by the gap; a time repeated by a fall-back takes the first (summer) instant (zonedLocalToUtc).
 */

/** Length of a window given as START only: 4 h (ms). */
export const DEFAULT_WINDOW_LENGTH_MS = 4 * 3_600_000;

/** One half-open window [startMs, endMs) in ms since the epoch (UTC). */
export interface PatchWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** The flag text(s) the window came from (several after a merge), for messages. */
  readonly sources: readonly string[];
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?(?:\[([^\]\s]+)\])?/;
const TIME_ONLY = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

interface Zone {
  /** Fixed offset in ms, when the text gave `Z` or `+hh:mm` and no named zone. */
  readonly offsetMs?: number;
  readonly timeZone?: string;
}

interface ParsedDateTime {
  readonly local: LocalDateTime;
  readonly zone: Zone | undefined;
  /** Characters consumed from the input. */
  readonly length: number;
}

function usage(message: string): Error {
  return hmsError('HMS_USAGE', message, {
    hint: 'use --window START[/END|/DURATION], e.g. 2024-04-05T02:00Z/4h or 2024-04-05T02:00[Europe/Berlin]/06:00',
  });
}

function parseOffset(text: string, what: string): number {
  if (text === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  const hh = Number(m?.[2]);
  const mm = Number(m?.[3]);
  if (!m || hh > 23 || mm > 59) throw usage(`invalid UTC offset "${text}" in ${what}`);
  return (m[1] === '-' ? -1 : 1) * (hh * 60 + mm) * 60_000;
}

function checkLocal(local: LocalDateTime, text: string, what: string): void {
  const probe = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
  const valid =
    local.month >= 1 && local.month <= 12 && local.hour <= 23 && local.minute <= 59 && local.second <= 59 &&
    probe.getUTCFullYear() === local.year && probe.getUTCMonth() === local.month - 1 && probe.getUTCDate() === local.day;
  if (!valid) throw usage(`invalid date-time "${text}" in ${what}: no such calendar date or time`);
}

function parseDateTimePrefix(text: string, what: string): ParsedDateTime | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const local: LocalDateTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: m[6] === undefined ? 0 : Number(m[6]),
    millisecond: m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0')),
  };
  checkLocal(local, m[0], what);
  const offsetText = m[8];
  const timeZone = m[9];
  let zone: Zone | undefined;
  if (timeZone !== undefined) {
    assertTimeZone(timeZone);
    zone = { timeZone };
    if (offsetText !== undefined) {
      // RFC 9557 style `+02:00[Europe/Berlin]`: the offset pins which instant is meant, but it
      // must be one the zone actually uses at that time.
      const offsetMs = parseOffset(offsetText, what);
      const utc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond) - offsetMs;
      if (zoneOffsetMs(timeZone, utc) !== offsetMs) {
        throw usage(`offset ${offsetText} in ${what} "${m[0]}" does not match ${timeZone} at that time`);
      }
      zone = { timeZone, offsetMs };
    }
  } else if (offsetText !== undefined) {
    zone = { offsetMs: parseOffset(offsetText, what) };
  }
  return { local, zone, length: m[0].length };
}

function toUtc(local: LocalDateTime, zone: Zone): number {
  if (zone.offsetMs !== undefined) {
    return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond) - zone.offsetMs;
  }
  return zonedLocalToUtc(local, zone.timeZone as string);
}

/** Local calendar date of `utcMs` in `zone` (for END given as a bare time). */
function localDateOf(utcMs: number, zone: Zone): { year: number; month: number; day: number } {
  const offset = zone.offsetMs ?? zoneOffsetMs(zone.timeZone as string, utcMs);
  const d = new Date(utcMs + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Parses one `--window` value. Throws HMS_USAGE naming the part that is wrong.
 * @returns a window with endMs > startMs (ms since the epoch).
 */
export function parseWindow(text: string): PatchWindow {
  const s = text.trim();
  if (s === '') throw usage('empty --window value');
  const start = parseDateTimePrefix(s, 'the window start');
  if (!start) {
    throw usage(`invalid window start in "${text}": expected an ISO-8601 date-time such as 2024-04-05T02:00Z`);
  }
  if (!start.zone) {
    throw usage(`window start "${s.slice(0, start.length)}" has no time zone: add Z, an offset such as +02:00, or a zone such as [Europe/Berlin]`);
  }
  const startMs = toUtc(start.local, start.zone);
  const rest = s.slice(start.length);
  if (rest === '') return { startMs, endMs: startMs + DEFAULT_WINDOW_LENGTH_MS, sources: [s] };
  if (!rest.startsWith('/')) throw usage(`unexpected "${rest}" after the window start in "${text}": use START/END or START/DURATION`);
  const endText = rest.slice(1);
  if (endText === '') throw usage(`missing window end or duration after "/" in "${text}"`);

  let endMs: number;
  const end = parseDateTimePrefix(endText, 'the window end');
  const timeOnly = TIME_ONLY.exec(endText);
  if (end) {
    if (end.length !== endText.length) throw usage(`unexpected "${endText.slice(end.length)}" after the window end in "${text}"`);
    endMs = toUtc(end.local, end.zone ?? start.zone);
  } else if (timeOnly) {
    const [hour, minute, second] = [Number(timeOnly[1]), Number(timeOnly[2]), Number(timeOnly[3] ?? 0)];
    const date = localDateOf(startMs, start.zone);
    const local: LocalDateTime = { ...date, hour, minute, second, millisecond: 0 };
    checkLocal(local, endText, 'the window end');
    endMs = toUtc(local, start.zone);
    if (endMs <= startMs) {
      const next = new Date(Date.UTC(date.year, date.month - 1, date.day + 1));
      endMs = toUtc({ ...local, year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() }, start.zone);
    }
  } else if (/^\d{4}-/.test(endText)) {
    throw usage(`invalid window end "${endText}" in "${text}": expected an ISO-8601 date-time such as 2024-04-05T06:00Z`);
  } else {
    let durationMs: number;
    try {
      durationMs = parseDuration(endText);
    } catch {
      throw usage(`invalid window end or duration "${endText}" in "${text}": use a date-time, HH:MM, or a duration such as 4h, 90m, 1h30m`);
    }
    if (durationMs <= 0) throw usage(`window duration "${endText}" in "${text}" must be longer than zero`);
    endMs = startMs + durationMs;
  }
  if (endMs <= startMs) {
    throw usage(`window end "${endText}" is not after its start in "${text}" (${new Date(startMs).toISOString()} .. ${new Date(endMs).toISOString()})`);
  }
  return { startMs, endMs, sources: [s] };
}

/** Sorts windows by start and merges those that overlap or touch. Does not mutate its input. */
export function mergeWindows(windows: readonly PatchWindow[]): PatchWindow[] {
  const sorted = [...windows].sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const out: PatchWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.startMs <= last.endMs) {
      out[out.length - 1] = { startMs: last.startMs, endMs: Math.max(last.endMs, w.endMs), sources: [...last.sources, ...w.sources] };
    } else {
      out.push(w);
    }
  }
  return out;
}

/** Parses every `--window` value (repeatable flag) and returns them sorted and merged. */
export function parseWindows(texts: readonly string[]): PatchWindow[] {
  return mergeWindows(texts.map(parseWindow));
}

/** The window containing nowMs (start inclusive, end exclusive), if any. Windows must be merged. */
export function windowAt(windows: readonly PatchWindow[], nowMs: number): PatchWindow | undefined {
  return windows.find((w) => w.startMs <= nowMs && nowMs < w.endMs);
}

/** The first window that starts strictly after nowMs, if any. Windows must be sorted. */
export function nextWindow(windows: readonly PatchWindow[], nowMs: number): PatchWindow | undefined {
  return windows.find((w) => w.startMs > nowMs);
}

/**
 * Whether a node whose patch is estimated to take estimateMs may start at nowMs.
 * - `start`: inside a window with at least estimateMs left (`window` null = no windows given:
 *   an empty list means "no window restriction").
 * - `wait`: not now; the first later window long enough for the estimate opens at untilMs.
 * - `none`: no remaining window can hold the estimate (the reason says which case).
 */
export type StartDecision =
  | { readonly kind: 'start'; readonly window: PatchWindow | null; readonly remainingMs: number | null }
  | { readonly kind: 'wait'; readonly untilMs: number; readonly window: PatchWindow; readonly reason: string }
  | { readonly kind: 'none'; readonly reason: string };

export function canStartNode(windows: readonly PatchWindow[], nowMs: number, estimateMs: number): StartDecision {
  if (windows.length === 0) return { kind: 'start', window: null, remainingMs: null };
  const current = windowAt(windows, nowMs);
  if (current && nowMs + estimateMs <= current.endMs) {
    return { kind: 'start', window: current, remainingMs: current.endMs - nowMs };
  }
  const why = current
    ? `estimate ${formatDuration(estimateMs)} does not fit the ${formatDuration(current.endMs - nowMs)} left in the current window`
    : 'outside every window';
  for (const w of windows) {
    if (w.startMs > nowMs && w.endMs - w.startMs >= estimateMs) {
      return { kind: 'wait', untilMs: w.startMs, window: w, reason: `${why}; next fitting window opens ${new Date(w.startMs).toISOString()}` };
    }
  }
  const later = windows.filter((w) => w.startMs > nowMs);
  if (later.length === 0) {
    return { kind: 'none', reason: current ? `${why}, and no window follows it` : 'no window left: every window has ended' };
  }
  const longest = Math.max(...later.map((w) => w.endMs - w.startMs));
  return { kind: 'none', reason: `${why}, and no later window is long enough (longest ${formatDuration(longest)})` };
}
