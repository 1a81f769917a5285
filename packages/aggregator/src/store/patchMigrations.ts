import type { Migration } from './migrations.js';

/** Versions 300-399: patch runs and per-node state. */
export const PATCH_MIGRATIONS: readonly Migration[] = [
  {
    version: 300,
    name: 'patch runs, per-node state, node patch durations',
    sql: `
      -- One rolling patch run: the request as given (normalised) and the run machine's state
      -- (runState.ts) without its nodes, as JSON. settled = every node is final.
      CREATE TABLE patch_runs (
        id            TEXT PRIMARY KEY,
        created_ms    INTEGER NOT NULL,
        updated_ms    INTEGER NOT NULL,
        status        TEXT NOT NULL,
        settled       INTEGER NOT NULL DEFAULT 0,
        request       TEXT NOT NULL,
        state         TEXT NOT NULL
      );
      CREATE INDEX patch_runs_by_settled ON patch_runs (settled, created_ms);
      -- The node machine's state (nodeState.ts) of one node in one run, as JSON, written before
      -- any of its disruptive actions. started_ms: when this attempt left pending (duration
      -- history); last_reason: the reason of its last step event; output_tail: the end of the
      -- agent's patch output (status displays).
      CREATE TABLE patch_run_nodes (
        run           TEXT NOT NULL REFERENCES patch_runs (id) ON DELETE CASCADE,
        node          TEXT NOT NULL,
        position      INTEGER NOT NULL,
        step          TEXT NOT NULL,
        state         TEXT NOT NULL,
        started_ms    INTEGER,
        last_reason   TEXT,
        output_tail   TEXT,
        updated_ms    INTEGER NOT NULL,
        PRIMARY KEY (run, node)
      );
      -- How long patching a node took (start of preflight to done), for window-fit estimates.
      CREATE TABLE patch_node_durations (
        node          TEXT NOT NULL,
        run           TEXT NOT NULL,
        finished_ms   INTEGER NOT NULL,
        duration_ms   INTEGER NOT NULL,
        PRIMARY KEY (node, run)
      );
      CREATE INDEX patch_node_durations_by_time ON patch_node_durations (finished_ms);
    `,
  },
];
