// The engine on one SQLite file, made and migrated if needed: the embedded default. Here, beside
// the store, so the engine itself never loads the SQLite driver (a server on PostgreSQL does not).
import { type EngineOptions, KeyEngine } from '../../engine';
import { SqliteStore } from './sqlite-store';

export interface SqliteEngineOptions extends EngineOptions {
  /** better_sqlite3.node for another runtime (Electron). */
  nativeBinding?: string;
}

export function openSqliteEngine(file: string, options: SqliteEngineOptions = {}): KeyEngine {
  const store = SqliteStore.open(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  return new KeyEngine(store, options);
}
