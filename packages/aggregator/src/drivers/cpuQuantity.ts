/**
 * CPU quantities as the Kubernetes API serialises them (`resource.Quantity`): `250m`, `0.5`, `2`,
 * `100u`, `1k`, `5e-1`. Pure.
 */

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;

const SUFFIX_EXP10: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SUFFIX_POW2: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * Millicores of a CPU quantity, rounded up like `Quantity.MilliValue()` (what the HPA reads), or
 * undefined when the text is not a quantity. A JSON number is taken as cores.
 */
export function cpuMilli(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? roundUpMilli(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const amount = Number(m[1]);
  if (amount < 0) return undefined;
  let milli: number;
  if (m[3] !== undefined) milli = amount * 10 ** (Number(m[3]) + 3);
  else if (m[2] !== undefined && m[2] in SUFFIX_POW2) milli = amount * 2 ** (SUFFIX_POW2[m[2]] ?? 0) * 1000;
  else milli = amount * 10 ** ((SUFFIX_EXP10[m[2] ?? ''] ?? 0) + 3);
  return Number.isFinite(milli) ? roundUpMilli(milli) : undefined;
}

function roundUpMilli(milli: number): number {
  // Float noise (0.3 * 1000 = 300.00000000000006) must not round up to 301.
  return Math.ceil(Number(milli.toFixed(6)));
}
