import type { Migration } from './migrations.js';

/** Versions 200-299: autoscaler rules, their runtime state and decision history. */
export const AUTOSCALER_MIGRATIONS: readonly Migration[] = [
  {
    version: 200,
    name: 'autoscalers, autoscaler state, decisions',
    sql: `
      -- A scaling rule for Deployment namespace/name: the SPEC §5 autoscaler object as given.
      CREATE TABLE autoscalers (
        namespace     TEXT NOT NULL,
        name          TEXT NOT NULL,
        spec          TEXT NOT NULL,
        created_ms    INTEGER NOT NULL,
        updated_ms    INTEGER NOT NULL,
        PRIMARY KEY (namespace, name)
      );
      -- What Kubernetes keeps in controller memory (recommendations, scale events) plus the last
      -- status, persisted so a restart keeps stabilization windows and rate limits honest.
      CREATE TABLE autoscaler_state (
        namespace     TEXT NOT NULL,
        name          TEXT NOT NULL,
        history       TEXT NOT NULL,
        status        TEXT NOT NULL,
        updated_ms    INTEGER NOT NULL,
        PRIMARY KEY (namespace, name)
      );
      -- Every decision that changed something (a rescale, or new conditions), with its reasons.
      CREATE TABLE autoscaler_decisions (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        namespace     TEXT NOT NULL,
        name          TEXT NOT NULL,
        time_ms       INTEGER NOT NULL,
        current       INTEGER NOT NULL,
        desired       INTEGER NOT NULL,
        recommendation INTEGER,
        utilization   INTEGER,
        reason        TEXT,
        limit_reason  TEXT,
        conditions    TEXT NOT NULL,
        inputs        TEXT NOT NULL
      );
      CREATE INDEX autoscaler_decisions_by_rule ON autoscaler_decisions (namespace, name, id);
    `,
  },
];
