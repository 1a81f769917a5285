/** One encoded batch waiting for its ack. */
interface Entry {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * The agent's bounded buffer of unacknowledged batches (encoded frames, in seq order).
 * A batch leaves when the aggregator acks it (cumulatively); when the buffer is full the OLDEST
 * batch is dropped and counted — recent data matters most to the autoscaler.
 * `sentUpTo` tracks what went out on the current connection, so nothing is sent twice on one
 * connection and everything unacked is resent after a reconnect.
 */
export class ReplayBuffer {
  private entries: Entry[] = [];
  private bytes = 0;
  private sentUpTo = 0;
  /** Batches dropped because the buffer was full, since start. */
  dropped = 0;

  constructor(
    /** Most batches kept (default: 5 minutes' worth at the collection interval). */
    readonly maxBatches: number,
    /** Most encoded bytes kept. */
    readonly maxBytes: number = 64 * 1024 * 1024,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** Oldest unacked seq, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.entries[0]?.seq;
  }

  push(seq: number, bytes: Uint8Array): void {
    const last = this.entries[this.entries.length - 1];
    if (last && seq <= last.seq) throw new Error(`replay buffer: seq ${seq} not above ${last.seq}`);
    this.entries.push({ seq, bytes });
    this.bytes += bytes.length;
    while (this.entries.length > this.maxBatches || (this.bytes > this.maxBytes && this.entries.length > 1)) {
      const dropped = this.entries.shift() as Entry;
      this.bytes -= dropped.bytes.length;
      this.dropped++;
    }
  }

  /** Removes every batch with seq <= seq (a cumulative ack). */
  ack(seq: number): void {
    let n = 0;
    while (n < this.entries.length && (this.entries[n] as Entry).seq <= seq) {
      this.bytes -= (this.entries[n] as Entry).bytes.length;
      n++;
    }
    if (n > 0) this.entries = this.entries.slice(n);
    if (this.sentUpTo < seq) this.sentUpTo = seq;
  }

  /** A new connection: everything still buffered must be sent again. */
  rewind(): void {
    this.sentUpTo = 0;
  }

  /** Batches not yet sent on this connection, oldest first; marks them sent as they are taken. */
  *takeUnsent(canSend: () => boolean): Generator<Entry> {
    for (const e of this.entries) {
      if (e.seq <= this.sentUpTo) continue;
      if (!canSend()) return;
      this.sentUpTo = e.seq;
      yield e;
    }
  }
}
