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

interface Pending {
  readonly record: BatchRecord;
  readonly done: (err?: Error) => void;
}

/**
 * Durable record of what ingest has processed. Each batch's row and its stream's high-water mark
 * are written in one transaction per event-loop turn (all batches that arrived together), and
 * only after the commit is the batch acknowledged — so an acked batch is never lost and, because
 * the high-water mark survives restarts, a resent one is never processed twice.
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
    this.pruneBatches = db.prepare('DELETE FROM batches WHERE received_ms < ?');
    this.commit = db.transaction((items: Pending[]) => {
      for (const { record: r } of items) {
        this.insertBatch.run(r.node, r.streamId, r.seq, r.collectedMs, r.receivedMs, r.pods, r.samples, r.nodeCpuCores ?? null);
        this.upsertStream.run(r.node, r.streamId, r.seq, r.receivedMs);
      }
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
      setImmediate(() => this.flush());
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

  /** Deletes journal rows older than retentionMs before nowMs. */
  prune(nowMs: number, retentionMs: number): number {
    return this.pruneBatches.run(nowMs - retentionMs).changes;
  }
}
