import type { Clock, Logger, TimerHandle } from '@hms-sys/common';
import { errnoCode } from '@hms-sys/common';
import { translateSqliteError, type Db } from '../store/database.js';
import type { EventTypeName, FeedEvent } from './eventTypes.js';

export type EventListener = (event: FeedEvent) => void;

/** Events held in memory while the store refuses writes (locked, disk full); the oldest go first beyond this. */
export const MAX_PENDING_EVENTS = 10_000;

interface PendingEvent {
  readonly timeMs: number;
  readonly type: string;
  readonly data: string;
}

/**
 * The event log behind the HMS-OPS feed (SPEC §8). `append` stores the event in SQLite first and
 * only then hands it to subscribers, so a consumer can never see an event that a restart loses.
 * `seq` is SQLite's AUTOINCREMENT rowid: strictly increasing, never reused.
 *
 * When the store refuses the write (locked by another process, disk full) the event waits in
 * memory, in order, and is stored and published once the store takes writes again (retried every
 * second): an outage delays events, it neither loses them (up to
 * MAX_PENDING_EVENTS) nor throws into the socket and timer callbacks that record them.
 */
export class EventLog {
  private readonly listeners = new Set<EventListener>();
  private pending: PendingEvent[] = [];
  private dropped = 0;
  private retryTimer: TimerHandle | undefined;
  private readonly insert;
  private readonly selectSince;
  private readonly selectLast;
  private readonly deleteBefore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.insert = db.prepare('INSERT INTO events (time_ms, type, data) VALUES (?, ?, ?)');
    this.selectSince = db.prepare('SELECT seq, time_ms, type, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.selectLast = db.prepare('SELECT seq FROM events ORDER BY seq DESC LIMIT 1').pluck();
    this.deleteBefore = db.prepare('DELETE FROM events WHERE time_ms < ?');
  }

  /**
   * Stores then publishes one event; returns it with its seq — or with seq 0 when the store is
   * unavailable and the event waits in memory (see the class comment).
   */
  append(type: EventTypeName | string, fields: Record<string, unknown> = {}): FeedEvent {
    const timeMs = this.clock.now();
    const { seq: _s, time: _t, type: _ty, ...data } = fields;
    const row: PendingEvent = { timeMs, type, data: JSON.stringify(data) };
    // While events wait, new ones queue behind them (order kept); the timer retries once a second,
    // so a locked store costs one busy-timeout per second, not one per event.
    if (this.pending.length === 0) {
      try {
        return this.store(row);
      } catch (err) {
        if (!isStoreFailure(err)) throw err;
        this.logger.error({ err: translateSqliteError(err, 'cannot store events'), type }, 'event log: store unavailable; events wait in memory until it takes writes again');
      }
    }
    this.hold(row);
    return { seq: 0, time: new Date(timeMs).toISOString(), type, ...data };
  }

  /** Events waiting for the store (0 normally). */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Stores and publishes what waits, in order; stops at the first refusal. */
  retryPending(): void {
    while (this.pending.length > 0 && this.db.open) {
      const next = this.pending[0] as PendingEvent;
      try {
        this.store(next);
      } catch (err) {
        if (!isStoreFailure(err)) throw err;
        return;
      }
      this.pending.shift();
    }
    if (this.pending.length === 0 && this.dropped > 0) {
      this.logger.error({ dropped: this.dropped }, 'event log: store is back; events beyond the in-memory limit were lost during the outage');
      this.dropped = 0;
    }
    if (this.pending.length === 0 && this.retryTimer) {
      this.retryTimer.cancel();
      this.retryTimer = undefined;
      this.logger.info('event log: store is back; waiting events stored and published');
    }
  }

  /** Stops retrying (shutdown). Waiting events are lost, as they were never published. */
  close(): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
  }

  private store(row: PendingEvent): FeedEvent {
    const info = this.insert.run(row.timeMs, row.type, row.data);
    const event: FeedEvent = { seq: Number(info.lastInsertRowid), time: new Date(row.timeMs).toISOString(), type: row.type, ...(JSON.parse(row.data) as Record<string, unknown>) };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, type: row.type }, 'event listener failed');
      }
    }
    return event;
  }

  private hold(row: PendingEvent): void {
    this.pending.push(row);
    if (this.pending.length > MAX_PENDING_EVENTS) {
      this.pending.shift();
      this.dropped++;
    }
    this.retryTimer ??= this.clock.setInterval(() => {
      try {
        this.retryPending();
      } catch (err) {
        this.logger.error({ err }, 'event log: retry failed');
      }
    }, 1000);
  }

  /** Events with seq > since, oldest first, at most limit. */
  since(since: number, limit = 1000): FeedEvent[] {
    return (this.selectSince.all(since, limit) as { seq: number; time_ms: number; type: string; data: string }[]).map((row) => ({
      seq: row.seq,
      time: new Date(row.time_ms).toISOString(),
      type: row.type,
      ...(JSON.parse(row.data) as Record<string, unknown>),
    }));
  }

  /** Seq of the newest stored event (0 when empty). */
  lastSeq(): number {
    return (this.selectLast.get() as number | undefined) ?? 0;
  }

  /** Subscribes to every event appended from now on. Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Deletes events older than retentionMs; returns how many. */
  prune(retentionMs: number): number {
    return this.deleteBefore.run(this.clock.now() - retentionMs).changes;
  }
}

/** A write the store refused for now (locked, busy, full, I/O): worth retrying later. */
function isStoreFailure(err: unknown): boolean {
  const code = errnoCode(err) ?? '';
  return code.startsWith('SQLITE_') && !code.startsWith('SQLITE_CONSTRAINT') && !code.startsWith('SQLITE_MISUSE');
}
