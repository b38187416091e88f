// The platform's schema on PostgreSQL, numbered like SQLite's (src/platform/store/sqlite/
// migrations.ts) and applied in one transaction under an advisory lock, so servers starting
// together never apply one twice. Append only: a released migration is never edited.
//
// Text columns are COLLATE "C" (byte order, as SQLite compares): ids, cursors and sorts page the
// same way on both stores. Times are BIGINT milliseconds since the epoch, UTC.
import type { Pool, PoolClient } from 'pg';
import { AppError } from '../../../shared/errors';
import { foldForSearch } from '../../../shared/key-search';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
  /** Fills in, after `sql` and in its transaction, what only JavaScript can compute. */
  fill?: (client: PoolClient) => Promise<void>;
}

export const POSTGRES_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'accounts, keys, events, usage, agents, revision',
    sql: `
      CREATE TABLE accounts (
        id         TEXT COLLATE "C" PRIMARY KEY,
        parent_id  TEXT COLLATE "C" REFERENCES accounts(id),
        name       TEXT COLLATE "C" NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL
      );
      CREATE INDEX accounts_by_parent ON accounts(parent_id);

      -- secret_hash is SHA-256 of the full key: the key itself is never stored.
      CREATE TABLE api_keys (
        id               TEXT COLLATE "C" PRIMARY KEY,
        public_id        TEXT COLLATE "C" NOT NULL UNIQUE,
        account_id       TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
        label            TEXT COLLATE "C" NOT NULL,
        secret_hash      BYTEA NOT NULL CHECK (octet_length(secret_hash) = 32),
        status           TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
        created_at       BIGINT NOT NULL,
        updated_at       BIGINT NOT NULL,
        last_used_at     BIGINT,
        expires_at       BIGINT,
        revoked_at       BIGINT,
        expiry_noted_at  BIGINT
      );
      CREATE INDEX api_keys_by_account ON api_keys(account_id, created_at, id);
      CREATE INDEX api_keys_by_expiry ON api_keys(expires_at) WHERE expires_at IS NOT NULL;

      -- No foreign key to api_keys: a deleted key's history stays.
      CREATE TABLE key_events (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_id     TEXT COLLATE "C" NOT NULL,
        account_id TEXT COLLATE "C" NOT NULL,
        public_id  TEXT COLLATE "C" NOT NULL,
        key_label  TEXT COLLATE "C" NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('created', 'edited', 'revoked', 'reactivated', 'deleted', 'expired')),
        at         BIGINT NOT NULL,
        actor      TEXT COLLATE "C" NOT NULL,
        changes    TEXT
      );
      CREATE INDEX key_events_by_key ON key_events(key_id, id);
      CREATE INDEX key_events_by_public_id ON key_events(public_id);

      CREATE TABLE key_usage_daily (
        key_id       TEXT COLLATE "C" NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
        day          TEXT COLLATE "C" NOT NULL,
        count        BIGINT NOT NULL,
        rate_limited BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (key_id, day)
      );

      CREATE TABLE agents (
        id          TEXT COLLATE "C" PRIMARY KEY,
        account_id  TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
        name        TEXT COLLATE "C" NOT NULL,
        description TEXT COLLATE "C",
        created_at  BIGINT NOT NULL
      );
      CREATE INDEX agents_by_account ON agents(account_id, created_at);

      -- What every server checks its verification cache against: moved by any change to accounts
      -- or to what verification reads of a key (not by last-used times, which every server writes
      -- each second). usage_revision moves with each usage batch, for revision().
      CREATE TABLE platform_state (
        singleton      BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
        revision       BIGINT NOT NULL,
        usage_revision BIGINT NOT NULL
      );
      INSERT INTO platform_state VALUES (TRUE, 0, 0);
      CREATE FUNCTION keyhold_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE platform_state SET revision = revision + 1;
        RETURN NULL;
      END $$;
      CREATE TRIGGER accounts_revision AFTER INSERT OR UPDATE OR DELETE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION keyhold_bump_revision();
      CREATE TRIGGER api_keys_revision
        AFTER INSERT OR DELETE OR UPDATE OF account_id, label, status, expires_at, revoked_at, updated_at ON api_keys
        FOR EACH STATEMENT EXECUTE FUNCTION keyhold_bump_revision();

      -- Per-key rate limits shared by every server: tokens left, and when they were counted.
      -- keyhold_take_tokens takes one token for each key of a batch (the takes of every request a
      -- server has waiting), in TokenBuckets' arithmetic (src/platform/rate-limit/token-buckets.ts). It locks the
      -- keys' rows in key order, so two servers' batches wait for each other instead of deadlocking,
      -- and the takes of all servers add up exactly. A server whose clock is behind a row's time
      -- refills nothing.
      CREATE TABLE rate_buckets (
        key_id     TEXT COLLATE "C" PRIMARY KEY,
        tokens     DOUBLE PRECISION NOT NULL,
        updated_at BIGINT NOT NULL,
        -- whether the latest take got a token: what the UPDATE below hands back
        took       BOOLEAN NOT NULL
      );
      CREATE FUNCTION keyhold_take_tokens(p_keys TEXT[], p_now BIGINT[], p_capacity DOUBLE PRECISION[],
          p_refill DOUBLE PRECISION[], OUT allowed BOOLEAN[], OUT tokens DOUBLE PRECISION[])
        LANGUAGE plpgsql AS $$
      DECLARE
        i INTEGER;
        got BOOLEAN;
        left_over DOUBLE PRECISION;
      BEGIN
        allowed := array_fill(false, ARRAY[cardinality(p_keys)]);
        tokens := array_fill(0::double precision, ARRAY[cardinality(p_keys)]);
        FOR i IN SELECT n FROM generate_subscripts(p_keys, 1) AS n ORDER BY p_keys[n] COLLATE "C", n LOOP
          LOOP
            -- One statement per take: the row's new values are computed from its latest version
            -- once its lock is held (a concurrent take is waited for, then read).
            UPDATE rate_buckets b SET
                took = LEAST(p_capacity[i], b.tokens + GREATEST(0, p_now[i] - b.updated_at) / 1000.0 * p_refill[i]) >= 1,
                tokens = LEAST(p_capacity[i], b.tokens + GREATEST(0, p_now[i] - b.updated_at) / 1000.0 * p_refill[i])
                  - CASE WHEN LEAST(p_capacity[i], b.tokens + GREATEST(0, p_now[i] - b.updated_at) / 1000.0 * p_refill[i]) >= 1
                      THEN 1 ELSE 0 END,
                updated_at = GREATEST(b.updated_at, p_now[i])
              WHERE b.key_id = p_keys[i]
              RETURNING b.took, b.tokens INTO got, left_over;
            EXIT WHEN FOUND;
            -- A key's first take: a full bucket less one (unless another server made it meanwhile).
            INSERT INTO rate_buckets VALUES (p_keys[i], GREATEST(p_capacity[i] - 1, 0), p_now[i], p_capacity[i] >= 1)
              ON CONFLICT (key_id) DO NOTHING
              RETURNING took, rate_buckets.tokens INTO got, left_over;
            EXIT WHEN FOUND;
          END LOOP;
          allowed[i] := got;
          tokens[i] := left_over;
        END LOOP;
      END $$;
    `,
  },
  {
    version: 2,
    name: 'labels folded for search',
    sql: `
      -- The label as a search compares it (shared/key-search.ts): folded by the same JavaScript
      -- function as the window's search and SQLite's store, written with the label; lower() folds
      -- by the database's collation, which need not agree with it.
      ALTER TABLE api_keys ADD COLUMN label_search TEXT COLLATE "C" NOT NULL DEFAULT '';
    `,
    fill: async (client) => {
      const labels = (await client.query<{ id: string; label: string }>('SELECT id, label FROM api_keys')).rows;
      await client.query(
        `UPDATE api_keys SET label_search = folded.label_search
           FROM unnest($1::text[], $2::text[]) AS folded(id, label_search) WHERE api_keys.id = folded.id`,
        [labels.map((row) => row.id), labels.map((row) => foldForSearch(row.label))],
      );
    },
  },
  {
    version: 3,
    name: 'request log and sources',
    sql: `
      -- Every request that presented a known key (src/platform/request-log-writer.ts), partitioned
      -- by UTC day so pruning drops whole days, cheap at any size. Rows are small: key, route and
      -- source are numbers into the tables below, the account is NULL when it is the key's own,
      -- the outcome is its place in REQUEST_OUTCOMES. No foreign keys: the log outlives a deleted
      -- key until it is pruned, and appends stay cheap.
      CREATE TABLE request_keys (
        ref    BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_id TEXT COLLATE "C" NOT NULL UNIQUE
      );
      CREATE TABLE request_routes (
        id     INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        method TEXT COLLATE "C" NOT NULL,
        route  TEXT COLLATE "C" NOT NULL,
        UNIQUE (method, route)
      );
      -- Per key, each distinct (address, user agent): kept after its requests are pruned.
      CREATE TABLE request_sources (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key_ref    BIGINT NOT NULL,
        address    TEXT COLLATE "C" NOT NULL,
        user_agent TEXT COLLATE "C" NOT NULL,
        first_seen BIGINT NOT NULL,
        last_seen  BIGINT NOT NULL,
        count      BIGINT NOT NULL,
        outcomes   INTEGER NOT NULL,
        UNIQUE (key_ref, address, user_agent)
      );
      CREATE SEQUENCE request_log_ids;
      CREATE TABLE request_log (
        id         BIGINT NOT NULL DEFAULT nextval('request_log_ids'),
        key_ref    BIGINT NOT NULL,
        at         BIGINT NOT NULL,
        source_id  BIGINT NOT NULL,
        route_id   INTEGER NOT NULL,
        status     SMALLINT NOT NULL,
        outcome    SMALLINT NOT NULL,
        account_id TEXT COLLATE "C",
        request_id TEXT COLLATE "C" NOT NULL
      ) PARTITION BY RANGE (at);
      CREATE INDEX request_log_by_key ON request_log (key_ref, id);
      -- The partition of the UTC day starting at day_start (ms), made if missing. Two servers may
      -- make the same one at once: the loser's duplicate_table is caught inside the function's
      -- own subtransaction, so the batch's transaction goes on.
      CREATE FUNCTION keyhold_request_log_day(day_start BIGINT) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        name TEXT := 'request_log_d' || (day_start / 86400000)::text;
      BEGIN
        IF to_regclass(name) IS NOT NULL THEN
          RETURN;
        END IF;
        EXECUTE format('CREATE TABLE %I PARTITION OF request_log FOR VALUES FROM (%s) TO (%s)',
          name, day_start, day_start + 86400000);
      EXCEPTION WHEN duplicate_table THEN
        NULL;
      END $$;
    `,
  },
  {
    version: 4,
    name: 'who changed accounts and agents',
    sql: `
      -- What a key did: its key events by actor, and the account and agent changes it made.
      CREATE INDEX key_events_by_actor ON key_events (actor, id);
      CREATE TABLE account_actions (
        id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at         BIGINT NOT NULL,
        actor      TEXT COLLATE "C" NOT NULL,
        subject    TEXT NOT NULL CHECK (subject IN ('account', 'agent')),
        subject_id TEXT COLLATE "C" NOT NULL,
        account_id TEXT COLLATE "C" NOT NULL,
        action     TEXT NOT NULL CHECK (action IN ('created', 'renamed', 'deactivated', 'activated')),
        name       TEXT NOT NULL
      );
      CREATE INDEX account_actions_by_actor ON account_actions (actor, id);
    `,
  },
  {
    version: 5,
    name: 'a change feed: where each key and account changed, and deleted keys',
    sql: `
      -- Each key and account row carries the id of the transaction that last wrote it (taken
      -- without a lock the servers would share), and a deleted key leaves a tombstone with its
      -- transaction's id. A sync's position is the oldest transaction still running when it
      -- started (pg_snapshot_xmin): whatever commits later has an id at or above it
      -- (src/platform/changes.ts). Rows written before the feed share position 1.
      ALTER TABLE api_keys ADD COLUMN change_xid xid8 NOT NULL DEFAULT '1';
      ALTER TABLE api_keys ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
      ALTER TABLE accounts ADD COLUMN change_xid xid8 NOT NULL DEFAULT '1';
      ALTER TABLE accounts ALTER COLUMN change_xid SET DEFAULT pg_current_xact_id();
      CREATE INDEX api_keys_by_change ON api_keys (change_xid, id);
      CREATE FUNCTION keyhold_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.change_xid := pg_current_xact_id();
        RETURN NEW;
      END $$;
      -- Any column a reader sees, last use included (a sync brings last-used times too).
      CREATE TRIGGER api_keys_change BEFORE UPDATE ON api_keys
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION keyhold_note_change();
      CREATE TRIGGER accounts_change BEFORE UPDATE ON accounts
        FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION keyhold_note_change();
      CREATE TABLE key_tombstones (
        key_id     TEXT COLLATE "C" PRIMARY KEY,
        account_id TEXT COLLATE "C" NOT NULL,
        change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        deleted_at BIGINT NOT NULL
      );
      CREATE INDEX key_tombstones_by_change ON key_tombstones (change_xid, key_id);
      CREATE INDEX key_tombstones_by_time ON key_tombstones (deleted_at);
      -- Tombstones at or before this transaction were pruned: a sync from there must start over.
      ALTER TABLE platform_state ADD COLUMN pruned_xid BIGINT NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 6,
    name: 'idempotent requests',
    sql: `
      -- A POST sent with an Idempotency-Key, kept 24 hours so a retry, on any server, gets the first
      -- answer (src/platform/idempotency.ts). id is SHA-256 of the key; body is sealed under a key
      -- derived from the Idempotency-Key and the caller, neither of which is stored.
      CREATE TABLE idempotent_requests (
        id          BYTEA PRIMARY KEY,
        caller      TEXT COLLATE "C" NOT NULL,
        fingerprint BYTEA NOT NULL,
        status      INTEGER,
        body        BYTEA,
        claimed_at  BIGINT NOT NULL,
        created_at  BIGINT NOT NULL
      );
      CREATE INDEX idempotent_requests_by_time ON idempotent_requests (created_at);
    `,
  },
  {
    version: 7,
    name: 'platform id',
    sql: `
      -- The platform's identity, whichever way it is reached (its database, any of its servers'
      -- URLs): what the OS keychain files a key's secret under, with the key's id.
      ALTER TABLE platform_state ADD COLUMN platform_id TEXT;
      UPDATE platform_state SET platform_id = 'plt_' || substr(md5(random()::text || clock_timestamp()::text), 1, 16);
      ALTER TABLE platform_state ALTER COLUMN platform_id SET NOT NULL;
    `,
  },
  {
    version: 8,
    name: 'scheduled deletions',
    sql: `
      -- When the platform deletes a key by itself (set through PATCH, the CLI, a rotation's last
      -- step; null cancels): every server deletes what is due, at start and on its timer. A change
      -- to it moves the key in the feed like any column (migration 5's trigger compares whole rows).
      ALTER TABLE api_keys ADD COLUMN deletes_at BIGINT;
      CREATE INDEX api_keys_due ON api_keys (deletes_at) WHERE deletes_at IS NOT NULL;
    `,
  },
];

/** Any session's advisory lock id for migrating: "keyhold" in ASCII. */
const MIGRATION_LOCK = 0x6b6579686f6c64;

export interface MigrationReport {
  /** Versions applied by this call. */
  applied: number[];
  /** The schema version the database is at now. */
  version: number;
}

/**
 * Applies the pending migrations (`apply: false`: only reports them). Refuses a database whose
 * schema is newer than this build knows: its servers would misread it.
 */
export async function migratePostgres(
  pool: Pool,
  options: { apply: boolean; migrations?: readonly PgMigration[] },
): Promise<MigrationReport & { pending: number[] }> {
  const migrations = options.migrations ?? POSTGRES_MIGRATIONS;
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const rows = (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows;
    const done = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new AppError(
        'unavailable',
        `The database's schema is at version ${newest}, newer than this keyhold knows (${known}): upgrade keyhold.`,
      );
    }
    const pending = migrations.filter((m) => !done.has(m.version)).map((m) => m.version);
    if (options.apply) {
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query(migration.sql);
        await migration.fill?.(client);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
      }
    }
    await client.query('COMMIT');
    return options.apply
      ? { applied: pending, pending: [], version: known }
      : { applied: [], pending, version: newest };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
