/**
 * ChunkedGauge + renderExposition must be indistinguishable from prom-client: the same bytes as
 * `registry.metrics()` of a registry holding an ordinary Gauge filled by collect() — escapes,
 * repeated label sets, NaN and infinities, families around it — while yielding to the event
 * loop during a large render.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ChunkedGauge, type GaugeSeries } from '../../src/metrics/chunkedGauge.js';
import { renderExposition } from '../../src/metrics/exposition.js';
import { Rng } from '../kit/rng.js';

const LABELS = ['namespace', 'pod', 'node'];

/** The pieces of a render as one UTF-8 text. */
const text = (pieces: Array<string | Uint8Array>): string => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8');

function randomSeries(rng: Rng, n: number): GaugeSeries[] {
  const parts = ['web', 'a"b', 'c\\d', 'line\nbreak', 'ünï', '', 'x,node:y', '日本'];
  const values = [0, 1, 0.25, -3.5, 1e-9, 123456.789, NaN, Infinity, -Infinity, 2 ** 53];
  const out: GaugeSeries[] = [];
  for (let i = 0; i < n; i++) {
    // Some label sets repeat (same pod name on a node): first position, last value.
    const k = rng.int(Math.max(1, Math.floor(n * 0.8)));
    out.push({ labels: [parts[k % parts.length] as string, `p-${k}-${parts[(k >> 3) % parts.length]}`, `n${k % 7}`], value: values[rng.int(values.length)] as number });
  }
  return out;
}

/** Two registries: one with ChunkedGauges, one with prom-client Gauges fed the same series. */
function registries(series: () => GaugeSeries[][]): { chunked: Registry; reference: Registry } {
  const chunked = new Registry();
  const reference = new Registry();
  for (const [i, r] of [chunked, reference].entries()) {
    new Counter({ name: 'before_total', help: 'a counter \\ with "help"', registers: [r] }).inc(3);
    series().forEach((_, f) => {
      const name = `fam_${f}`;
      const help = `family ${f}\nsecond line`;
      if (i === 0) new ChunkedGauge({ name, help, labelNames: LABELS, registers: [r], series: () => series()[f] as GaugeSeries[] });
      else new Gauge({
        name, help, labelNames: LABELS, registers: [r],
        collect() {
          this.reset();
          for (const s of series()[f] as GaugeSeries[]) this.set({ namespace: s.labels[0] as string, pod: s.labels[1] as string, node: s.labels[2] as string }, s.value);
        },
      });
    });
    new Histogram({ name: 'after_seconds', help: 'h', buckets: [0.1, 1], registers: [r] }).observe(0.5);
  }
  return { chunked, reference };
}

describe('ChunkedGauge', () => {
  it.each([1, 2, 3, 4, 5])('renders exactly what prom-client renders (random families %i)', async (seed) => {
    const rng = new Rng(seed * 104729);
    const fams = [randomSeries(rng, 0), randomSeries(rng, 1 + rng.int(50)), randomSeries(rng, 2000 + rng.int(3000))];
    const { chunked, reference } = registries(() => fams);
    const expected = await reference.metrics();
    expect(text(await renderExposition(chunked, 0))).toBe(expected);
    expect(await chunked.metrics()).toBe(expected); // the registry contract holds too
    expect(await chunked.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
  });

  it('grows its buffer across long label names, long multi-byte values and megabytes of text', async () => {
    const rng = new Rng(99);
    const names = ['a_label_name_longer_than_sixteen_bytes', 'b'];
    const series: GaugeSeries[] = Array.from({ length: 8000 }, (_, i) => ({
      labels: [`${'ü日"\\x'.repeat(1 + rng.int(40))}-${i % 6000}`, 'v'.repeat(rng.int(300))], value: rng.next(),
    }));
    const chunked = new Registry();
    const reference = new Registry();
    new ChunkedGauge({ name: 'big', help: 'h', labelNames: names, registers: [chunked], series: () => series });
    new Gauge({
      name: 'big', help: 'h', labelNames: names, registers: [reference],
      collect() {
        this.reset();
        for (const s of series) this.set({ [names[0] as string]: s.labels[0] as string, b: s.labels[1] as string }, s.value);
      },
    });
    const expected = await reference.metrics();
    expect(expected.length).toBeGreaterThan(2 ** 21);
    expect(text(await renderExposition(chunked, 0))).toBe(expected);
  });

  it('yields to the event loop while rendering a large family', async () => {
    const big = randomSeries(new Rng(7), 20_000);
    const { chunked } = registries(() => [big]);
    let ranDuringRender = false;
    let done = false;
    const render = renderExposition(chunked, 0).then(() => (done = true));
    setImmediate(() => (ranDuringRender = !done));
    await render;
    expect(ranDuringRender).toBe(true);
  });

  it('refuses a family without labels', () => {
    expect(() => new ChunkedGauge({ name: 'x', help: 'x', labelNames: [], registers: [], series: () => [] })).toThrow(/label/);
  });
});
