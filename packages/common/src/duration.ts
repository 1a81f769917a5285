import { hmsError } from './errors.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Parses a duration such as `500ms`, `15s`, `10m`, `1h`, `1h30m` or `2.5s` into milliseconds.
 * A bare number is rejected: the unit is part of the meaning.
 */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '') throw hmsError('HMS_USAGE', 'empty duration');
  let total = 0;
  PART.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) {
      throw hmsError('HMS_USAGE', `invalid duration "${text}": use a number with a unit, e.g. 500ms, 15s, 10m, 1h`);
    }
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    pos = PART.lastIndex;
  }
  if (!Number.isFinite(total)) throw hmsError('HMS_USAGE', `invalid duration "${text}"`);
  return Math.round(total);
}

/** Formats milliseconds the way parseDuration reads them: 1500 -> "1.5s", 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, secs] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (rest >= secs) {
      parts.push(`${Math.floor(rest / secs)}${unit}`);
      rest %= secs;
    }
  }
  return parts.join('');
}
