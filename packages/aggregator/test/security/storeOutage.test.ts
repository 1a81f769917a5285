/**
 * Issue 8.5 (component level; end to end in test/e2e/faultsStore.test.ts): while another process
 * holds the database locked, the event log neither throws into its callers (socket and timer
 * callbacks, where a throw kills the process) nor loses events: they wait in memory, in order,
 * and are stored and published — still in order, each once — when the store is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, silentLogger } from '@hms-sys/common';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EventLog } from '../../src/events/eventLog.js';
import type { FeedEvent } from '../../src/events/eventTypes.js';
import { openDatabase, type Db } from '../../src/store/database.js';

let dir: string | undefined;
let dbs: Db[] = [];
afterEach(() => {
  for (const d of dbs) if (d.open) d.close();
  dbs = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('event log during a store outage', () => {
  it('holds events while the database is locked and publishes them in order once it is free', () => {
    dir = mkdtempSync(join(tmpdir(), 'hms-outage-'));
    const file = join(dir, 'aggregator.db');
    const db = openDatabase(file);
    db.pragma('busy_timeout = 0'); // fail at once instead of waiting 2 s per attempt
    const locker = new Database(file);
    dbs = [db, locker];
    const clock = new ManualClock();
    const log = new EventLog(db, clock, silentLogger());
    const published: FeedEvent[] = [];
    log.subscribe((e) => published.push(e));

    log.append('node.joined', { node: 'a' });
    locker.exec('BEGIN EXCLUSIVE');
    expect(() => {
      for (let i = 0; i < 5; i++) log.append('node.left', { node: 'a', i });
    }).not.toThrow();
    expect(log.pendingCount).toBe(5);
    expect(published.map((e) => e.type)).toEqual(['node.joined']); // nothing published unstored
    clock.advance(3000); // retries fail quietly while the lock holds
    expect(log.pendingCount).toBe(5);

    locker.exec('COMMIT');
    log.append('node.joined', { node: 'b' }); // queued behind the waiting ones: order is kept
    clock.advance(1000);
    expect(log.pendingCount).toBe(0);
    expect(published.map((e) => `${e.type}:${String(e.i ?? e.node)}`)).toEqual([
      'node.joined:a', 'node.left:0', 'node.left:1', 'node.left:2', 'node.left:3', 'node.left:4', 'node.joined:b',
    ]);
    const seqs = published.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(log.since(0, 100).map((e) => e.seq)).toEqual(seqs); // stored exactly once each
    log.close();
  });
});
