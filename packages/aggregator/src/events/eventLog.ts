import type { Clock, Logger } from '@hms-sys/common';
import type { Db } from '../store/database.js';
import type { EventTypeName, FeedEvent } from './eventTypes.js';

export type EventListener = (event: FeedEvent) => void;

/**
 * The event log behind the HMS-OPS feed (SPEC §8). `append` stores the event in SQLite first and
 * only then hands it to subscribers, so a consumer can never see an event that a restart loses.
 * `seq` is SQLite's AUTOINCREMENT rowid: strictly increasing, never reused.
 */
export class EventLog {
  private readonly listeners = new Set<EventListener>();
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

  /** Stores then publishes one event; returns it with its seq. */
  append(type: EventTypeName | string, fields: Record<string, unknown> = {}): FeedEvent {
    const timeMs = this.clock.now();
    const { seq: _s, time: _t, type: _ty, ...data } = fields;
    const info = this.insert.run(timeMs, type, JSON.stringify(data));
    const event: FeedEvent = { seq: Number(info.lastInsertRowid), time: new Date(timeMs).toISOString(), type, ...data };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error({ err, type }, 'event listener failed');
      }
    }
    return event;
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
