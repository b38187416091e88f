// The app's own state, kept apart from any platform's data: the connections, the cached inventory
// of each remote connection (metadata only, never a secret), and each connection's last view.
import type { Migration } from '../../platform/store/sqlite/migrations';

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
  {
    version: 2,
    name: 'imported inventories, key environments, expiry notices',
    rebuildsTables: true,
    sql: `
      -- 'imported': an inventory file opened read-only; source says which file and when.
      CREATE TABLE connections_v2 (
        id             TEXT PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('embedded', 'remote', 'imported')),
        name           TEXT NOT NULL,
        base_url       TEXT,
        account_id     TEXT,
        created_at     INTEGER NOT NULL,
        last_synced_at INTEGER,
        last_view      TEXT,
        source         TEXT
      );
      INSERT INTO connections_v2 (id, kind, name, base_url, account_id, created_at, last_synced_at, last_view)
        SELECT id, kind, name, base_url, account_id, created_at, last_synced_at, last_view FROM connections;
      DROP TABLE connections;
      ALTER TABLE connections_v2 RENAME TO connections;

      -- A key's environment set by hand in the app (the audit otherwise reads it from the label).
      CREATE TABLE key_environments (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        key_id        TEXT NOT NULL,
        environment   TEXT NOT NULL CHECK (environment IN ('production', 'staging', 'development')),
        PRIMARY KEY (connection_id, key_id)
      ) WITHOUT ROWID;

      -- Expiry notifications shown, so a key gets at most one a day, across restarts.
      CREATE TABLE expiry_notices (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        key_id        TEXT NOT NULL,
        day           TEXT NOT NULL,  -- YYYY-MM-DD, UTC
        PRIMARY KEY (connection_id, key_id, day)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'rotations and incidents',
    sql: `
      -- A guided rotation or compromised-key response, saved as it goes (JSON: src/shared/workflows.ts).
      CREATE TABLE workflows (
        id            TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        kind          TEXT NOT NULL CHECK (kind IN ('rotation', 'incident')),
        status        TEXT NOT NULL CHECK (status IN ('in_progress', 'done', 'cancelled')),
        data          TEXT NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE INDEX workflows_by_connection ON workflows(connection_id, updated_at);
    `,
  },
  {
    version: 4,
    name: 'cached key use',
    sql: `
      -- A remote connection's key use (shared/request-log.ts KeyUse) as of its last sync, for the
      -- audit's activity rules offline; since: the window its counts start at.
      CREATE TABLE cached_key_use (
        connection_id TEXT PRIMARY KEY REFERENCES connections(id) ON DELETE CASCADE,
        since         TEXT NOT NULL,
        data          TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'incremental sync: cached keys by id, the sync token, a full sync staged',
    rebuildsTables: true,
    sql: `
      -- A sync applies changes by key id; sync_token is what the platform's change feed answered
      -- last (null: the next sync reads every key).
      CREATE TABLE cached_keys_v5 (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        key_id        TEXT NOT NULL,
        data          TEXT NOT NULL,
        PRIMARY KEY (connection_id, position)
      ) WITHOUT ROWID;
      INSERT INTO cached_keys_v5 (connection_id, position, key_id, data)
        SELECT connection_id, position, json_extract(data, '$.id'), data FROM cached_keys;
      DROP TABLE cached_keys;
      ALTER TABLE cached_keys_v5 RENAME TO cached_keys;
      CREATE UNIQUE INDEX cached_keys_by_id ON cached_keys(connection_id, key_id);
      ALTER TABLE connections ADD COLUMN sync_token TEXT;

      -- A full sync's keys as its pages arrive, moved into cached_keys when the last one is in: a
      -- sync stopped halfway leaves the cache as it was.
      CREATE TABLE sync_staging (
        connection_id TEXT NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        key_id        TEXT NOT NULL,
        data          TEXT NOT NULL,
        PRIMARY KEY (connection_id, position)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX sync_staging_by_id ON sync_staging(connection_id, key_id);
    `,
  },
  {
    version: 6,
    name: 'the platform a remote connection reaches',
    sql: `
      -- The platform's identity (GET /v1/platform), learned on first contact: what the keychain
      -- files its keys' secrets under, known offline too. Null: not learned yet, or a platform too
      -- old to say.
      ALTER TABLE connections ADD COLUMN platform_id TEXT;
    `,
  },
];
