import { isHmsError } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_LENGTH_MS,
  canStartNode,
  mergeWindows,
  nextWindow,
  parseWindow,
  parseWindows,
  windowAt,
} from '../../src/patch/windows.js';
import { zonedLocalToUtc, zoneOffsetMs } from '../../src/patch/zonedTime.js';

const utc = (s: string): number => Date.parse(s);
const H = 3_600_000;

describe('parseWindow', () => {
  it.each([
    ['2024-04-05T02:00Z', '2024-04-05T02:00:00.000Z', '2024-04-05T06:00:00.000Z'], // START alone: default 4 h
    ['2024-04-05T02:00Z/4h', '2024-04-05T02:00:00.000Z', '2024-04-05T06:00:00.000Z'],
    ['2024-04-05T02:00Z/90m', '2024-04-05T02:00:00.000Z', '2024-04-05T03:30:00.000Z'],
    ['2024-04-05T02:00Z/1h30m', '2024-04-05T02:00:00.000Z', '2024-04-05T03:30:00.000Z'],
    ['2024-04-05T02:00Z/2024-04-05T05:15Z', '2024-04-05T02:00:00.000Z', '2024-04-05T05:15:00.000Z'],
    ['2024-04-05T02:00+02:00/4h', '2024-04-05T00:00:00.000Z', '2024-04-05T04:00:00.000Z'],
    ['2024-04-05T02:00-0530/1h', '2024-04-05T07:30:00.000Z', '2024-04-05T08:30:00.000Z'],
    ['2024-04-05T02:00:30.5Z/1h', '2024-04-05T02:00:30.500Z', '2024-04-05T03:00:30.500Z'],
    // END without a zone takes START's zone; a bare time means its next occurrence.
    ['2024-04-05T02:00+02:00/2024-04-05T04:00', '2024-04-05T00:00:00.000Z', '2024-04-05T02:00:00.000Z'],
    ['2024-04-05T22:00Z/02:00', '2024-04-05T22:00:00.000Z', '2024-04-06T02:00:00.000Z'],
    ['2024-04-05T02:00[Europe/Berlin]/4h', '2024-04-05T00:00:00.000Z', '2024-04-05T04:00:00.000Z'],
    ['2024-01-05T02:00[Europe/Berlin]/06:00', '2024-01-05T01:00:00.000Z', '2024-01-05T05:00:00.000Z'],
    ['2024-04-05T02:00+02:00[Europe/Berlin]/1h', '2024-04-05T00:00:00.000Z', '2024-04-05T01:00:00.000Z'],
    ['2024-04-05T02:00[America/New_York]/2h', '2024-04-05T06:00:00.000Z', '2024-04-05T08:00:00.000Z'],
  ])('%s', (text, start, end) => {
    const w = parseWindow(text);
    expect(new Date(w.startMs).toISOString()).toBe(start);
    expect(new Date(w.endMs).toISOString()).toBe(end);
    expect(w.sources).toEqual([text]);
  });

  it('defaults a START-only window to 4 h', () => {
    expect(DEFAULT_WINDOW_LENGTH_MS).toBe(4 * H);
  });

  it.each([
    ['', /empty/],
    ['tonight', /invalid window start/],
    ['2024-04-05T02:00', /no time zone/],
    ['2024-04-05T02:00/4h', /no time zone/],
    ['2024-04-05T02:00[Mars/Olympus]/4h', /unknown time zone "Mars\/Olympus"/],
    ['2024-02-30T02:00Z', /no such calendar date/],
    ['2024-04-05T25:00Z', /no such calendar date/],
    ['2024-04-05T02:00+25:00', /invalid UTC offset/],
    ['2024-04-05T02:00Z/', /missing window end/],
    ['2024-04-05T02:00Z/4 hours', /invalid window end or duration "4 hours"/],
    ['2024-04-05T02:00Z/4', /invalid window end or duration "4"/],
    ['2024-04-05T02:00Z/0h', /longer than zero/],
    ['2024-04-05T02:00Z/2024-04-05T01:00Z', /not after its start/],
    ['2024-04-05T02:00Z/2024-13-05T01:00Z', /no such calendar date/],
    ['2024-04-05T02:00Z/2024-04-05', /invalid window end "2024-04-05"/],
    ['2024-04-05T02:00Zjunk', /unexpected "junk"/],
    ['2024-04-05T02:00+01:00[Europe/Berlin]/1h', /does not match Europe\/Berlin/], // Berlin is +02:00 in April
  ])('refuses %j naming the bad part', (text, message) => {
    try {
      parseWindow(text);
      expect.unreachable();
    } catch (err) {
      expect(isHmsError(err, 'HMS_USAGE')).toBe(true);
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('DST (Europe/Berlin)', () => {
  it('a window across the spring-forward night is one hour shorter in elapsed time', () => {
    // 2024-03-31: 02:00 CET jumps to 03:00 CEST.
    const w = parseWindow('2024-03-31T01:00[Europe/Berlin]/2024-03-31T05:00');
    expect(new Date(w.startMs).toISOString()).toBe('2024-03-31T00:00:00.000Z'); // CET, +01:00
    expect(new Date(w.endMs).toISOString()).toBe('2024-03-31T03:00:00.000Z'); // CEST, +02:00
    expect(w.endMs - w.startMs).toBe(3 * H);
  });

  it('a duration is elapsed time: 4h from 01:00 ends at 06:00 local on spring-forward night', () => {
    const w = parseWindow('2024-03-31T01:00[Europe/Berlin]/4h');
    expect(new Date(w.endMs).toISOString()).toBe('2024-03-31T04:00:00.000Z'); // 06:00 CEST
  });

  it('a time inside the spring-forward gap moves forward by the gap (Temporal "compatible")', () => {
    const w = parseWindow('2024-03-31T02:30[Europe/Berlin]/1h');
    expect(new Date(w.startMs).toISOString()).toBe('2024-03-31T01:30:00.000Z'); // 03:30 CEST
  });

  it('a repeated time on fall-back night takes the first (summer-time) instant', () => {
    // 2024-10-27: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    const w = parseWindow('2024-10-27T02:30[Europe/Berlin]/1h');
    expect(new Date(w.startMs).toISOString()).toBe('2024-10-27T00:30:00.000Z');
    // With the offset given, the second occurrence can be chosen explicitly.
    const later = parseWindow('2024-10-27T02:30+01:00[Europe/Berlin]/1h');
    expect(new Date(later.startMs).toISOString()).toBe('2024-10-27T01:30:00.000Z');
  });

  it('a wall-clock window across fall-back night is one hour longer', () => {
    const w = parseWindow('2024-10-27T01:00[Europe/Berlin]/05:00');
    expect(w.endMs - w.startMs).toBe(5 * H);
  });

  it('zoneOffsetMs / zonedLocalToUtc agree with known offsets', () => {
    expect(zoneOffsetMs('Europe/Berlin', utc('2024-01-15T12:00:00Z'))).toBe(H);
    expect(zoneOffsetMs('Europe/Berlin', utc('2024-07-15T12:00:00Z'))).toBe(2 * H);
    expect(zoneOffsetMs('UTC', utc('2024-07-15T12:00:00.250Z'))).toBe(0);
    expect(zonedLocalToUtc({ year: 2024, month: 7, day: 15, hour: 14, minute: 0, second: 0, millisecond: 0 }, 'Europe/Berlin')).toBe(utc('2024-07-15T12:00:00Z'));
  });
});

describe('several windows', () => {
  it('sorts and merges overlapping or touching windows, keeping their sources', () => {
    const ws = parseWindows(['2024-04-06T02:00Z/2h', '2024-04-05T02:00Z/2h', '2024-04-05T03:00Z/2h', '2024-04-05T05:00Z/1h']);
    expect(ws.map((w) => [new Date(w.startMs).toISOString(), new Date(w.endMs).toISOString()])).toEqual([
      ['2024-04-05T02:00:00.000Z', '2024-04-05T06:00:00.000Z'],
      ['2024-04-06T02:00:00.000Z', '2024-04-06T04:00:00.000Z'],
    ]);
    expect(ws[0]?.sources).toHaveLength(3);
  });

  it('mergeWindows does not mutate its input', () => {
    const input = [parseWindow('2024-04-06T02:00Z/1h'), parseWindow('2024-04-05T02:00Z/1h')];
    const copy = JSON.parse(JSON.stringify(input));
    mergeWindows(input);
    expect(input).toEqual(copy);
  });

  const ws = parseWindows(['2024-04-05T02:00Z/2h', '2024-04-06T02:00Z/4h']);

  it('windowAt: start inclusive, end exclusive', () => {
    expect(windowAt(ws, utc('2024-04-05T02:00Z'))).toBe(ws[0]);
    expect(windowAt(ws, utc('2024-04-05T03:59:59.999Z'))).toBe(ws[0]);
    expect(windowAt(ws, utc('2024-04-05T04:00Z'))).toBeUndefined();
  });

  it('nextWindow: the first window starting strictly later', () => {
    expect(nextWindow(ws, utc('2024-04-05T01:00Z'))).toBe(ws[0]);
    expect(nextWindow(ws, utc('2024-04-05T02:00Z'))).toBe(ws[1]);
    expect(nextWindow(ws, utc('2024-04-06T03:00Z'))).toBeUndefined();
  });

  it.each([
    ['inside, fits', '2024-04-05T02:30Z', 60, 'start', null],
    ['inside, fits exactly', '2024-04-05T03:00Z', 60, 'start', null],
    ['inside, does not fit: next window', '2024-04-05T03:30Z', 60, 'wait', '2024-04-06T02:00:00.000Z'],
    ['before every window', '2024-04-05T00:00Z', 60, 'wait', '2024-04-05T02:00:00.000Z'],
    ['too long for the first window, fits the second', '2024-04-05T00:00Z', 180, 'wait', '2024-04-06T02:00:00.000Z'],
    ['longer than any window', '2024-04-05T00:00Z', 300, 'none', null],
    ['after every window', '2024-04-07T00:00Z', 10, 'none', null],
  ])('canStartNode: %s', (_name, now, estimateMin, kind, until) => {
    const d = canStartNode(ws, utc(now), estimateMin * 60_000);
    expect(d.kind).toBe(kind);
    if (d.kind === 'wait') expect(new Date(d.untilMs).toISOString()).toBe(until);
    if (d.kind === 'none') expect(d.reason).toMatch(/window/);
  });

  it('canStartNode: no windows means no restriction', () => {
    expect(canStartNode([], 0, 10 * H)).toEqual({ kind: 'start', window: null, remainingMs: null });
  });
});
