import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { errorMessage, hmsError } from '@hms-sys/common';
import type { ExecutorState } from './executorMachine.js';

/** File name of the agent's database inside --state-dir. */
export const AGENT_DB_FILE = 'agent.db';

/**
 * The executor's durable state in `<state-dir>/agent.db` (SQLite, WAL). One row holds the whole
 * ExecutorState as JSON, including the ids of every accepted command (the replay guard).
 *
 * `synchronous = FULL`: the row written before a reboot must survive the reboot itself (WAL with
 * NORMAL may lose the last commit on power loss; a reboot that goes wrong is exactly that).
 * `save` is synchronous: when it returns, the state is on disk, so the disruptive action that
 * follows it can never be ahead of what a restarted agent reads.
 */
export class ExecutorStore {
  private readonly upsert;
  private readonly select;

  private constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS executor_state (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      state TEXT NOT NULL,
      updated_ms INTEGER NOT NULL
    )`);
    this.upsert = db.prepare('INSERT INTO executor_state (id, state, updated_ms) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_ms = excluded.updated_ms');
    this.select = db.prepare('SELECT state FROM executor_state WHERE id = 1').pluck();
  }

  /** Opens (creating) `<stateDir>/agent.db`. Throws HMS_STORE_OPEN with the cause. */
  static open(stateDir: string): ExecutorStore {
    const file = join(stateDir, AGENT_DB_FILE);
    try {
      mkdirSync(stateDir, { recursive: true });
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 2000');
      return new ExecutorStore(db);
    } catch (err) {
      throw hmsError('HMS_STORE_OPEN', `cannot open the executor state ${file}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** The stored state, or undefined on first start. Throws HMS_STORE_CORRUPT when it does not parse. */
  load(): ExecutorState | undefined {
    const text = this.select.get() as string | undefined;
    if (text === undefined) return undefined;
    try {
      const state = JSON.parse(text) as ExecutorState;
      if (state.v !== 1) throw new Error(`unknown state version ${String(state.v)}`);
      return state;
    } catch (err) {
      throw hmsError('HMS_STORE_CORRUPT', `the executor state in ${AGENT_DB_FILE} is unreadable: ${errorMessage(err)}`, {
        hint: 'an operator must look: the agent will not run commands until its state is readable',
        cause: err,
      });
    }
  }

  /** Writes the state durably (returns once committed). */
  save(state: ExecutorState, nowMs: number): void {
    this.upsert.run(JSON.stringify(state), nowMs);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
