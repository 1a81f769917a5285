import { parseDuration } from './duration.js';
import { hmsError, errorMessage } from './errors.js';

export type OptionType = 'string' | 'int' | 'number' | 'boolean' | 'duration' | 'list';
export type OptionValue = string | number | boolean | string[] | undefined;

/**
 * One command-line flag. Every flag can also be set by the environment variable
 * HMS_SYS_<NAME> (upper case, dashes to underscores); a flag on the command line wins.
 */
export interface OptionSpec {
  /** Long name without dashes, e.g. `cgroup-root`. */
  readonly name: string;
  readonly type: OptionType;
  readonly description: string;
  /** One-letter alias, e.g. `o` for `-o json`. */
  readonly short?: string;
  /** Default value; durations are given in ms. */
  readonly default?: string | number | boolean | readonly string[];
  readonly choices?: readonly string[];
  readonly required?: boolean;
  /** false: no HMS_SYS_* variable (e.g. --help). */
  readonly env?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Shown in help: `--data-dir DIR`. */
  readonly placeholder?: string;
}

/** The environment variable that sets a flag. */
export function envVarName(flag: string): string {
  return 'HMS_SYS_' + flag.toUpperCase().replace(/-/g, '_');
}

/** Parsed, validated and frozen flag values. */
export class ParsedOptions {
  constructor(
    readonly values: Readonly<Record<string, OptionValue>>,
    readonly positionals: readonly string[],
    /** Flags given explicitly on the command line or in the environment. */
    readonly explicit: ReadonlySet<string>,
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }
  str(name: string): string {
    const v = this.values[name];
    if (typeof v !== 'string') throw hmsError('HMS_USAGE', `--${name} is required`);
    return v;
  }
  optStr(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }
  num(name: string): number {
    const v = this.values[name];
    if (typeof v !== 'number') throw hmsError('HMS_USAGE', `--${name} is required`);
    return v;
  }
  optNum(name: string): number | undefined {
    const v = this.values[name];
    return typeof v === 'number' ? v : undefined;
  }
  bool(name: string): boolean {
    return this.values[name] === true;
  }
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? [...v] : [];
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

function convert(spec: OptionSpec, raw: string, source: string): OptionValue {
  switch (spec.type) {
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new Error(`${source} must be one of ${spec.choices.join(', ')} (got "${raw}")`);
      }
      return raw;
    case 'int':
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n))) {
        throw new Error(`${source} must be ${spec.type === 'int' ? 'an integer' : 'a number'} (got "${raw}")`);
      }
      checkRange(spec, n, source);
      return n;
    }
    case 'duration': {
      let ms: number;
      try {
        ms = parseDuration(raw);
      } catch (err) {
        throw new Error(`${source}: ${errorMessage(err)}`);
      }
      checkRange(spec, ms, source);
      return ms;
    }
    case 'boolean': {
      const s = raw.toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
      throw new Error(`${source} must be true or false (got "${raw}")`);
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
}

function checkRange(spec: OptionSpec, n: number, source: string): void {
  if (spec.min !== undefined && n < spec.min) throw new Error(`${source} must be at least ${spec.min} (got ${n})`);
  if (spec.max !== undefined && n > spec.max) throw new Error(`${source} must be at most ${spec.max} (got ${n})`);
}

/**
 * Parses argv against the specs, then fills unset flags from HMS_SYS_* variables and defaults.
 * Reports every problem at once in one HMS_CONFIG_INVALID error (GUIDE §9).
 */
export function parseOptions(
  specs: readonly OptionSpec[],
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): ParsedOptions {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const values: Record<string, OptionValue> = {};
  const explicit = new Set<string>();
  const positionals: string[] = [];
  const errors: string[] = [];

  const set = (spec: OptionSpec, raw: string, source: string): void => {
    try {
      const v = convert(spec, raw, source);
      if (spec.type === 'list') {
        values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), ...(v as string[])];
      } else {
        values[spec.name] = v;
      }
      explicit.add(spec.name);
    } catch (err) {
      errors.push(errorMessage(err));
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      let inline = eq === -1 ? undefined : arg.slice(eq + 1);
      let spec = byName.get(name);
      if (!spec && name.startsWith('no-') && byName.get(name.slice(3))?.type === 'boolean') {
        spec = byName.get(name.slice(3));
        name = name.slice(3);
        inline = inline ?? 'false';
      }
      if (!spec) {
        errors.push(`unknown flag --${name}`);
        continue;
      }
      if (spec.type === 'boolean') {
        set(spec, inline ?? 'true', `--${name}`);
        continue;
      }
      if (inline === undefined) {
        const next = argv[i + 1];
        if (next === undefined) {
          errors.push(`--${name} needs a value`);
          continue;
        }
        inline = next;
        i++;
      }
      set(spec, inline, `--${name}`);
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      const letter = arg.slice(1, 2);
      const spec = byShort.get(letter);
      if (!spec) {
        errors.push(`unknown flag ${arg}`);
        continue;
      }
      if (spec.type === 'boolean') {
        set(spec, 'true', `-${letter}`);
        continue;
      }
      let raw: string | undefined = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : argv[++i];
      if (raw === undefined) {
        errors.push(`-${letter} needs a value`);
        continue;
      }
      set(spec, raw, `-${letter}`);
    } else {
      positionals.push(arg);
    }
  }

  for (const spec of specs) {
    if (values[spec.name] !== undefined) continue;
    const envName = envVarName(spec.name);
    const fromEnv = spec.env === false ? undefined : env[envName];
    if (fromEnv !== undefined) {
      set(spec, fromEnv, envName);
    } else if (spec.default !== undefined) {
      values[spec.name] = Array.isArray(spec.default) ? [...spec.default] : (spec.default as OptionValue);
    }
    if (spec.required && values[spec.name] === undefined) {
      errors.push(`--${spec.name} is required (or set ${envName})`);
    }
  }

  if (errors.length > 0) {
    throw hmsError('HMS_CONFIG_INVALID', errors.length === 1 ? (errors[0] as string) : `${errors.length} problems: ${errors.join('; ')}`, {
      details: { problems: errors },
    });
  }
  return new ParsedOptions(Object.freeze(values), Object.freeze(positionals), explicit);
}

/** Help text for a list of flags: one line each with its variable and default. */
export function formatOptionsHelp(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` ${s.placeholder ?? placeholderFor(s)}`}`;
    const notes: string[] = [];
    if (s.choices) notes.push(`one of ${s.choices.join('|')}`);
    if (s.default !== undefined && s.default !== '' && !(Array.isArray(s.default) && s.default.length === 0)) {
      notes.push(`default ${s.type === 'duration' ? fmtMs(s.default as number) : Array.isArray(s.default) ? s.default.join(',') : String(s.default)}`);
    }
    if (s.env !== false) notes.push(`env ${envVarName(s.name)}`);
    return [flag, `${s.description}${notes.length ? ` (${notes.join('; ')})` : ''}`] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length), 0) + 2);
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${f.length >= width ? '\n  ' + ' '.repeat(width) : ''}${d}`).join('\n');
}

function placeholderFor(s: OptionSpec): string {
  switch (s.type) {
    case 'duration': return 'DURATION';
    case 'int':
    case 'number': return 'N';
    case 'list': return 'A,B';
    default: return 'VALUE';
  }
}

function fmtMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
