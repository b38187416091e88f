// Numbered migrations, each applied in its own transaction and recorded in schema_migrations.
// Append only: a released migration is never edited.
import { AppError } from '../../../shared/errors';
import type { Db } from './database';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Rebuilds a table that others reference (SQLite cannot alter a CHECK): foreign keys are off
   * while it runs, and checked before its transaction commits, as SQLite's ALTER TABLE notes ask.
   */
  rebuildsTables?: boolean;
}

export const PLATFORM_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, keys, events, usage',
    sql: `
      CREATE TABLE accounts (
        id         TEXT PRIMARY KEY,
        parent_id  TEXT REFERENCES accounts(id),
        name       TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX accounts_by_parent ON accounts(parent_id);

      -- Times are milliseconds since the epoch, UTC. secret_hash is SHA-256 of the full key:
      -- the key itself is never stored. Expired is derived from expires_at when read.
      CREATE TABLE api_keys (
        id               TEXT PRIMARY KEY,
        public_id        TEXT NOT NULL UNIQUE,
        account_id       TEXT NOT NULL REFERENCES accounts(id),
        label            TEXT NOT NULL,
        secret_hash      BLOB NOT NULL CHECK (length(secret_hash) = 32),
        status           TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        created_at       INTEGER NOT NULL,
        updated_at       INTEGER NOT NULL,
        last_used_at     INTEGER,
        expires_at       INTEGER,
        revoked_at       INTEGER,
        -- set when the 'expired' event for the current expires_at has been written
        expiry_noted_at  INTEGER
      );
      CREATE INDEX api_keys_by_account ON api_keys(account_id, created_at, id);
      CREATE INDEX api_keys_by_expiry ON api_keys(expires_at) WHERE expires_at IS NOT NULL;

      -- No foreign key to api_keys: a deleted key's history stays.
      CREATE TABLE key_events (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        key_id     TEXT NOT NULL,
        account_id TEXT NOT NULL,
        public_id  TEXT NOT NULL,
        key_label  TEXT NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('created', 'edited', 'revoked', 'reactivated', 'deleted', 'expired')),
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        changes    TEXT
      );
      CREATE INDEX key_events_by_key ON key_events(key_id, id);
      CREATE INDEX key_events_by_public_id ON key_events(public_id);

      CREATE TABLE key_usage_daily (
        key_id TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        day    TEXT NOT NULL,
        count  INTEGER NOT NULL,
        PRIMARY KEY (key_id, day)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'agents',
    sql: `
      -- A small real resource behind the API, so keys have something to protect.
      CREATE TABLE agents (
        id          TEXT PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts(id),
        name        TEXT NOT NULL,
        description TEXT,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX agents_by_account ON agents(account_id, created_at);
    `,
  },
  {
    version: 3,
    name: 'rate-limited calls counted apart',
    sql: `
      -- Calls refused with 429: the key was presented but nothing was served, so they are not use.
      ALTER TABLE key_usage_daily ADD COLUMN rate_limited INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 4,
    name: 'a revision that moves with keys and accounts, not with usage',
    sql: `
      -- What other processes' verification caches are checked against (as on PostgreSQL): moved by
      -- any change to accounts or to what verification reads of a key, never by last-used times,
      -- which every process writes each second. data_version alone moves with those too, and
      -- emptied every other process's cache once a second.
      CREATE TABLE platform_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        revision  INTEGER NOT NULL
      );
      INSERT INTO platform_state VALUES (1, 0);
      CREATE TRIGGER accounts_insert_revision AFTER INSERT ON accounts
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
      CREATE TRIGGER accounts_update_revision AFTER UPDATE ON accounts
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
      CREATE TRIGGER accounts_delete_revision AFTER DELETE ON accounts
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
      CREATE TRIGGER api_keys_insert_revision AFTER INSERT ON api_keys
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
      CREATE TRIGGER api_keys_update_revision
        AFTER UPDATE OF account_id, label, status, expires_at, revoked_at, updated_at ON api_keys
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
      CREATE TRIGGER api_keys_delete_revision AFTER DELETE ON api_keys
        BEGIN UPDATE platform_state SET revision = revision + 1; END;
    `,
  },
  {
    version: 5,
    name: 'labels folded for search',
    sql: `
      -- The label as a search compares it (shared/key-search.ts): folded by the same JavaScript
      -- function as the window's search, registered on every connection (database.ts), because
      -- SQLite's own LIKE and lower() fold ASCII letters only.
      ALTER TABLE api_keys ADD COLUMN label_search TEXT NOT NULL DEFAULT '';
      UPDATE api_keys SET label_search = keyhold_fold_for_search(label);
    `,
  },
  {
    version: 6,
    name: 'request log and sources',
    sql: `
      -- Every request that presented a known key (src/platform/request-log-writer.ts). Rows are
      -- small: the key, the route and the source are numbers into the tables below, the account
      -- is NULL when it is the key's own, the outcome is its place in REQUEST_OUTCOMES. No foreign
      -- keys: the log outlives a deleted key until it is pruned, and appends stay cheap.
      CREATE TABLE request_keys (
        ref    INTEGER PRIMARY KEY,
        key_id TEXT NOT NULL UNIQUE
      );
      CREATE TABLE request_routes (
        id     INTEGER PRIMARY KEY,
        method TEXT NOT NULL,
        route  TEXT NOT NULL,
        UNIQUE (method, route)
      );
      -- Per key, each distinct (address, user agent): kept after its requests are pruned.
      CREATE TABLE request_sources (
        id         INTEGER PRIMARY KEY,
        key_ref    INTEGER NOT NULL,
        address    TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        count      INTEGER NOT NULL,
        outcomes   INTEGER NOT NULL,
        UNIQUE (key_ref, address, user_agent)
      );
      CREATE TABLE request_log (
        id         INTEGER PRIMARY KEY,
        key_ref    INTEGER NOT NULL,
        at         INTEGER NOT NULL,
        source_id  INTEGER NOT NULL,
        route_id   INTEGER NOT NULL,
        status     INTEGER NOT NULL,
        outcome    INTEGER NOT NULL,
        account_id TEXT,
        request_id TEXT NOT NULL
      );
      CREATE INDEX request_log_by_key ON request_log(key_ref, id);
    `,
  },
  {
    version: 7,
    name: 'who changed accounts and agents',
    sql: `
      -- What a key did: its key events by actor, and the account and agent changes it made.
      CREATE INDEX key_events_by_actor ON key_events(actor, id);
      CREATE TABLE account_actions (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        at         INTEGER NOT NULL,
        actor      TEXT NOT NULL,
        subject    TEXT NOT NULL CHECK (subject IN ('account', 'agent')),
        subject_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('created', 'renamed', 'deactivated', 'activated')),
        name       TEXT NOT NULL
      );
      CREATE INDEX account_actions_by_actor ON account_actions(actor, id);
    `,
  },
  {
    version: 8,
    name: 'a change feed: where each key and account changed, and deleted keys',
    sql: `
      -- Every write to a key or an account takes the next change position (platform_state's
      -- change_seq: one writer at a time, so positions follow commit order), and a deleted key
      -- leaves a tombstone at its position. A sync asks for what lies after the position it was
      -- given last time (src/platform/changes.ts). Rows written before the feed share position 1.
      ALTER TABLE platform_state ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 1;
      -- Tombstones at or before this position were pruned: a sync from there must start over.
      ALTER TABLE platform_state ADD COLUMN pruned_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE api_keys ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE accounts ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 1;
      CREATE INDEX api_keys_by_change ON api_keys(change_seq, id);
      CREATE TABLE key_tombstones (
        key_id     TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        change_seq INTEGER NOT NULL,
        deleted_at INTEGER NOT NULL
      );
      CREATE INDEX key_tombstones_by_change ON key_tombstones(change_seq);
      CREATE INDEX key_tombstones_by_time ON key_tombstones(deleted_at);

      CREATE TRIGGER api_keys_insert_change AFTER INSERT ON api_keys BEGIN
        UPDATE platform_state SET change_seq = change_seq + 1;
        UPDATE api_keys SET change_seq = (SELECT change_seq FROM platform_state) WHERE id = NEW.id;
      END;
      -- Any column a reader sees, last use included (a sync brings last-used times too).
      CREATE TRIGGER api_keys_update_change AFTER UPDATE ON api_keys
        WHEN NEW.change_seq IS OLD.change_seq AND (NEW.label IS NOT OLD.label OR NEW.status IS NOT OLD.status
          OR NEW.updated_at IS NOT OLD.updated_at OR NEW.last_used_at IS NOT OLD.last_used_at
          OR NEW.expires_at IS NOT OLD.expires_at OR NEW.revoked_at IS NOT OLD.revoked_at
          OR NEW.expiry_noted_at IS NOT OLD.expiry_noted_at)
      BEGIN
        UPDATE platform_state SET change_seq = change_seq + 1;
        UPDATE api_keys SET change_seq = (SELECT change_seq FROM platform_state) WHERE id = NEW.id;
      END;
      CREATE TRIGGER accounts_insert_change AFTER INSERT ON accounts BEGIN
        UPDATE platform_state SET change_seq = change_seq + 1;
        UPDATE accounts SET change_seq = (SELECT change_seq FROM platform_state) WHERE id = NEW.id;
      END;
      CREATE TRIGGER accounts_update_change AFTER UPDATE ON accounts
        WHEN NEW.change_seq IS OLD.change_seq
      BEGIN
        UPDATE platform_state SET change_seq = change_seq + 1;
        UPDATE accounts SET change_seq = (SELECT change_seq FROM platform_state) WHERE id = NEW.id;
      END;
    `,
  },
  {
    version: 9,
    name: 'idempotent requests',
    sql: `
      -- A POST sent with an Idempotency-Key, kept 24 hours so a retry gets the first answer
      -- (src/platform/idempotency.ts). id is SHA-256 of the key; body is sealed under a key derived
      -- from the Idempotency-Key and the caller, neither of which is stored.
      CREATE TABLE idempotent_requests (
        id          BLOB PRIMARY KEY,
        caller      TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        status      INTEGER,
        body        BLOB,
        claimed_at  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX idempotent_requests_by_time ON idempotent_requests(created_at);
    `,
  },
  {
    version: 10,
    name: 'idempotent requests in arrival order',
    sql: `
      -- Rows in the order they arrive (rowid), found by the key's hash through an index of its
      -- own: a request's row lands on the table's last page, not a random one, so each create
      -- writes one random page (the index's) instead of three, and the WAL's checkpoints copy fewer.
      -- Pruned oldest first by rowid: no index on the time.
      CREATE TABLE idempotent_requests_by_arrival (
        id          BLOB NOT NULL UNIQUE,
        caller      TEXT NOT NULL,
        fingerprint BLOB NOT NULL,
        status      INTEGER,
        body        BLOB,
        claimed_at  INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
      );
      INSERT INTO idempotent_requests_by_arrival (id, caller, fingerprint, status, body, claimed_at, created_at)
        SELECT id, caller, fingerprint, status, body, claimed_at, created_at FROM idempotent_requests
        ORDER BY created_at;
      DROP TABLE idempotent_requests;
      ALTER TABLE idempotent_requests_by_arrival RENAME TO idempotent_requests;
    `,
  },
  {
    version: 11,
    name: 'platform id',
    sql: `
      -- The platform's identity, whichever way it is reached (this file by any path, a server over
      -- it by any URL): what the OS keychain files a key's secret under, with the key's id.
      ALTER TABLE platform_state ADD COLUMN platform_id TEXT;
      UPDATE platform_state SET platform_id = 'plt_' || lower(hex(randomblob(8)));
    `,
  },
  {
    version: 12,
    name: 'scheduled deletions',
    sql: `
      -- When the platform deletes a key by itself (set through PATCH, the CLI, a rotation's last
      -- step; null cancels): the engine deletes what is due at start and on its timer.
      ALTER TABLE api_keys ADD COLUMN deletes_at INTEGER;
      CREATE INDEX api_keys_due ON api_keys (deletes_at) WHERE deletes_at IS NOT NULL;
      -- A reader sees it: a change to it is a change for the feed (migration 8's trigger, again).
      DROP TRIGGER api_keys_update_change;
      CREATE TRIGGER api_keys_update_change AFTER UPDATE ON api_keys
        WHEN NEW.change_seq IS OLD.change_seq AND (NEW.label IS NOT OLD.label OR NEW.status IS NOT OLD.status
          OR NEW.updated_at IS NOT OLD.updated_at OR NEW.last_used_at IS NOT OLD.last_used_at
          OR NEW.expires_at IS NOT OLD.expires_at OR NEW.revoked_at IS NOT OLD.revoked_at
          OR NEW.expiry_noted_at IS NOT OLD.expiry_noted_at OR NEW.deletes_at IS NOT OLD.deletes_at)
      BEGIN
        UPDATE platform_state SET change_seq = change_seq + 1;
        UPDATE api_keys SET change_seq = (SELECT change_seq FROM platform_state) WHERE id = NEW.id;
      END;
    `,
  },
];

export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    // A later keyhold wrote it: this one would misread what it does not know.
    throw new AppError(
      'unavailable',
      `The database's schema is at version ${newest}, newer than this keyhold knows (${known}): upgrade keyhold.`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    if (migration.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new Error(`migration ${migration.version} would break foreign keys`);
        }
        record.run(migration.version, migration.name, new Date().toISOString());
      }).immediate();
    } finally {
      if (migration.rebuildsTables) db.pragma('foreign_keys = ON');
    }
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}
