import { hmsError } from '@hms-sys/common';

/**
 * Wall-clock time in an IANA zone <-> UTC instants, through Intl only (no tz database of our own).
 * Pure: the formatter cache below is a memo, not state that changes results.
 */

/** A local date-time as written by a user (month 1-12). */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (err) {
      throw hmsError('HMS_USAGE', `unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin or UTC`, { cause: err });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws HMS_USAGE unless `timeZone` is a zone Intl knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in ms (Berlin in summer: +7 200 000). */
export function zoneOffsetMs(timeZone: string, utcMs: number): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  // Intl has second resolution; drop the instant's milliseconds so the offset is exact.
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * The UTC instant of a local wall-clock time in `timeZone`, resolved like Temporal's
 * `disambiguation: 'compatible'` (and RFC 5545): a time that does not exist because the clocks
 * jumped forward (02:30 on a spring-forward night) moves forward by the gap (03:30); a time that
 * exists twice because the clocks went back takes the earlier instant (summer time).
 */
export function zonedLocalToUtc(local: LocalDateTime, timeZone: string): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond);
  // Offsets a day either side cover every real transition; try both and keep the ones that
  // round-trip to the same wall time.
  const before = zoneOffsetMs(timeZone, wall - 86_400_000);
  const after = zoneOffsetMs(timeZone, wall + 86_400_000);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((utc) => utc + zoneOffsetMs(timeZone, utc) === wall)
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return earliest;
  // In a gap: interpret with the offset in force before the jump, which lands after it.
  return wall - before;
}
