// The change feed on SQLite: positions are platform_state's change_seq, moved by the triggers of
// migration 8 on every write to a key or an account (one writer at a time: positions follow
// commits), and by a key's deletion, which leaves a tombstone.
import { mergeInFeedOrder } from '../feed-order';
import {
  type AccountRow,
  type ChangePosition,
  type ChangesQuery,
  type ChangesStore,
  KEY_SEEN_COLUMNS,
  type KeyChange,
  type KeySeen,
} from '../port';
import type { Db } from './database';

const TREE = `WITH RECURSIVE tree(id) AS (SELECT @rootId UNION ALL
  SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id)`;
const PRUNE_STEP = 2000;

type Params = { rootId: string; since: number; deletedSince: number; position: number; id: string; limit: number };

export class SqliteChanges implements ChangesStore {
  private readonly markOf;
  private readonly horizonOf;
  private readonly liveKeys;
  private readonly deletedKeys;
  private readonly countedAll;
  private readonly countedSince;
  private readonly changedAccounts;
  private readonly pruneStep;
  private readonly movePruned;

  constructor(db: Db) {
    this.markOf = db.prepare<[], number>('SELECT change_seq FROM platform_state').pluck();
    this.horizonOf = db.prepare<[], number>('SELECT pruned_seq FROM platform_state').pluck();
    // Walked in (change_seq, id) order along api_keys_by_change, so a page stops after `limit` rows
    // (left to itself, SQLite picks the account index and sorts every key of the tree: 8x slower).
    this.liveKeys = db.prepare<[Params], KeySeen & { change_seq: number }>(
      `${TREE} SELECT ${KEY_SEEN_COLUMNS}, change_seq FROM api_keys INDEXED BY api_keys_by_change
         WHERE change_seq > @since AND (change_seq, id) > (@position, @id)
         AND account_id IN tree ORDER BY change_seq, id LIMIT @limit`,
    );
    this.deletedKeys = db.prepare<[Params], { key_id: string; change_seq: number }>(
      `${TREE} SELECT key_id, change_seq FROM key_tombstones
         WHERE change_seq > @deletedSince AND (change_seq, key_id) > (@position, @id)
         AND account_id IN tree ORDER BY change_seq, key_id LIMIT @limit`,
    );
    // Every key (a full sync) is counted along the account index alone; changes along the feed's.
    this.countedAll = db
      .prepare<[Omit<Params, 'since' | 'position' | 'id' | 'limit'>], number>(
        `${TREE} SELECT (SELECT COUNT(*) FROM api_keys WHERE account_id IN tree)
           + (SELECT COUNT(*) FROM key_tombstones WHERE change_seq > @deletedSince AND account_id IN tree)`,
      )
      .pluck();
    this.countedSince = db
      .prepare<[Omit<Params, 'position' | 'id' | 'limit'>], number>(
        `${TREE} SELECT (SELECT COUNT(*) FROM api_keys INDEXED BY api_keys_by_change
             WHERE change_seq > @since AND account_id IN tree)
           + (SELECT COUNT(*) FROM key_tombstones WHERE change_seq > @deletedSince AND account_id IN tree)`,
      )
      .pluck();
    this.changedAccounts = db.prepare<[{ rootId: string; since: number }], AccountRow>(
      `${TREE} SELECT accounts.* FROM accounts JOIN tree USING (id) WHERE change_seq > @since`,
    );
    this.pruneStep = db
      .prepare<[number, number], number>(
        `DELETE FROM key_tombstones WHERE key_id IN
           (SELECT key_id FROM key_tombstones WHERE deleted_at < ? ORDER BY deleted_at LIMIT ?) RETURNING change_seq`,
      )
      .pluck();
    this.movePruned = db.prepare<[number]>('UPDATE platform_state SET pruned_seq = MAX(pruned_seq, ?)');
  }

  async mark(): Promise<ChangePosition> {
    return this.markOf.get() as number;
  }

  async horizon(): Promise<ChangePosition> {
    return this.horizonOf.get() as number;
  }

  async keys(query: ChangesQuery): Promise<KeyChange[]> {
    const since = query.since ?? 0;
    const params: Params = {
      rootId: query.rootId,
      since,
      deletedSince: query.deletedSince,
      position: query.after?.position ?? 0,
      id: query.after?.id ?? '',
      limit: query.limit,
    };
    const live = this.liveKeys.all(params).map((row) => ({ position: row.change_seq, id: row.id, row }));
    const deleted = this.deletedKeys
      .all(params)
      .map((row) => ({ position: row.change_seq, id: row.key_id, row: null }));
    return mergeInFeedOrder(live, deleted, query.limit);
  }

  async count(query: Omit<ChangesQuery, 'after' | 'limit'>): Promise<number> {
    const { rootId, since, deletedSince } = query;
    return (
      since === null
        ? this.countedAll.get({ rootId, deletedSince })
        : this.countedSince.get({ rootId, since, deletedSince })
    ) as number;
  }

  async accounts(rootId: string, since: ChangePosition | null): Promise<AccountRow[]> {
    return this.changedAccounts.all({ rootId, since: since ?? 0 });
  }

  async prune(before: number): Promise<number> {
    const positions = this.pruneStep.all(before, PRUNE_STEP);
    if (positions.length > 0) this.movePruned.run(Math.max(...positions));
    return positions.length;
  }
}
