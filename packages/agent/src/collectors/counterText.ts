/**
 * Allocation-free number scanning shared by the pure parsers (they run ~500 times a cycle).
 * Counters are kernel u64 values in decimal; the wire carries plain JS numbers, so every result
 * is a safe integer (< 2^53) or MALFORMED.
 */

/** Returned instead of a value when the text is not a clean, safe decimal. */
export const MALFORMED = -1;

const DIGITS = /^\d+$/;
/** Up to 15 digits a decimal is always below 2^53 and accumulates exactly. */
const SAFE_DIGITS = 15;

/** The decimal in `text[start, end)`, spaces around it allowed; MALFORMED otherwise. */
export function decimalIn(text: string, start: number, end: number): number {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end === start) return MALFORMED;
  if (end - start > SAFE_DIGITS) {
    const s = text.slice(start, end);
    const n = Number(s);
    return DIGITS.test(s) && Number.isSafeInteger(n) ? n : MALFORMED;
  }
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return MALFORMED;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A nanosecond decimal in `text[start, end)` as whole microseconds (floored). Nanosecond
 * counters pass 2^53 after ~104 CPU-days, within a busy container's life, so long values go
 * through BigInt; the microsecond result stays safe for ~285 CPU-years.
 */
export function nsAsUsecIn(text: string, start: number, end: number): number {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (end - start <= SAFE_DIGITS) {
    const ns = decimalIn(text, start, end);
    return ns === MALFORMED ? MALFORMED : (ns - (ns % 1000)) / 1000;
  }
  const s = text.slice(start, end);
  if (!DIGITS.test(s)) return MALFORMED;
  const usec = Number(BigInt(s) / 1000n);
  return Number.isSafeInteger(usec) ? usec : MALFORMED;
}

/** Reads a value in `text[start, end)`; returns MALFORMED when it cannot. */
export type ValueScanner = (text: string, start: number, end: number) => number;

/** Returned by keyValue when the key has no line. */
export const ABSENT = -2;

/**
 * The value of the `key value` line for `key` in a cgroup `*.stat` file: the scanned number,
 * MALFORMED, or ABSENT. Lines with other keys are never looked at (kernels add fields), which
 * also makes this a handful of native `indexOf` calls rather than a walk over every line.
 */
export function keyValue(text: string, key: string, scan: ValueScanner = decimalIn): number {
  let start: number;
  if (text.startsWith(key, 0) && text.charCodeAt(key.length) === 32) {
    start = key.length + 1;
  } else {
    const at = text.indexOf(`\n${key} `);
    if (at === -1) return ABSENT;
    start = at + key.length + 2;
  }
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  return scan(text, start, end);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
