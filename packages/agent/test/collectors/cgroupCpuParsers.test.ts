import { describe, expect, it } from 'vitest';
import { parseCpuacctStat, parseCpuacctUsage, parseCpuStatV1, parseCpuStatV2 } from '../../src/collectors/cgroupCpuParsers.js';

describe('parseCpuStatV2', () => {
  it('reads usage, user/system and throttling as written by a 6.x kernel', () => {
    const text = [
      'usage_usec 2000300',
      'user_usec 1400210',
      'system_usec 600090',
      'core_sched.force_idle_usec 0',
      'nr_periods 5000',
      'nr_throttled 12',
      'throttled_usec 340000',
      'nr_bursts 0',
      'burst_usec 0',
      '',
    ].join('\n');
    expect(parseCpuStatV2(text)).toEqual({
      usageUsec: 2000300,
      userUsec: 1400210,
      systemUsec: 600090,
      nrPeriods: 5000,
      nrThrottled: 12,
      throttledUsec: 340000,
    });
  });

  it('reads throttling as 0 when the cpu controller is not enabled (only the always-present keys)', () => {
    expect(parseCpuStatV2('usage_usec 42\nuser_usec 30\nsystem_usec 12\nnice_usec 0\n')).toEqual({
      usageUsec: 42,
      userUsec: 30,
      systemUsec: 12,
      nrPeriods: 0,
      nrThrottled: 0,
      throttledUsec: 0,
    });
  });

  it('keeps counters exact up to 2^53 - 1 and accepts a missing trailing newline', () => {
    expect(parseCpuStatV2('usage_usec 9007199254740991')?.usageUsec).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['empty file', ''],
    ['no usage_usec', 'user_usec 5\nsystem_usec 6\n'],
    ['non-numeric usage', 'usage_usec 12abc\n'],
    ['negative value', 'usage_usec -5\n'],
    ['non-numeric known field', 'usage_usec 5\nnr_throttled x\n'],
    ['beyond 2^53', 'usage_usec 9007199254740993\n'],
    ['line without value', 'usage_usec\n'],
    ['binary garbage', '\u0000\u0001\u0002'],
  ])('rejects %s', (_what, text) => {
    expect(parseCpuStatV2(text)).toBeUndefined();
  });
});

describe('parseCpuacctUsage (v1, ns -> µs)', () => {
  it('floors nanoseconds to whole microseconds', () => {
    expect(parseCpuacctUsage('3000500999\n')).toBe(3000500);
    expect(parseCpuacctUsage('999\n')).toBe(0);
  });

  it('stays exact beyond 2^53 ns (a busy container after ~104 CPU-days)', () => {
    expect(parseCpuacctUsage('12345678901234567\n')).toBe(12345678901234);
    expect(parseCpuacctUsage('18446744073709551\n')).toBe(18446744073709);
  });

  it.each(['', 'abc', '-1', '12 34', '1.5'])('rejects %j', (text) => {
    expect(parseCpuacctUsage(text)).toBeUndefined();
  });
});

describe('parseCpuacctStat (v1, USER_HZ ticks -> µs)', () => {
  it('converts 1/100 s ticks to microseconds', () => {
    expect(parseCpuacctStat('user 290\nsystem 110\n')).toEqual({ userUsec: 2_900_000, systemUsec: 1_100_000 });
  });

  it.each([
    ['only user', 'user 1\n'],
    ['garbage value', 'user x\nsystem 1\n'],
  ])('rejects %s', (_what, text) => {
    expect(parseCpuacctStat(text)).toBeUndefined();
  });
});

describe('parseCpuStatV1 (CFS bandwidth)', () => {
  it('reads periods, throttled count and throttled_time ns as µs, ignoring burst fields', () => {
    expect(parseCpuStatV1('nr_periods 2500\nnr_throttled 40\nthrottled_time 1234567890\nnr_bursts 0\nburst_time 0\n')).toEqual({
      nrPeriods: 2500,
      nrThrottled: 40,
      throttledUsec: 1234567,
    });
  });

  it.each([
    ['missing throttled_time', 'nr_periods 1\nnr_throttled 0\n'],
    ['garbage', 'nr_periods one\nnr_throttled 0\nthrottled_time 0\n'],
  ])('rejects %s', (_what, text) => {
    expect(parseCpuStatV1(text)).toBeUndefined();
  });
});
