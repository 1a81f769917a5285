import type { EventLog } from '../events/eventLog.js';
import type { FeedEvent } from '../events/eventTypes.js';

/** A transport to one consumer (WebSocket or SSE response). */
export interface FeedSink {
  /** Queues one event; never blocks. */
  write(event: FeedEvent): void;
  /** Bytes queued but not yet handed to the OS. */
  buffered(): number;
  /** Calls fn once the queue has drained below the low-water mark (or the sink closed). */
  whenDrained(fn: () => void): void;
  /** Ends the stream with a reason the consumer can show. */
  close(reason: string): void;
  readonly closed: boolean;
}

export interface FeedLimits {
  /** Events read from the store per page while catching up. */
  readonly pageSize: number;
  /** Above this many queued bytes a live consumer falls back to catching up from the store. */
  readonly highWaterBytes: number;
  /** A consumer this many events behind the newest is disconnected. */
  readonly maxLagEvents: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = { pageSize: 500, highWaterBytes: 1024 * 1024, maxLagEvents: 100_000 };

/**
 * Delivers the event log to one consumer: every event after `since`, exactly once and in order,
 * then live events. Catch-up reads pages from SQLite as the transport drains; live delivery is a
 * synchronous hand-off from EventLog.append. A consumer that cannot keep up never makes append
 * wait: it drops back to catching up from the store, and is disconnected once it is more than
 * maxLagEvents behind (it resumes later with since=<last seq it got>).
 */
export class FeedConsumer {
  private lastSent: number;
  private live = false;
  private unsubscribe: (() => void) | undefined;
  private catchingUp = false;

  constructor(
    private readonly log: EventLog,
    private readonly sink: FeedSink,
    since: number,
    private readonly limits: FeedLimits = DEFAULT_FEED_LIMITS,
    private readonly filter: (e: FeedEvent) => boolean = () => true,
  ) {
    this.lastSent = since;
  }

  get position(): number {
    return this.lastSent;
  }

  start(): void {
    this.unsubscribe = this.log.subscribe((e) => this.onLive(e));
    this.catchUp();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private onLive(e: FeedEvent): void {
    if (this.sink.closed) return this.stop();
    if (!this.live || e.seq <= this.lastSent) return; // catching up: the store has it
    if (e.seq !== this.lastSent + 1) {
      // A gap means an event was appended while we were not live; read it from the store.
      this.live = false;
      this.catchUp();
      return;
    }
    if (this.sink.buffered() > this.limits.highWaterBytes) {
      this.live = false;
      this.sink.whenDrained(() => this.catchUp());
      return;
    }
    this.send(e);
  }

  private send(e: FeedEvent): void {
    this.lastSent = e.seq;
    if (this.filter(e)) this.sink.write(e);
  }

  private catchUp(): void {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      while (!this.sink.closed) {
        const behind = this.log.lastSeq() - this.lastSent;
        if (behind > this.limits.maxLagEvents) {
          this.sink.close(`consumer too far behind (${behind} events); reconnect with since=${this.lastSent}`);
          this.stop();
          return;
        }
        if (this.sink.buffered() > this.limits.highWaterBytes) {
          this.sink.whenDrained(() => this.catchUp());
          return;
        }
        const page = this.log.since(this.lastSent, this.limits.pageSize);
        for (const e of page) this.send(e);
        if (page.length < this.limits.pageSize) {
          // Caught up within this synchronous turn: every later append reaches onLive.
          this.live = true;
          return;
        }
      }
    } finally {
      this.catchingUp = false;
    }
  }
}
