import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../src/collectors/parseMeminfo.js';
import { osImageOf, parseOsRelease } from '../../src/collectors/parseOsRelease.js';
import { parseProcStat, ticksToSafeUsec } from '../../src/collectors/parseProcStat.js';

describe('parseProcStat', () => {
  const text = [
    'cpu  100 20 30 1000 5 1 2 3 50 0',
    'cpu0 50 10 15 500 2 1 1 2 25 0',
    'cpu1 50 10 15 500 3 0 1 1 25 0',
    'intr 12345 0 9',
    'ctxt 1990473',
    'btime 1718000000',
    'processes 2915',
    '',
  ].join('\n');

  it('sums busy = user+nice+system+irq+softirq+steal and total = busy+idle+iowait, in µs', () => {
    // busy = 100+20+30+1+2+3 = 156 ticks; total = 156+1000+5 = 1161 ticks; 1 tick = 10 000 µs.
    // guest (50) is already part of user and must not be added again.
    expect(parseProcStat(text)).toEqual({ cpuBusyUsec: 1_560_000, cpuTotalUsec: 11_610_000, cores: 2, bootTimeSec: 1718000000 });
  });

  it('reads old kernels with only user nice system idle', () => {
    expect(parseProcStat('cpu  1 2 3 4\ncpu0 1 2 3 4\n')).toEqual({ cpuBusyUsec: 60_000, cpuTotalUsec: 100_000, cores: 1, bootTimeSec: 0 });
  });

  it('rejects a file without the aggregate cpu line', () => {
    expect(parseProcStat('cpu0 1 2 3 4\nbtime 5\n')).toBeUndefined();
    expect(parseProcStat('')).toBeUndefined();
  });

  it('wraps past 2^53 µs instead of losing precision (256-CPU node after ~1.1 years)', () => {
    expect(ticksToSafeUsec(900_719_925_474)).toBe(9_007_199_254_740_000); // just below 2^53: exact
    expect(ticksToSafeUsec(1_000_000_000_000)).toBe(10_000_000_000_000_000 - 9_007_199_254_740_992); // 1e16 mod 2^53
    expect(Number.isSafeInteger(ticksToSafeUsec(1e15))).toBe(true);
  });
});

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable in bytes', () => {
    const text = 'MemTotal:       16318480 kB\nMemFree:         1234567 kB\nMemAvailable:    9876540 kB\nHugePages_Total:       0\n';
    expect(parseMeminfo(text)).toEqual({ memTotalBytes: 16318480 * 1024, memAvailableBytes: 9876540 * 1024 });
  });

  it('approximates MemAvailable on kernels before 3.14 as MemFree + Buffers + Cached', () => {
    const text = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n';
    expect(parseMeminfo(text)).toEqual({ memTotalBytes: 1000 * 1024, memAvailableBytes: 420 * 1024 });
  });

  it('rejects a file without MemTotal', () => {
    expect(parseMeminfo('MemFree: 1 kB\n')).toBeUndefined();
  });
});

describe('parseOsRelease / osImageOf', () => {
  it('takes PRETTY_NAME, unquoting double and single quotes', () => {
    expect(osImageOf(parseOsRelease('NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n'))).toBe('Ubuntu 24.04.1 LTS');
    expect(osImageOf(parseOsRelease("PRETTY_NAME='Flatcar Container Linux by Kinvolk 3975.2.0'\n"))).toBe(
      'Flatcar Container Linux by Kinvolk 3975.2.0',
    );
    expect(parseOsRelease('# comment\n\nPRETTY_NAME="say \\"hi\\""\nID=debian\n')).toEqual({ PRETTY_NAME: 'say "hi"', ID: 'debian' });
  });

  it('falls back to NAME VERSION, then to "Linux" as os-release(5) says', () => {
    expect(osImageOf(parseOsRelease('NAME=Alpine\nVERSION=3.20\n'))).toBe('Alpine 3.20');
    expect(osImageOf(parseOsRelease('ID=unknown\n'))).toBe('Linux');
  });
});
