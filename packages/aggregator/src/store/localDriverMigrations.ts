import type { Migration } from './migrations.js';

/** Versions 100-199: local driver: deployments, pods, virtual nodes. */
export const LOCAL_DRIVER_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: 'local driver: deployments, disruption budgets, nodes, pods',
    sql: `
      -- Deployments as applied; spec is the validated manifest (JSON), replicas is spec.replicas
      -- kept apart so scale never rewrites the manifest.
      CREATE TABLE local_deployments (
        namespace       TEXT NOT NULL,
        name            TEXT NOT NULL,
        spec            TEXT NOT NULL,
        replicas        INTEGER NOT NULL,
        created_ms      INTEGER NOT NULL,
        updated_ms      INTEGER NOT NULL,
        PRIMARY KEY (namespace, name)
      );
      CREATE TABLE local_budgets (
        namespace       TEXT NOT NULL,
        name            TEXT NOT NULL,
        spec            TEXT NOT NULL,
        created_ms      INTEGER NOT NULL,
        PRIMARY KEY (namespace, name)
      );
      -- Nodes of the local driver: cordon state, and for virtual nodes their simulated boot id
      -- and kernel release (pending_kernel_release: installed by a simulated patch, active after reboot).
      CREATE TABLE local_nodes (
        name                    TEXT PRIMARY KEY,
        virtual                 INTEGER NOT NULL,
        unschedulable           INTEGER NOT NULL DEFAULT 0,
        boot_id                 TEXT NOT NULL DEFAULT '',
        kernel_release          TEXT NOT NULL DEFAULT '',
        pending_kernel_release  TEXT,
        updated_ms              INTEGER NOT NULL
      );
      -- Pods, written before their processes start (so a crashed run's leftovers can be found):
      -- status is the container statuses (JSON), pids [{container, pid, startTicks}] (JSON).
      CREATE TABLE local_pods (
        uid               TEXT PRIMARY KEY,
        namespace         TEXT NOT NULL,
        name              TEXT NOT NULL,
        deployment        TEXT NOT NULL,
        template_hash     TEXT NOT NULL,
        node              TEXT,
        phase             TEXT NOT NULL,
        created_ms        INTEGER NOT NULL,
        deleted_ms        INTEGER,
        restart_count     INTEGER NOT NULL DEFAULT 0,
        last_exit_reason  TEXT,
        status            TEXT NOT NULL DEFAULT '[]',
        pids              TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX local_pods_owner ON local_pods (namespace, deployment);
    `,
  },
];
