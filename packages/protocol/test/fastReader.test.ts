/**
 * The decoder's fast paths (fastReader.ts) must be invisible: for any bytes — valid batches with
 * counters of every size, Unicode and ASCII strings, truncations, bit flips, random junk — the
 * decoded message, or the error, is the same as with protobufjs's own readers.
 */
import { seededRandom, type Random } from '@hms-sys/common';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeAgentMessage, encodeAgentMessage } from '../src/codec.js';
import { setFastReaders } from '../src/fastReader.js';

afterEach(() => setFastReaders(true));

const int = (r: Random, n: number): number => Math.floor(r.next() * n);

/** A counter of a random size class: small, 32-bit, 49-bit, up to 2^53 - 1. */
function counter(r: Random): number {
  const bits = [7, 14, 28, 35, 42, 49, 50, 53][int(r, 8)] as number;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.floor(r.next() * 2 ** bits));
}

function str(r: Random): string {
  const alphabet = ['a', 'Z', '0', '-', '/', 'é', 'ü', '日', '😀', '\u0000'];
  return Array.from({ length: int(r, 80) }, () => alphabet[int(r, r.next() < 0.8 ? 5 : alphabet.length)]).join('');
}

function frame(r: Random): Uint8Array {
  return encodeAgentMessage({
    metrics: {
      seq: counter(r), collectedAtMs: r.next() < 0.1 ? -counter(r) : counter(r), monotonicUsec: counter(r), bootId: str(r),
      nodeUsage: { cpuBusyUsec: counter(r), cpuTotalUsec: counter(r), cpuCores: int(r, 512), memoryTotalBytes: counter(r), memoryAvailableBytes: counter(r) },
      pods: Array.from({ length: int(r, 6) }, () => ({
        uid: str(r), namespace: str(r), name: str(r), qosClass: str(r), cgroupPath: str(r), cpuUsageUsec: counter(r), partial: r.next() < 0.5,
        containers: Array.from({ length: int(r, 4) }, () => ({
          id: str(r), name: str(r), cpuUsageUsec: counter(r), cpuThrottledUsec: counter(r), nrThrottled: counter(r), nrPeriods: counter(r), cpuUserUsec: counter(r), cpuSystemUsec: counter(r),
        })),
      })),
    },
  });
}

function outcome(bytes: Uint8Array): unknown {
  try {
    return { ok: JSON.parse(JSON.stringify(decodeAgentMessage(Buffer.from(bytes)))) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function both(bytes: Uint8Array): [unknown, unknown] {
  setFastReaders(true);
  const fast = outcome(bytes);
  setFastReaders(false);
  const plain = outcome(bytes);
  setFastReaders(true);
  return [fast, plain];
}

describe('fast decode paths', () => {
  it('decode exactly like protobufjs on valid, truncated, bit-flipped and random frames', () => {
    const r = seededRandom(20_261_128);
    for (let i = 0; i < 1500; i++) {
      const f = frame(r);
      const variants = [f, f.subarray(0, int(r, f.length)), Uint8Array.from(f, (b) => (r.next() < 0.01 ? b ^ (1 << int(r, 8)) : b)), Uint8Array.from({ length: int(r, 200) }, () => int(r, 256))];
      for (const v of variants) {
        const [fast, plain] = both(v);
        expect(fast, `case ${i}`).toEqual(plain);
      }
    }
  });

  it('treats every kind of invalid or special UTF-8 exactly as the strict decoder does', () => {
    const samples: number[][] = [
      [0xef, 0xbb, 0xbf, 0x61], // leading BOM (the strict TextDecoder drops it)
      [0x61, 0xef, 0xbb, 0xbf], // BOM inside
      [0xef, 0xbf, 0xbd], // a literal U+FFFD
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xc0, 0xaf], // overlong
      [0xe2, 0x82], // truncated
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
      [0xff], [0x80], [0xc3, 0xa9], [0xf0, 0x9f, 0x98, 0x80],
    ];
    for (const raw of samples) {
      for (const pad of [0, 70]) {
        const body = [...Array.from({ length: pad }, () => 0x41), ...raw];
        // MetricsBatch.boot_id (field 6), wrapped in AgentMessage.metrics (field 2).
        const batch = [0x32, body.length, ...body];
        const [fast, plain] = both(Uint8Array.from([0x12, batch.length, ...batch]));
        expect(fast, raw.map((b) => b.toString(16)).join(' ')).toEqual(plain);
      }
    }
  });

  it('reads 64-bit values of every varint length the same way, including beyond 2^53', () => {
    for (const v of [0, 1, 127, 128, 2 ** 28 - 1, 2 ** 28, 2 ** 35, 2 ** 42, 2 ** 49 - 1, 2 ** 49, 2 ** 53 - 1, '18446744073709551615', '9007199254740993']) {
      const bytes = encodeAgentMessage({ metrics: { seq: v as number, monotonicUsec: v as number, collectedAtMs: typeof v === 'number' ? -v : 0 } });
      const [fast, plain] = both(bytes);
      expect(fast, String(v)).toEqual(plain);
    }
  });
});
