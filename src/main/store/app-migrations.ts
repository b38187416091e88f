// The app's own state, kept apart from any platform's data: the connections, the cached inventory
// of each remote connection (metadata only, never a secret), and each connection's last view.
import type { Migration } from './migrations';

export const APP_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'connections and cached inventories',
    sql: `
      CREATE TABLE connections (
        id             TEXT PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('embedded', 'remote')),
        name           TEXT NOT NULL,
        base_url       TEXT,
        account_id     TEXT,           -- the account the remote key belongs to
        created_at     INTEGER NOT NULL,
        last_synced_at INTEGER,
        last_view      TEXT            -- JSON: the page, filters and sort the user left
      );
      CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);

      -- A remote connection's inventory as of its last sync, so it opens offline.
      CREATE TABLE cached_accounts (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        data          TEXT NOT NULL,
        PRIMARY KEY (connection_id, position)
      ) WITHOUT ROWID;
      CREATE TABLE cached_keys (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        data          TEXT NOT NULL,
        PRIMARY KEY (connection_id, position)
      ) WITHOUT ROWID;
    `,
  },
];
