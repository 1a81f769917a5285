import type { Registry } from 'prom-client';

/**
 * One series of a ChunkedGauge: label values in `labelNames` order, and the value. A producer
 * may yield the same object again and again with new contents (consumers copy what they keep).
 */
export interface GaugeSeries {
  readonly labels: readonly string[];
  readonly value: number;
}

export interface ChunkedGaugeOptions {
  readonly name: string;
  readonly help: string;
  /** At least one: a gauge without labels has nothing to chunk (use prom-client's Gauge). */
  readonly labelNames: readonly string[];
  readonly registers: readonly Registry[];
  /** The series as of now, computed at scrape time (like prom-client's collect()). */
  readonly series: () => Iterable<GaugeSeries>;
}

/** How long one slice of rendering may run before yielding to the event loop, ms. */
export const DEFAULT_SLICE_MS = 8;

const NEEDS_ESCAPE = /[\\\n"]/;

/** prom-client's label-value escaping: backslash, newline, double quote. */
function escapeLabelValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;
}

/** prom-client's escaping of names and help text: backslash, newline. */
function escapeString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** prom-client's number formatting (`Nan` included, as it writes it). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'Nan';
  if (!Number.isFinite(v)) return v < 0 ? '-Inf' : '+Inf';
  return `${v}`;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A gauge family computed at scrape time whose exposition can be rendered in time slices,
 * yielding to the event loop between them — for families with one series per pod or node
 * (150 000 series take ~100 ms to render; prom-client renders a family in one synchronous
 * stretch, and its `reset()` + `set()` per series costs as much again).
 *
 * It honours prom-client's metric contract, so it lives in an ordinary Registry: `get()` gives
 * `registry.metrics()` and `getMetricsAsJSON()` the same values a Gauge filled by `set()` in a
 * `collect()` would (a repeated label set keeps its first position and takes the last value),
 * and `renderChunks()` (used by `renderExposition`) writes exactly the text prom-client writes.
 */
export class ChunkedGauge {
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  private readonly series: () => Iterable<GaugeSeries>;
  private readonly header: string;

  constructor(opts: ChunkedGaugeOptions) {
    if (opts.labelNames.length === 0) throw new Error(`ChunkedGauge ${opts.name} needs label names`);
    this.name = opts.name;
    this.help = opts.help;
    this.labelNames = opts.labelNames;
    this.series = opts.series;
    const name = escapeString(opts.name);
    this.header = `# HELP ${name} ${escapeString(opts.help)}\n# TYPE ${name} gauge`;
    for (const r of opts.registers) r.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** prom-client's metric contract: the values of this scrape. */
  async get(): Promise<{ name: string; help: string; type: 'gauge'; aggregator: string; values: { labels: Record<string, string>; value: number }[] }> {
    const byKey = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const s of this.series()) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, i) => (labels[n] = s.labels[i] ?? ''));
      const key = this.labelText(s.labels);
      const existing = byKey.get(key);
      if (existing) {
        existing.labels = labels;
        existing.value = s.value;
      } else {
        byKey.set(key, { labels, value: s.value });
      }
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...byKey.values()] };
  }

  /** prom-client's metric contract: nothing is stored between scrapes. */
  reset(): void {}

  /**
   * The family's exposition text exactly as prom-client writes it (without the trailing
   * newline), as pieces to be written in order (concatenated as UTF-8, they are the text),
   * computed in slices of about `sliceMs` with a yield to the event loop between slices.
   *
   * Lines go straight into one growing Buffer (off the JS heap: a 150 000-line render leaves
   * almost nothing for the garbage collector), and a repeated label set is found through a
   * hash table of line offsets — the later line is taken back, the first gets its value.
   */
  async renderChunks(sliceMs = DEFAULT_SLICE_MS): Promise<Array<string | Uint8Array>> {
    const prefix = Buffer.from(`${escapeString(this.name)}{`);
    // `a="`, `,b="`, … : the fixed parts of the label text.
    const names = this.labelNames.map((name, i) => Buffer.from(`${i === 0 ? '' : ','}${name}="`));
    // Bytes of a line besides label values and value: name, '{', the fixed parts, quotes, '} ', '\n'.
    const fixedBytes = prefix.length + names.reduce((sum, b) => sum + b.length + 1, 0) + 3;
    const out = new LineBuffer();
    let table: Int32Array = new Int32Array(1024); // open addressing: line index + 1, 0 = empty
    let overrides: Map<number, string> | undefined;
    let deadline = performance.now() + sliceMs;
    let n = 0;
    for (const s of this.series()) {
      const value = formatValue(s.value);
      const index = out.count;
      const start = out.begin(prefix, s.labels, fixedBytes + value.length);
      for (let i = 0; i < names.length; i++) {
        out.key(names[i] as Uint8Array);
        out.labelValue(s.labels[i] ?? '');
        out.keyByte(0x22); // "
      }
      const hash = out.end(value);
      // The label set seen before? (hash of the label text, confirmed byte for byte)
      if (2 * (index + 1) > table.length) table = rehash(table, out);
      const mask = table.length - 1;
      let slot = hash & mask;
      for (;;) {
        const at = table[slot] as number;
        if (at === 0) {
          table[slot] = index + 1;
          out.count++;
          break;
        }
        if (out.keyHash(at - 1) === hash && out.sameKey(at - 1, index, prefix.length)) {
          out.length = start; // take the repeated line back…
          (overrides ??= new Map()).set(at - 1, value); // …the first one gets its value
          break;
        }
        slot = (slot + 1) & mask;
      }
      if ((++n & 127) === 0 && performance.now() >= deadline) {
        await yieldToLoop();
        deadline = performance.now() + sliceMs;
      }
    }
    if (out.count === 0) return [this.header];
    return [`${this.header}\n`, ...out.pieces(overrides)];
  }

  /** `a="x",b="y"`: the label part of a line, also the identity of a series. */
  private labelText(values: readonly string[]): string {
    const names = this.labelNames;
    let out = `${names[0]}="${escapeLabelValue(values[0] ?? '')}"`;
    for (let i = 1; i < names.length; i++) out += `,${names[i]}="${escapeLabelValue(values[i] ?? '')}"`;
    return out;
  }
}

function rehash(old: Int32Array, out: LineBuffer): Int32Array {
  const table = new Int32Array(old.length * 2);
  const mask = table.length - 1;
  for (const at of old) {
    if (at === 0) continue;
    let slot = out.keyHash(at - 1) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = at;
  }
  return table;
}

/**
 * Exposition lines, each ending in '\n', written byte by byte into one growing Buffer (no
 * string per line), with per line the offsets of its start and of the end of its label text,
 * and the FNV-1a hash of that text, computed as it is written.
 */
class LineBuffer {
  buf = Buffer.allocUnsafe(1 << 20);
  length = 0;
  count = 0;
  private starts = new Int32Array(1024);
  private keyEnds = new Int32Array(1024);
  private hashes = new Uint32Array(1024);
  private hash = 0;
  /** Where the current line's label text starts (after the metric name and '{'). */
  private keyStart = 0;

  /**
   * Starts a line (counted once the caller increments `count`) with `prefix`; returns its
   * offset. `otherBytes`: the line's length without its label values, which take at most 6
   * bytes per UTF-16 unit (an escape doubles a character; UTF-8 takes up to 3 bytes per unit).
   */
  begin(prefix: Uint8Array, labels: readonly string[], otherBytes: number): number {
    let worst = otherBytes;
    for (let i = 0; i < labels.length; i++) worst += 6 * (labels[i] as string).length;
    if (this.length + worst > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.length + worst, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.length);
      this.buf = bigger;
    }
    if (this.count === this.starts.length) this.growIndex();
    const start = this.length;
    this.starts[this.count] = start;
    this.buf.set(prefix, start);
    this.length = start + prefix.length;
    this.keyStart = this.length;
    this.hash = 0x811c9dc5;
    return start;
  }

  /** Fixed bytes of the label text. */
  key(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.keyByte(bytes[i] as number);
  }

  keyByte(b: number): void {
    this.buf[this.length++] = b;
    this.hash = Math.imul(this.hash ^ b, 0x01000193);
  }

  /** A label value, escaped as prom-client escapes it (ASCII without escapes: copied as is). */
  labelValue(v: string): void {
    const at = this.length;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80 || c === 0x5c || c === 0x22 || c === 0x0a) {
        // Rare: escapes or non-ASCII. Undo and write the escaped text as UTF-8.
        this.length = at;
        this.hash = this.rehashFrom(at);
        const n = this.buf.write(escapeLabelValue(v), at);
        for (let j = at; j < at + n; j++) this.hash = Math.imul(this.hash ^ (this.buf[j] as number), 0x01000193);
        this.length = at + n;
        return;
      }
      this.buf[this.length++] = c;
      this.hash = Math.imul(this.hash ^ c, 0x01000193);
    }
  }

  /** The hash of this line's label text written before `at`. */
  private rehashFrom(at: number): number {
    let h = 0x811c9dc5;
    for (let j = this.keyStart; j < at; j++) h = Math.imul(h ^ (this.buf[j] as number), 0x01000193);
    return h;
  }

  /** Ends the label text and writes '} ' + value + '\n'; returns the label text's hash. */
  end(value: string): number {
    const i = this.count;
    this.keyEnds[i] = this.length;
    const h = this.hash >>> 0;
    this.hashes[i] = h;
    const buf = this.buf;
    buf[this.length++] = 0x7d; // }
    buf[this.length++] = 0x20;
    for (let j = 0; j < value.length; j++) buf[this.length++] = value.charCodeAt(j);
    buf[this.length++] = 0x0a;
    return h;
  }

  private growIndex(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const keyEnds = new Int32Array(n);
    const hashes = new Uint32Array(n);
    starts.set(this.starts);
    keyEnds.set(this.keyEnds);
    hashes.set(this.hashes);
    this.starts = starts;
    this.keyEnds = keyEnds;
    this.hashes = hashes;
  }

  keyHash(i: number): number {
    return this.hashes[i] as number;
  }

  /** Whether lines a and b (b the one just written) have the same label text. */
  sameKey(a: number, b: number, prefixBytes: number): boolean {
    const as = (this.starts[a] as number) + prefixBytes;
    const ae = this.keyEnds[a] as number;
    const bs = (this.starts[b] as number) + prefixBytes;
    const be = this.keyEnds[b] as number;
    return ae - as === be - bs && this.buf.compare(this.buf, bs, be, as, ae) === 0;
  }

  /** The text without the last newline, with the values of repeated label sets put in. */
  pieces(overrides: Map<number, string> | undefined): Uint8Array[] {
    const end = this.length - 1;
    if (!overrides) return [this.buf.subarray(0, end)];
    const out: Uint8Array[] = [];
    let cursor = 0;
    for (const line of [...overrides.keys()].sort((x, y) => x - y)) {
      const valueStart = (this.keyEnds[line] as number) + 2; // after '} '
      const lineEnd = line + 1 < this.count ? (this.starts[line + 1] as number) - 1 : end;
      out.push(this.buf.subarray(cursor, valueStart), Buffer.from(overrides.get(line) as string));
      cursor = lineEnd;
    }
    out.push(this.buf.subarray(cursor, end));
    return out;
  }
}
