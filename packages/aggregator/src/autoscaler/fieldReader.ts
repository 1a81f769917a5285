/**
 * Reads untrusted JSON field by field, collecting every problem with the field's path
 * (e.g. `pods[2].cpuRequestMilli must be a number >= 0 or null`) instead of stopping at the first.
 */

export type Json = Record<string, unknown>;

export interface NumberRule {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  readonly integer?: boolean;
}

/** Accumulates problems; each read returns a usable fallback so reading can go on. */
export class FieldReader {
  readonly problems: string[] = [];

  fail(message: string): void {
    this.problems.push(message);
  }

  /** The object at `path`, or undefined (with a problem) when it is not a plain object. */
  object(value: unknown, path: string): Json | undefined {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Json;
    this.fail(`${path} must be an object`);
    return undefined;
  }

  /** The array at `path`, or [] (with a problem). */
  array(value: unknown, path: string): unknown[] {
    if (Array.isArray(value)) return value;
    this.fail(`${path} must be an array`);
    return [];
  }

  /** Rejects keys outside `allowed`, suggesting the closest allowed one (typos such as `maxReplica`). */
  keys(obj: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const hint = closest(key, allowed);
      this.fail(`unknown field ${join(path, key)}${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }

  /** A number obeying `rule`; `dflt` when absent (undefined); a problem (and `dflt`) otherwise. */
  number(obj: Json, key: string, path: string, rule: NumberRule, dflt: number): number;
  number(obj: Json, key: string, path: string, rule: NumberRule, dflt: number | null, nullable: true): number | null;
  number(obj: Json, key: string, path: string, rule: NumberRule, dflt: number | null, nullable = false): number | null {
    const v = obj[key];
    if (v === undefined || (v === null && nullable)) return v === null ? null : dflt;
    if (typeof v === 'number' && Number.isFinite(v) && obeys(v, rule)) return v;
    this.fail(`${join(path, key)} must be ${describe(rule)}${nullable ? ' or null' : ''}`);
    return dflt;
  }

  /** A required number: a problem when absent. */
  required(obj: Json, key: string, path: string, rule: NumberRule): number {
    if (obj[key] === undefined) {
      this.fail(`${join(path, key)} is required (${describe(rule)})`);
      return rule.min ?? 0;
    }
    return this.number(obj, key, path, rule, rule.min ?? 0);
  }

  /** One of `choices`; `dflt` when absent. */
  choice<T extends string>(obj: Json, key: string, path: string, choices: readonly T[], dflt: T): T {
    const v = obj[key];
    if (v === undefined) return dflt;
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    this.fail(`${join(path, key)} must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
    return dflt;
  }

  boolean(obj: Json, key: string, path: string, dflt: boolean): boolean {
    const v = obj[key];
    if (v === undefined) return dflt;
    if (typeof v === 'boolean') return v;
    this.fail(`${join(path, key)} must be true or false`);
    return dflt;
  }
}

/** `a.b` / `a[2]`-style paths; a top-level key has no prefix. */
export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function obeys(v: number, rule: NumberRule): boolean {
  return (!rule.integer || Number.isInteger(v)) && (rule.min === undefined || v >= rule.min) && (rule.max === undefined || v <= rule.max);
}

/** Largest int32: the API's limit, left out of messages (nobody needs to read it). */
const INT32_MAX = 2147483647;

function describe(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.max === INT32_MAX) return describe({ ...rule, max: undefined });
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind} >= ${rule.min}`;
  if (rule.max !== undefined) return `${kind} <= ${rule.max}`;
  return kind;
}

/** The allowed key closest to `key`, if any is close enough. */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const k = key.toLowerCase();
    const c = candidate.toLowerCase();
    // Equal ignoring case, a prefix (`cpuUsage` for `cpuUsageMilli`), or a small typo.
    const d = c === k ? 0 : c.startsWith(k) || k.startsWith(c) ? 1 : editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
