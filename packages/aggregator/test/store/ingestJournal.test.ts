/**
 * Retention pruning of the ingest journal happens in bounded chunks (a minute of a large fleet is
 * hundreds of thousands of rows): everything older than the cutoff goes, nothing newer, and the
 * work is spread over event-loop turns instead of one long DELETE.
 */
import { silentLogger } from '@hms-sys/common';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { IngestJournal, PRUNE_CHUNK_ROWS } from '../../src/store/ingestJournal.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('IngestJournal.prune', () => {
  it('deletes old rows a chunk per event-loop turn until none is left, and keeps recent ones', async () => {
    const db = openDatabase(':memory:');
    const journal = new IngestJournal(db, silentLogger());
    const old = 2 * PRUNE_CHUNK_ROWS + 123;
    for (let seq = 1; seq <= old + 10; seq++) {
      journal.record({ node: 'n', streamId: 's', seq, collectedMs: seq, receivedMs: seq <= old ? 1000 : 9000, pods: 1, samples: 1, nodeCpuCores: undefined }, () => undefined);
    }
    journal.flush();
    const count = (): number => db.prepare('SELECT count(*) FROM batches').pluck().get() as number;

    expect(journal.prune(10_000, 5000)).toBe(PRUNE_CHUNK_ROWS); // cutoff 5000: only the first chunk now
    expect(count()).toBe(old + 10 - PRUNE_CHUNK_ROWS);
    for (let i = 0; i < 5; i++) await turn();
    expect(count()).toBe(10);
    expect(db.prepare('SELECT min(received_ms) FROM batches').pluck().get()).toBe(9000);
    expect(journal.lastSeq('n', 's')).toBe(old + 10);
    db.close();
  });
});
