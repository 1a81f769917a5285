import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../../src/loadgen/latencyHistogram.js';

describe('LatencyHistogram', () => {
  it('gives percentiles within 1 % (or 10 µs) of the exact ones, and the exact max and mean', () => {
    const h = new LatencyHistogram();
    const values: number[] = [];
    let x = 7;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const v = i % 10 === 0 ? (x / 2147483648) * 2000 : (x / 2147483648) * 3; // a long tail
      values.push(v);
      h.record(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99, 0.999]) {
      const exact = values[Math.ceil(q * values.length) - 1] as number;
      const got = h.quantile(q);
      expect(got).toBeGreaterThanOrEqual(exact - 1e-9);
      expect(got).toBeLessThanOrEqual(Math.max(exact * 1.01, exact + 0.01) + 1e-9);
    }
    expect(h.maxMs).toBe(values.at(-1));
    expect(h.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    const exactShare = values.filter((v) => v <= 3).length / values.length;
    expect(Math.abs(h.shareAtMost(3) - exactShare)).toBeLessThan(0.01);
  });

  it('is empty-safe', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.99)).toBe(0);
    expect(h.count).toBe(0);
    h.record(-5);
    expect(h.quantile(0.5)).toBe(0);
  });
});
