// The app's own database: connections, their last views, and remote inventories cached for
// offline use. Metadata only: secrets live in the OS keychain.

import { type Db, inTransaction } from '../../platform/store/sqlite/database';
import type { Environment } from '../../shared/audit';
import type { Account, ApiKey } from '../../shared/domain';
import { type ConnectionInfo, EMBEDDED_CONNECTION_ID, type SavedView } from '../../shared/ipc/window-data';
import { type KeyColumnsSql, keyColumnsJson, statusPositionSql } from '../../shared/key-columns';
import type { KeyUse } from '../../shared/request-log';
import type { Workflow } from '../../shared/workflows';

interface ConnectionRow {
  id: string;
  kind: ConnectionInfo['kind'];
  name: string;
  base_url: string | null;
  account_id: string | null;
  created_at: number;
  last_synced_at: number | null;
  last_view: string | null;
  source: string | null;
}

const toInfo = (row: ConnectionRow): ConnectionInfo => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  base_url: row.base_url,
  account_id: row.account_id,
  last_synced_at: row.last_synced_at === null ? null : new Date(row.last_synced_at).toISOString(),
  last_view: row.last_view === null ? null : (JSON.parse(row.last_view) as SavedView),
  source: row.source,
});

/** The key fields the window's columns carry as stored (KeyColumns encodes the others). */
const AS_STORED = [
  'id',
  'account_id',
  'label',
  'partial_key',
  'created_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'deletes_at',
] as const satisfies readonly (keyof ApiKey)[];

export class AppStateRepo {
  constructor(private readonly db: Db) {}

  ensureEmbedded(now: number): void {
    this.db
      .prepare(
        `INSERT OR IGNORE INTO connections (id, kind, name, created_at) VALUES (?, 'embedded', 'This computer', ?)`,
      )
      .run(EMBEDDED_CONNECTION_ID, now);
  }

  list(): ConnectionInfo[] {
    return this.db
      .prepare<[], ConnectionRow>(
        "SELECT * FROM connections ORDER BY kind != 'embedded', kind = 'imported', created_at, id",
      )
      .all()
      .map(toInfo);
  }

  get(id: string): ConnectionInfo | undefined {
    const row = this.db.prepare<[string], ConnectionRow>('SELECT * FROM connections WHERE id = ?').get(id);
    return row ? toInfo(row) : undefined;
  }

  addRemote(row: { id: string; name: string; base_url: string; account_id: string; created_at: number }): void {
    this.db
      .prepare(
        `INSERT INTO connections (id, kind, name, base_url, account_id, created_at)
         VALUES (@id, 'remote', @name, @base_url, @account_id, @created_at)`,
      )
      .run(row);
  }

  /** An inventory file opened read-only, with its accounts and keys, in one transaction. */
  addImported(
    row: { id: string; name: string; source: string; created_at: number },
    accounts: Account[],
    keys: ApiKey[],
    environments: Record<string, Environment>,
    keyUse: { since: string; use: KeyUse[] } | null = null,
  ): void {
    inTransaction(this.db, () => {
      this.db
        .prepare(
          `INSERT INTO connections (id, kind, name, created_at, source) VALUES (@id, 'imported', @name, @created_at, @source)`,
        )
        .run(row);
      this.replaceCache(row.id, accounts, keys, row.created_at);
      for (const [keyId, environment] of Object.entries(environments)) this.setEnvironment(row.id, keyId, environment);
      if (keyUse) this.replaceKeyUse(row.id, keyUse.since, keyUse.use);
    });
  }

  environments(connectionId: string): Record<string, Environment> {
    const rows = this.db
      .prepare<[string], { key_id: string; environment: Environment }>(
        'SELECT key_id, environment FROM key_environments WHERE connection_id = ?',
      )
      .all(connectionId);
    return Object.fromEntries(rows.map((row) => [row.key_id, row.environment]));
  }

  /** null goes back to reading the environment from the label. */
  setEnvironment(connectionId: string, keyId: string, environment: Environment | null): void {
    if (environment === null) {
      this.db.prepare('DELETE FROM key_environments WHERE connection_id = ? AND key_id = ?').run(connectionId, keyId);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO key_environments (connection_id, key_id, environment) VALUES (?, ?, ?)
         ON CONFLICT (connection_id, key_id) DO UPDATE SET environment = excluded.environment`,
      )
      .run(connectionId, keyId, environment);
  }

  /** Records a notice for each key not yet noticed on that day; returns the ones that are new. */
  claimNotices(connectionId: string, keyIds: string[], day: string): string[] {
    return inTransaction(this.db, () => {
      const insert = this.db.prepare(
        'INSERT OR IGNORE INTO expiry_notices (connection_id, key_id, day) VALUES (?, ?, ?)',
      );
      const claimed = keyIds.filter((keyId) => insert.run(connectionId, keyId, day).changes === 1);
      this.db.prepare('DELETE FROM expiry_notices WHERE day < ?').run(day); // yesterday's are done with
      return claimed;
    });
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM connections WHERE id = ?').run(id);
  }

  saveView(id: string, view: SavedView): void {
    this.db.prepare('UPDATE connections SET last_view = ? WHERE id = ?').run(JSON.stringify(view), id);
  }

  saveWorkflow(workflow: Workflow, at: number): void {
    this.db
      .prepare(
        `INSERT INTO workflows (id, connection_id, kind, status, data, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data, updated_at = excluded.updated_at`,
      )
      .run(workflow.id, workflow.connection_id, workflow.kind, workflow.status, JSON.stringify(workflow), at);
  }

  workflow(id: string): Workflow | undefined {
    const data = this.db.prepare<[string], string>('SELECT data FROM workflows WHERE id = ?').pluck().get(id);
    return data === undefined ? undefined : (JSON.parse(data) as Workflow);
  }

  /** Newest first. */
  workflows(): Workflow[] {
    return this.db
      .prepare<[], string>('SELECT data FROM workflows ORDER BY updated_at DESC')
      .pluck()
      .all()
      .map((data) => JSON.parse(data) as Workflow);
  }

  /** A cached key's public part, or null when the connection's cache has no such key. */
  cachedPartialKey(id: string, keyId: string): string | null {
    return (
      this.db
        .prepare<[string, string], string | null>(
          "SELECT json_extract(data, '$.partial_key') FROM cached_keys WHERE connection_id = ? AND key_id = ?",
        )
        .pluck()
        .get(id, keyId) ?? null
    );
  }

  /** The identity of the platform a connection reaches, once learned (app migration 6). */
  platformIdOf(id: string): string | null {
    return (
      this.db.prepare<[string], string | null>('SELECT platform_id FROM connections WHERE id = ?').pluck().get(id) ??
      null
    );
  }

  setPlatformId(id: string, platformId: string): void {
    this.db.prepare('UPDATE connections SET platform_id = ? WHERE id = ?').run(platformId, id);
  }

  getSetting(name: string): string | undefined {
    return this.db.prepare<[string], string>('SELECT value FROM settings WHERE name = ?').pluck().get(name);
  }

  setSetting(name: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      )
      .run(name, value);
  }

  deleteSetting(name: string): void {
    this.db.prepare('DELETE FROM settings WHERE name = ?').run(name);
  }

  /** Replaces a connection's cached inventory in one transaction (an imported file's). */
  replaceCache(id: string, accounts: Account[], keys: ApiKey[], syncedAt: number): void {
    inTransaction(this.db, () => {
      this.replaceAccounts(id, accounts);
      this.db.prepare('DELETE FROM cached_keys WHERE connection_id = ?').run(id);
      const key = this.db.prepare(
        'INSERT INTO cached_keys (connection_id, position, key_id, data) VALUES (?, ?, ?, ?)',
      );
      for (const [i, row] of keys.entries()) key.run(id, i, row.id, JSON.stringify(row));
      this.db.prepare('UPDATE connections SET last_synced_at = ? WHERE id = ?').run(syncedAt, id);
    });
  }

  /** The cached account tree, replaced (call it in a transaction). */
  replaceAccounts(id: string, accounts: readonly Account[]): void {
    this.db.prepare('DELETE FROM cached_accounts WHERE connection_id = ?').run(id);
    const account = this.db.prepare('INSERT INTO cached_accounts (connection_id, position, data) VALUES (?, ?, ?)');
    for (const [i, row] of accounts.entries()) account.run(id, i, JSON.stringify(row));
  }

  /** A remote connection's key use as of its last sync (null before the first). */
  cachedKeyUse(id: string): { since: string; use: KeyUse[] } | null {
    const row = this.db
      .prepare<[string], { since: string; data: string }>(
        'SELECT since, data FROM cached_key_use WHERE connection_id = ?',
      )
      .get(id);
    return row ? { since: row.since, use: JSON.parse(row.data) as KeyUse[] } : null;
  }

  replaceKeyUse(id: string, since: string, use: readonly KeyUse[]): void {
    this.db
      .prepare(
        `INSERT INTO cached_key_use (connection_id, since, data) VALUES (?, ?, ?)
         ON CONFLICT (connection_id) DO UPDATE SET since = excluded.since, data = excluded.data`,
      )
      .run(id, since, JSON.stringify(use));
  }

  cachedAccounts(id: string): Account[] {
    return this.db
      .prepare<[string], string>('SELECT data FROM cached_accounts WHERE connection_id = ? ORDER BY position')
      .pluck()
      .all(id)
      .map((data) => JSON.parse(data) as Account);
  }

  /** Moves whenever this database may have changed: a read of it is still true while this stays the same. */
  revision(): string {
    return this.db
      .prepare<[], string>("SELECT (SELECT data_version FROM pragma_data_version) || ':' || total_changes()")
      .pluck()
      .get() as string;
  }

  /** A connection's cached keys as KeyColumns JSON, the arrays written by SQLite from the stored objects. */
  cachedKeyColumns(id: string): string {
    const field = (name: keyof ApiKey) => `json_extract(data, '$.${name}')`;
    const text = this.db
      .prepare<[string], KeyColumnsSql>(
        `SELECT ${AS_STORED.map((name) => `json_group_array(${field(name)}) AS ${name}`).join(', ')},
           json_group_array(${statusPositionSql(field('status'))}) AS status,
           json_group_array(NULLIF(${field('updated_at')}, ${field('created_at')})) AS updated_at
         FROM (SELECT data FROM cached_keys WHERE connection_id = ? ORDER BY position)`,
      )
      .get(id);
    return keyColumnsJson(text as KeyColumnsSql);
  }

  cachedKeyCount(id: string): number {
    return this.db
      .prepare<[string], number>('SELECT COUNT(*) FROM cached_keys WHERE connection_id = ?')
      .pluck()
      .get(id) as number;
  }

  cachedKeys(id: string, offset: number, limit: number): ApiKey[] {
    return this.db
      .prepare<[string, number, number], string>(
        'SELECT data FROM cached_keys WHERE connection_id = ? ORDER BY position LIMIT ? OFFSET ?',
      )
      .pluck()
      .all(id, limit, offset)
      .map((data) => JSON.parse(data) as ApiKey);
  }

  /** Keeps the cached account tree in step with a new or changed account (new ones go last). */
  cacheAccount(id: string, account: Account): void {
    inTransaction(this.db, () => {
      const changed = this.db
        .prepare("UPDATE cached_accounts SET data = ? WHERE connection_id = ? AND json_extract(data, '$.id') = ?")
        .run(JSON.stringify(account), id, account.id);
      if (changed.changes > 0) return;
      const last = this.db
        .prepare<[string], number>('SELECT MAX(position) FROM cached_accounts WHERE connection_id = ?')
        .pluck()
        .get(id);
      this.db
        .prepare('INSERT INTO cached_accounts (connection_id, position, data) VALUES (?, ?, ?)')
        .run(id, (last ?? -1) + 1, JSON.stringify(account));
    });
  }

  /** Keeps the cache in step with an action done on the platform (a new, changed or deleted key). */
  cacheKey(id: string, key: ApiKey, removed = false): void {
    if (removed) this.db.prepare('DELETE FROM cached_keys WHERE connection_id = ? AND key_id = ?').run(id, key.id);
    else upsertCachedKeys(this.db, 'cached_keys')(id, key);
  }
}

/**
 * Writes keys into a connection's cached keys (or a sync's staging table): a known key's data is
 * replaced where it is, a new one goes first (as the platform lists newest first).
 */
export function upsertCachedKeys(db: Db, table: 'cached_keys' | 'sync_staging') {
  const statement = db.prepare<[string, string, string, string]>(
    `INSERT INTO ${table} (connection_id, position, key_id, data)
       VALUES (?, (SELECT COALESCE(MIN(position), 0) - 1 FROM ${table} WHERE connection_id = ?), ?, ?)
     ON CONFLICT (connection_id, key_id) DO UPDATE SET data = excluded.data`,
  );
  return (id: string, key: ApiKey) => statement.run(id, id, key.id, JSON.stringify(key));
}
