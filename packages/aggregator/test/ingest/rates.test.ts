import { describe, expect, it } from 'vitest';
import { cpuRate, isRate } from '../../src/ingest/rates.js';
import { nodeCpuRate } from '../../src/ingest/nodeCpuRate.js';

const s = (usageUsec: number, monoUsec: number, bootId = 'b1') => ({ usageUsec, monoUsec, bootId });

describe('cpuRate', () => {
  it('is the counter delta over the monotonic delta, in cores, with its window', () => {
    expect(cpuRate(s(1_000_000, 10_000_000), s(1_500_000, 11_000_000))).toEqual({ cores: 0.5, windowMs: 1000 });
    expect(cpuRate(s(0, 0), s(2_000_000, 1_000_000))).toEqual({ cores: 2, windowMs: 1000 });
  });
  it('gives no rate for a first sample', () => {
    expect(cpuRate(undefined, s(5, 5))).toBe('first-sample');
  });
  it('gives no rate, never a negative one, when the counter goes back (restart, recreated cgroup)', () => {
    expect(cpuRate(s(9_000_000, 1_000_000), s(100, 2_000_000))).toBe('counter-reset');
  });
  it('treats a drop to zero after a non-zero value as a reset (container just removed)', () => {
    expect(cpuRate(s(9_000_000, 1_000_000), s(0, 2_000_000))).toBe('counter-reset');
  });
  it('gives no rate, never a division by zero, when time does not advance', () => {
    expect(cpuRate(s(1, 5_000), s(2, 5_000))).toBe('time-not-advancing');
    expect(cpuRate(s(1, 6_000), s(2, 5_000))).toBe('time-not-advancing');
  });
  it('does not compare samples across boots', () => {
    expect(cpuRate(s(1, 1, 'a'), s(5, 2, 'b'))).toBe('other-boot');
  });
  it('refuses an implausibly huge rate instead of reporting it', () => {
    const r = cpuRate(s(0, 0), s(100_000_000, 1_000_000), 4);
    expect(r).toBe('implausible');
    expect(isRate(cpuRate(s(0, 0), s(4_100_000, 1_000_000), 4))).toBe(true); // within the 5% read skew
  });
  it('keeps a flat counter at zero cores (idle container)', () => {
    expect(cpuRate(s(7, 1_000_000), s(7, 2_000_000))).toEqual({ cores: 0, windowMs: 1000 });
  });
});

describe('nodeCpuRate', () => {
  it('is the busy share of elapsed CPU time times the cores', () => {
    expect(nodeCpuRate({ busyUsec: 0, totalUsec: 0, cores: 4 }, { busyUsec: 1_000_000, totalUsec: 4_000_000, cores: 4 })).toBe(1);
  });
  it('gives nothing for a first reading, a standstill or counters going back', () => {
    expect(nodeCpuRate(undefined, { busyUsec: 1, totalUsec: 2, cores: 1 })).toBeUndefined();
    expect(nodeCpuRate({ busyUsec: 1, totalUsec: 2, cores: 1 }, { busyUsec: 1, totalUsec: 2, cores: 1 })).toBeUndefined();
    expect(nodeCpuRate({ busyUsec: 5, totalUsec: 10, cores: 1 }, { busyUsec: 4, totalUsec: 20, cores: 1 })).toBeUndefined();
  });
});
