import type { Migration } from './migrations.js';

/** Versions 1-99: nodes, agent streams, the batch journal and the event log. */
export const CORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'nodes, streams, batch log, events',
    sql: `
      CREATE TABLE nodes (
        name            TEXT PRIMARY KEY,
        boot_id         TEXT NOT NULL DEFAULT '',
        kernel_version  TEXT NOT NULL DEFAULT '',
        os_image        TEXT NOT NULL DEFAULT '',
        cpu_cores       INTEGER NOT NULL DEFAULT 0,
        memory_bytes    INTEGER NOT NULL DEFAULT 0,
        agent_version   TEXT NOT NULL DEFAULT '',
        simulated_boot  INTEGER NOT NULL DEFAULT 0,
        first_seen_ms   INTEGER NOT NULL,
        last_seen_ms    INTEGER NOT NULL
      );
      -- Highest processed seq per agent stream: makes replays after any restart idempotent.
      CREATE TABLE streams (
        node            TEXT NOT NULL,
        stream_id       TEXT NOT NULL,
        last_seq        INTEGER NOT NULL,
        updated_ms      INTEGER NOT NULL,
        PRIMARY KEY (node, stream_id)
      );
      -- One row per processed batch (bounded by retention): the ingest journal.
      CREATE TABLE batches (
        node            TEXT NOT NULL,
        stream_id       TEXT NOT NULL,
        seq             INTEGER NOT NULL,
        collected_ms    INTEGER NOT NULL,
        received_ms     INTEGER NOT NULL,
        pods            INTEGER NOT NULL,
        samples         INTEGER NOT NULL,
        node_cpu_cores  REAL,
        PRIMARY KEY (node, stream_id, seq)
      );
      CREATE INDEX batches_received ON batches (received_ms);
      -- The HMS-OPS event log (SPEC §8): seq is the feed position.
      CREATE TABLE events (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        time_ms         INTEGER NOT NULL,
        type            TEXT NOT NULL,
        data            TEXT NOT NULL
      );
      CREATE INDEX events_time ON events (time_ms);
    `,
  },
];
