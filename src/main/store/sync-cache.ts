// What a sync writes into the app's cache of a remote connection. A full sync stages its pages as
// they arrive and swaps them in when the last one is in; an incremental one applies its changes in
// one transaction. Until then the cache is as the last sync left it.
import { type Db, inTransaction } from '../../platform/store/sqlite/database';
import type { Account, ApiKey } from '../../shared/domain';
import { type AppStateRepo, upsertCachedKeys } from './app-state-repo';

export class SyncCache {
  private readonly stageKey;
  private readonly cacheKey;
  private readonly unstage;
  private readonly uncache;

  constructor(
    private readonly db: Db,
    private readonly state: AppStateRepo,
  ) {
    this.stageKey = upsertCachedKeys(db, 'sync_staging');
    this.cacheKey = upsertCachedKeys(db, 'cached_keys');
    this.unstage = db.prepare<[string, string]>('DELETE FROM sync_staging WHERE connection_id = ? AND key_id = ?');
    this.uncache = db.prepare<[string, string]>('DELETE FROM cached_keys WHERE connection_id = ? AND key_id = ?');
  }

  /** The token of the last sync (null: none, or the platform had no change feed). */
  token(id: string): string | null {
    return (
      this.db.prepare<[string], string | null>('SELECT sync_token FROM connections WHERE id = ?').pluck().get(id) ??
      null
    );
  }

  /** Empties the staging table of a full sync about to start (a sync stopped before left some). */
  startFull(id: string): void {
    this.db.prepare('DELETE FROM sync_staging WHERE connection_id = ?').run(id);
  }

  /** One page of a full sync: a key seen twice (changed while the pages were read) keeps its newest copy. */
  stage(id: string, keys: readonly ApiKey[], removed: readonly string[]): void {
    inTransaction(this.db, () => {
      for (const key of keys) this.stageKey(id, key);
      for (const keyId of removed) this.unstage.run(id, keyId);
    });
  }

  /** The staged keys become the cache, with the tree and the token, in one transaction. */
  finishFull(id: string, accounts: readonly Account[], token: string | null, syncedAt: number): void {
    inTransaction(this.db, () => {
      this.state.replaceAccounts(id, accounts);
      this.db.prepare('DELETE FROM cached_keys WHERE connection_id = ?').run(id);
      this.db
        .prepare(
          `INSERT INTO cached_keys (connection_id, position, key_id, data)
           SELECT connection_id, position, key_id, data FROM sync_staging WHERE connection_id = ?`,
        )
        .run(id);
      this.db.prepare('DELETE FROM sync_staging WHERE connection_id = ?').run(id);
      this.finish(id, token, syncedAt);
    });
  }

  /** An incremental sync's changes, in one transaction. */
  apply(
    id: string,
    accounts: readonly Account[],
    keys: readonly ApiKey[],
    removed: readonly string[],
    token: string,
    syncedAt: number,
  ): void {
    inTransaction(this.db, () => {
      for (const account of accounts) this.state.cacheAccount(id, account);
      for (const key of keys) this.cacheKey(id, key);
      for (const keyId of removed) this.uncache.run(id, keyId);
      this.finish(id, token, syncedAt);
    });
  }

  private finish(id: string, token: string | null, syncedAt: number): void {
    this.db.prepare('UPDATE connections SET last_synced_at = ?, sync_token = ? WHERE id = ?').run(syncedAt, token, id);
  }
}
