// Opens the SQLite file the platform lives in: WAL (readers never wait for the writer), foreign
// keys, a busy timeout (another process, such as the CLI, may hold the file for a moment), an
// integrity check, then the migrations.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import { foldForSearch } from '../../../shared/key-search';
import { type Migration, migrate, PLATFORM_MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path of a better_sqlite3.node built for another runtime (Electron); see docs/architecture.md. */
  nativeBinding?: string;
  busyTimeoutMs?: number;
  /** Which schema the file holds: the platform's (default) or the app's own state. */
  migrations?: readonly Migration[];
}

/**
 * A new database file is made readable by its owner alone (0600) before SQLite opens it: SQLite
 * gives its -wal and -shm files the same mode. Key metadata and hashes are nobody else's business.
 */
function createPrivately(file: string): void {
  if (file === ':memory:' || existsSync(file)) return;
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // made meanwhile: leave it
  }
}
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  let db: Db | undefined;
  try {
    createPrivately(file);
    db = new Database(file, {
      timeout: options.busyTimeoutMs ?? 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL'); // durable at each checkpoint; WAL keeps it consistent
    db.pragma('foreign_keys = ON');
    // How labels are folded for search (shared/key-search.ts), for the statements and migrations
    // that write label_search: JavaScript's case folding, which SQLite's lower() does not have.
    db.function('keyhold_fold_for_search', { deterministic: true, directOnly: true }, (text) =>
      foldForSearch(String(text)),
    );
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('unavailable', `The database ${file} is damaged (quick_check: ${check}).`);
    migrate(db, options.migrations ?? PLATFORM_MIGRATIONS);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError('unavailable', `Cannot open the database ${file}: ${reason}`);
  }
}

/** Runs `work` in one transaction (IMMEDIATE: take the write lock up front, no upgrade deadlocks). */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
