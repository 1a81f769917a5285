import type { Logger } from '@hms-sys/common';
import type { Db } from './database.js';
import { translateSqliteError } from './database.js';

/** One processed batch, as journalled. */
export interface BatchRecord {
  readonly node: string;
  readonly streamId: string;
  readonly seq: number;
  readonly collectedMs: number;
  readonly receivedMs: number;
  readonly pods: number;
  readonly samples: number;
  readonly nodeCpuCores: number | undefined;
}

/**
 * Rows one prune statement deletes at most. Retention is pruned every minute, and a minute of a
 * 5 000-node fleet is 300 000 rows: one DELETE of all of them would block the event loop (and
 * every agent's ack) for about a second. Chunks of this size take a few ms each.
 */
export const PRUNE_CHUNK_ROWS = 5000;

interface Pending {
  readonly record: BatchRecord;
  readonly done: (err?: Error) => void;
}

/**
 * How long batches wait to share a commit, ms. One transaction per event-loop turn cost ~80 µs
 * per batch at fleet scale (a commit for every one or two batches); grouping a few ms of batches
 * takes that to a few µs, for at most this much more ack latency.
 */
export const GROUP_COMMIT_MS = 5;

/**
 * Durable record of what ingest has processed. The rows of the batches that arrived within
 * GROUP_COMMIT_MS and their streams' high-water marks are written in one transaction, and only
 * after the commit is a batch acknowledged — so an acked batch is never lost and, because the
 * high-water mark survives restarts, a resent one is never processed twice.
 */
export class IngestJournal {
  private pending: Pending[] = [];
  private scheduled = false;
  private readonly upsertStream;
  private readonly insertBatch;
  private readonly selectSeq;
  private readonly pruneBatches;
  private readonly commit;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {
    this.upsertStream = db.prepare(
      `INSERT INTO streams (node, stream_id, last_seq, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (node, stream_id) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq), updated_ms = excluded.updated_ms`,
    );
    this.insertBatch = db.prepare(
      'INSERT OR IGNORE INTO batches (node, stream_id, seq, collected_ms, received_ms, pods, samples, node_cpu_cores) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.selectSeq = db.prepare('SELECT last_seq FROM streams WHERE node = ? AND stream_id = ?').pluck();
    this.pruneBatches = db.prepare('DELETE FROM batches WHERE rowid IN (SELECT rowid FROM batches WHERE received_ms < ? LIMIT ?)');
    this.commit = db.transaction((items: Pending[]) => {
      // A stream's high-water mark once per commit: its last batch (batches of a stream come in seq order).
      const last = new Map<string, BatchRecord>();
      for (const { record: r } of items) {
        this.insertBatch.run(r.node, r.streamId, r.seq, r.collectedMs, r.receivedMs, r.pods, r.samples, r.nodeCpuCores ?? null);
        last.set(`${r.node}\u0000${r.streamId}`, r);
      }
      for (const r of last.values()) this.upsertStream.run(r.node, r.streamId, r.seq, r.receivedMs);
    });
  }

  /** Highest committed seq of a stream (0 if none). */
  lastSeq(node: string, streamId: string): number {
    return (this.selectSeq.get(node, streamId) as number | undefined) ?? 0;
  }

  /** Queues a processed batch; `done` runs after its commit (or with the error if it failed). */
  record(record: BatchRecord, done: (err?: Error) => void): void {
    this.pending.push({ record, done });
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flush(), GROUP_COMMIT_MS);
    }
  }

  /** Commits everything queued now. */
  flush(): void {
    this.scheduled = false;
    const items = this.pending;
    if (items.length === 0) return;
    this.pending = [];
    let error: Error | undefined;
    try {
      this.commit(items);
    } catch (err) {
      error = translateSqliteError(err, 'cannot journal ingested batches');
      this.logger.error({ err: error, batches: items.length }, 'ingest journal commit failed; batches stay unacknowledged');
    }
    for (const item of items) item.done(error);
  }

  /**
   * Deletes journal rows older than retentionMs before nowMs, PRUNE_CHUNK_ROWS at a time: the
   * first chunk now (its count is returned), the rest on later event-loop turns, so ingest
   * keeps flowing between chunks.
   */
  prune(nowMs: number, retentionMs: number): number {
    const cutoff = nowMs - retentionMs;
    const deleted = this.pruneBatches.run(cutoff, PRUNE_CHUNK_ROWS).changes;
    if (deleted === PRUNE_CHUNK_ROWS) setImmediate(() => this.pruneRest(cutoff));
    return deleted;
  }

  private pruneRest(cutoff: number): void {
    if (!this.db.open) return;
    try {
      if (this.pruneBatches.run(cutoff, PRUNE_CHUNK_ROWS).changes === PRUNE_CHUNK_ROWS) setImmediate(() => this.pruneRest(cutoff));
    } catch (err) {
      this.logger.warn({ err }, 'pruning the ingest journal failed; retrying at the next housekeeping');
    }
  }
}
