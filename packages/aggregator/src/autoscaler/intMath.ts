/**
 * Go's int64 division (`a / b`, truncated toward zero) for integer-valued numbers. For safe
 * integers `a % b` is exact and takes the sign of `a`, so `a - a % b` is an exact multiple of `b`
 * and the division is exact without reasoning about float rounding; larger values go through
 * BigInt. Invariant: b != 0.
 */
export function truncDiv(a: number, b: number): number {
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b)) return (a - (a % b)) / b + 0; // + 0: no -0
  return Number(BigInt(Math.trunc(a)) / BigInt(Math.trunc(b)));
}

/** Go's `int32(x)` for a finite float: truncation toward zero. */
export function toInt(x: number): number {
  return Math.trunc(x) + 0;
}
