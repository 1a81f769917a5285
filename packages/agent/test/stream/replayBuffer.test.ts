import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../src/stream/replayBuffer.js';

const bytes = (n: number): Uint8Array => new Uint8Array(n);
const take = (b: ReplayBuffer): number[] => [...b.takeUnsent(() => true)].map((e) => e.seq);

describe('ReplayBuffer', () => {
  it('sends each batch once per connection and everything unacked again after a rewind', () => {
    const b = new ReplayBuffer(10);
    for (let s = 1; s <= 4; s++) b.push(s, bytes(10));
    expect(take(b)).toEqual([1, 2, 3, 4]);
    expect(take(b)).toEqual([]); // nothing twice on one connection
    b.ack(2);
    expect(b.size).toBe(2);
    b.rewind(); // reconnected
    b.ack(2); // the Welcome's last_acked_seq
    expect(take(b)).toEqual([3, 4]);
  });

  it('drops the oldest batches when full, and counts them', () => {
    const b = new ReplayBuffer(3);
    for (let s = 1; s <= 5; s++) b.push(s, bytes(1));
    expect(b.dropped).toBe(2);
    expect(b.oldestSeq).toBe(3);
    expect(take(b)).toEqual([3, 4, 5]);
  });

  it('also bounds bytes, always keeping the newest batch', () => {
    const b = new ReplayBuffer(100, 25);
    for (let s = 1; s <= 4; s++) b.push(s, bytes(10));
    expect(b.size).toBe(2);
    expect(b.sizeBytes).toBe(20);
    b.push(5, bytes(100));
    expect(b.size).toBe(1);
    expect(b.oldestSeq).toBe(5);
  });

  it('stops sending while the socket is over its high-water mark, and resumes where it stopped', () => {
    const b = new ReplayBuffer(10);
    for (let s = 1; s <= 5; s++) b.push(s, bytes(1));
    let room = 2;
    expect([...b.takeUnsent(() => room-- > 0)].map((e) => e.seq)).toEqual([1, 2]);
    expect(take(b)).toEqual([3, 4, 5]);
  });

  it('refuses a seq that does not rise', () => {
    const b = new ReplayBuffer(10);
    b.push(2, bytes(1));
    expect(() => b.push(2, bytes(1))).toThrow(/not above/);
  });
});
