/**
 * Issue 8.4: seeded, bounded fuzzing of the wire decoder. Whatever bytes arrive — random,
 * truncated, bit-flipped, length fields claiming gigabytes, groups nested thousands deep,
 * 64-bit values beyond 2^53 — decodeAgentMessage returns a message or throws DecodeError, never
 * anything else, never hangs, and allocates in proportion to its input, not to what it claims.
 * A failure prints the seed and the case index: rerun with FUZZ_SEED to reproduce.
 */
import { seededRandom, type Random } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import { decodeAgentMessage, decodeAggregatorMessage, DecodeError, encodeAgentMessage } from '../src/codec.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);

const int = (r: Random, n: number): number => Math.floor(r.next() * n);
const bytes = (r: Random, n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(r, 256));

/** A valid, fairly large batch to mutate. */
function sampleFrame(): Uint8Array {
  return encodeAgentMessage({
    metrics: {
      seq: 42, collectedAtMs: 1_767_225_600_000, monotonicUsec: 123_456_789, bootId: 'boot-1',
      nodeUsage: { cpuBusyUsec: 1e9, cpuTotalUsec: 4e9, cpuCores: 4, memoryTotalBytes: 8e9, memoryAvailableBytes: 4e9 },
      pods: Array.from({ length: 20 }, (_, i) => ({
        uid: `uid-${i}`, namespace: 'default', name: `web-${i}`, qosClass: 'Burstable', cgroupPath: `kubepods/pod${i}`,
        containers: [{ id: `c${i}`, name: 'web', cpuUsageUsec: i * 1000, cpuThrottledUsec: 5, nrThrottled: 1, nrPeriods: 10 }],
      })),
    },
  });
}

/** Varint encoding of a non-negative bigint (up to 10 bytes). */
function varint(v: bigint): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(64, v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x) b |= 0x80;
    out.push(b);
  } while (x);
  return out;
}
const tag = (field: number, wire: number): number[] => varint(BigInt((field << 3) | wire));
const lenDelimited = (field: number, body: number[]): number[] => [...tag(field, 2), ...varint(BigInt(body.length)), ...body];

/** Decodes, and returns 'ok' or 'decode-error'; anything else thrown fails the test with the case. */
function classify(frame: Uint8Array, what: string): 'ok' | 'decode-error' {
  try {
    decodeAgentMessage(frame);
    decodeAggregatorMessage(frame);
    return 'ok';
  } catch (err) {
    if (err instanceof DecodeError) return 'decode-error';
    throw new Error(`${what} (seed ${SEED}): threw ${(err as Error)?.name ?? typeof err}: ${String(err)}`);
  }
}

describe('decodeAgentMessage under fuzzing', () => {
  it(`random frames, truncations and bit flips: a message or DecodeError, nothing else (${CASES} cases)`, () => {
    const r = seededRandom(SEED);
    const valid = sampleFrame();
    const counts = { ok: 0, 'decode-error': 0 };
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < CASES; i++) {
      let frame: Uint8Array;
      switch (i % 4) {
        case 0: frame = bytes(r, int(r, 512)); break;
        case 1: frame = valid.subarray(0, int(r, valid.length)); break;
        case 2: {
          const flipped = Uint8Array.from(valid);
          for (let k = 1 + int(r, 8); k > 0; k--) {
            const at = int(r, flipped.length);
            flipped[at] = (flipped[at] as number) ^ (1 << int(r, 8));
          }
          frame = flipped;
          break;
        }
        default: {
          // Valid prefix, random tail: the decoder walks into garbage mid-message.
          const cut = int(r, valid.length);
          frame = new Uint8Array([...valid.subarray(0, cut), ...bytes(r, int(r, 64))]);
        }
      }
      counts[classify(frame, `case ${i}`)]++;
    }
    // Both outcomes occurred: the fuzzer reached past the first byte.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts['decode-error']).toBeGreaterThan(100);
    // Memory grows with what was kept (nothing), not with what frames claimed.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('length fields that claim more than the frame holds fail fast without allocating the claim', () => {
    const before = process.memoryUsage().arrayBuffers;
    for (const claim of [2n ** 31n - 1n, 2n ** 32n + 5n, 2n ** 63n, 2n ** 64n - 1n]) {
      // AgentMessage.metrics (field 2) claiming `claim` bytes, then 4 bytes.
      const frame = Uint8Array.from([...tag(2, 2), ...varint(claim), 1, 2, 3, 4]);
      expect(classify(frame, `claim ${claim}`)).toBe('decode-error');
      // A pod's uid string claiming the same, inside an honest outer length.
      const inner = lenDelimited(4, [...tag(1, 2), ...varint(claim), 0x41]);
      expect(classify(Uint8Array.from(lenDelimited(2, inner)), `inner claim ${claim}`)).toBe('decode-error');
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('deeply nested groups and messages end in DecodeError, not a stack overflow escaping', () => {
    for (const depth of [1_000, 100_000]) {
      // Unknown field 15 as a start-group, `depth` times, never ended.
      const groups = new Uint8Array(depth * 1).fill((15 << 3) | 3);
      expect(['ok', 'decode-error']).toContain(classify(groups, `groups ${depth}`));
      // Nested length-delimited unknown fields.
      let body: number[] = [];
      for (let d = 0; d < Math.min(depth, 2000); d++) body = lenDelimited(15, body);
      expect(['ok', 'decode-error']).toContain(classify(Uint8Array.from(body), `nesting ${depth}`));
    }
  });

  it('64-bit counters beyond 2^53 and negative int64 timestamps decode to numbers the validator can see', () => {
    const batch = [
      ...tag(1, 0), ...varint(2n ** 64n - 1n), // seq = 2^64-1
      ...tag(2, 0), ...varint(-5n), // collected_at_ms = -5 (two's complement)
      ...tag(5, 0), ...varint(2n ** 53n + 1n), // monotonic_usec beyond 2^53
    ];
    const msg = decodeAgentMessage(Uint8Array.from(lenDelimited(2, batch)));
    expect(typeof msg.metrics?.seq).toBe('number');
    expect(Number.isSafeInteger(msg.metrics?.seq)).toBe(false);
    expect(msg.metrics?.collectedAtMs).toBe(-5);
    expect(Number.isSafeInteger(msg.metrics?.monotonicUsec)).toBe(false);
  });

  it('an empty frame and a frame of only a tag decode (to an empty message) or fail cleanly', () => {
    expect(classify(new Uint8Array(0), 'empty')).toBe('ok');
    expect(decodeAgentMessage(new Uint8Array(0)).kind).toBeUndefined();
    expect(classify(Uint8Array.from([0x12]), 'lone tag')).toBe('decode-error');
    expect(classify(Uint8Array.from([0x0f]), 'invalid wire type 7')).toBe('decode-error');
  });
});
