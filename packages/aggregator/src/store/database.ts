import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errnoCode, errorMessage, hmsError, HmsError } from '@hms-sys/common';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

/**
 * Opens (creating if needed) an SQLite database in WAL mode and brings its schema up to date.
 * WAL + synchronous=NORMAL: consistent after any crash, durable across process crashes
 * (the last commits may roll back only on power loss).
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  let db: Db;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
  } catch (err) {
    throw translateSqliteError(err, `cannot open database ${file}`);
  }
  try {
    migrate(db, migrations);
  } catch (err) {
    db.close();
    throw translateSqliteError(err, `cannot migrate database ${file}`);
  }
  return db;
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_ms INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw hmsError('HMS_STORE_OPEN', `database schema version ${newest} is newer than this hms-sys (${known}); upgrade hms-sys`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_ms) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
  }
}

/** Maps SQLite failures onto the error catalogue (locked, disk full, corrupt), keeping the cause. */
export function translateSqliteError(err: unknown, what: string): HmsError {
  if (err instanceof HmsError) return err;
  const code = errnoCode(err) ?? '';
  const msg = `${what}: ${errorMessage(err)}`;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return hmsError('HMS_STORE_LOCKED', msg, { cause: err });
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return hmsError('HMS_STORE_FULL', msg, { cause: err });
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return hmsError('HMS_STORE_CORRUPT', msg, { cause: err });
  return hmsError('HMS_STORE_OPEN', msg, { cause: err });
}
