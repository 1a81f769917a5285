/**
 * Helpers for tests of Prometheus text exposition (GUIDE principle 11: metrics are contracts):
 * keep the project's own families, mask what varies between runs, sort into a stable golden,
 * and run `promtool check metrics` when the binary is installed (Debian: `prometheus`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Absolute path of an executable on PATH, or undefined. */
export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path ? path : undefined;
}

/** The metric family a line belongs to (HELP/TYPE lines name it; samples may add a histogram suffix). */
function lineName(line: string): string {
  if (line.startsWith('# ')) return line.split(' ')[2] ?? '';
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  return m?.[1] ?? '';
}

/** Only the families whose names start with `prefix` (drops nodejs_* / process_* defaults and others). */
export function ownFamilies(text: string, prefix = 'hms_sys_'): string {
  return text.split('\n').filter((l) => l.trim() !== '' && lineName(l).startsWith(prefix)).join('\n') + '\n';
}

export interface NormalizeOptions {
  /** Families whose every sample value varies between runs (e.g. timings counted per tick). */
  readonly volatile?: readonly string[];
  /** Histograms: mask `_sum` and `_bucket` values (timings), keep `_count`. Default true. */
  readonly maskHistogramValues?: boolean;
}

/**
 * The `hms_sys_*` part of an exposition in a stable form: families sorted by name, each with its
 * HELP and TYPE then its samples sorted; volatile values replaced by `<masked>`.
 */
export function normalizeExposition(text: string, opts: NormalizeOptions = {}): string {
  const maskHist = opts.maskHistogramValues ?? true;
  const volatile = new Set(opts.volatile ?? []);
  const families = new Map<string, { help: string; type: string; kind: string; samples: string[] }>();
  const family = (name: string): { help: string; type: string; kind: string; samples: string[] } => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help: '', type: '', kind: '', samples: [] }));
    return f;
  };
  const typed = new Map<string, string>();
  for (const line of ownFamilies(text).split('\n')) {
    if (line.startsWith('# TYPE ')) typed.set(line.split(' ')[2] ?? '', line.split(' ')[3] ?? '');
  }
  const familyOf = (sample: string): string => {
    for (const suffix of ['_bucket', '_sum', '_count', '']) {
      const base = suffix ? sample.slice(0, -suffix.length) : sample;
      if (sample.endsWith(suffix) && typed.has(base) && (suffix === '' || typed.get(base) === 'histogram' || typed.get(base) === 'summary')) return base;
    }
    return sample;
  };
  for (const line of ownFamilies(text).split('\n')) {
    if (!line) continue;
    if (line.startsWith('# HELP ')) family(lineName(line)).help = line;
    else if (line.startsWith('# TYPE ')) {
      const f = family(lineName(line));
      f.type = line;
      f.kind = line.split(' ')[3] ?? '';
    } else {
      const name = lineName(line);
      const base = familyOf(name);
      const f = family(base);
      const cut = line.lastIndexOf(' ');
      const series = line.slice(0, cut);
      let value = line.slice(cut + 1);
      if (volatile.has(base)) value = '<masked>';
      else if (maskHist && f.kind === 'histogram' && !name.endsWith('_count')) value = '<masked>';
      f.samples.push(`${series} ${value}`);
    }
  }
  const out: string[] = [];
  for (const name of [...families.keys()].sort()) {
    const f = families.get(name)!;
    if (f.help) out.push(f.help);
    if (f.type) out.push(f.type);
    out.push(...f.samples.sort(bySeries));
  }
  return out.join('\n') + '\n';
}

/** Sample order: by series name and labels, histogram buckets by their numeric `le` (+Inf last). */
function bySeries(a: string, b: string): number {
  const le = (s: string): number => {
    const m = /le="([^"]*)"/.exec(s);
    return m ? (m[1] === '+Inf' ? Infinity : Number(m[1])) : -Infinity;
  };
  const strip = (s: string): string => s.replace(/,?le="[^"]*"/, '').split(' ')[0] ?? '';
  const ka = strip(a);
  const kb = strip(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return le(a) - le(b);
}

/**
 * Compares `actual` with the golden file; with UPDATE_GOLDENS=1 rewrites it instead.
 * Returns the golden text (for expect(actual).toBe(golden)).
 */
export function golden(path: string, actual: string): string {
  if (process.env.UPDATE_GOLDENS === '1') {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  } else if (!existsSync(path)) {
    throw new Error(`golden file ${path} is missing: run the test with UPDATE_GOLDENS=1, review and commit it`);
  }
  return readFileSync(path, 'utf8');
}

/** `promtool check metrics` on an exposition: exit 0 = clean, 3 = lint problems (listed in output). */
export function promtoolCheck(text: string, promtool = 'promtool'): { status: number | null; output: string } {
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** The family names (from TYPE lines) of an exposition, sorted. */
export function familyNames(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2] ?? '').sort();
}

/** TYPE of each family: name → counter | gauge | histogram | summary | untyped. */
export function familyTypes(text: string): Map<string, string> {
  return new Map(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => [l.split(' ')[2] ?? '', l.split(' ')[3] ?? ''] as [string, string]));
}
