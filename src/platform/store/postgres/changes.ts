// The change feed on PostgreSQL: a row's position is the id of the transaction that last wrote it
// (migration 5), and a sync's mark the oldest transaction still running when it is taken. So a
// feed read takes every row at or after its position: a transaction that began before the mark
// and committed after it is read next time, never lost (some rows may come twice; applying a
// change twice changes nothing).
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
import type { Queryable } from './repos';

const TREE = `WITH RECURSIVE tree(id) AS (SELECT $1::text COLLATE "C" UNION ALL
  SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id)`;
const PRUNE_STEP = 2000;

export class PgChanges implements ChangesStore {
  constructor(private readonly q: Queryable) {}

  private async all<R extends object>(name: string, text: string, values: unknown[]): Promise<R[]> {
    return (await this.q.query<R>({ name, text, values })).rows;
  }

  async mark(): Promise<ChangePosition> {
    const [row] = await this.all<{ mark: number }>(
      'changes_mark',
      'SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS mark',
      [],
    );
    return row?.mark ?? 0;
  }

  async horizon(): Promise<ChangePosition> {
    const [row] = await this.all<{ horizon: number }>(
      'changes_horizon',
      'SELECT pruned_xid + 1 AS horizon FROM platform_state',
      [],
    );
    return row?.horizon ?? 1;
  }

  async keys(query: ChangesQuery): Promise<KeyChange[]> {
    const values = [
      query.rootId,
      String(query.since ?? 0),
      String(query.after?.position ?? 0),
      query.after?.id ?? '',
      query.limit,
    ];
    const [live, deleted] = await Promise.all([
      this.all<KeySeen & { position: number }>(
        'changes_live_keys',
        `${TREE} SELECT ${KEY_SEEN_COLUMNS}, change_xid::text::bigint AS position FROM api_keys
           WHERE change_xid >= $2::xid8 AND (change_xid, id) > ($3::xid8, $4::text COLLATE "C")
           AND account_id IN (SELECT id FROM tree) ORDER BY change_xid, id LIMIT $5`,
        values,
      ),
      this.all<{ key_id: string; position: number }>(
        'changes_deleted_keys',
        `${TREE} SELECT key_id, change_xid::text::bigint AS position FROM key_tombstones
           WHERE change_xid >= $2::xid8 AND (change_xid, key_id) > ($3::xid8, $4::text COLLATE "C")
           AND account_id IN (SELECT id FROM tree) ORDER BY change_xid, key_id LIMIT $5`,
        [query.rootId, String(query.deletedSince), ...values.slice(2)],
      ),
    ]);
    return mergeInFeedOrder(
      live.map((row) => ({ position: row.position, id: row.id, row })),
      deleted.map((row) => ({ position: row.position, id: row.key_id, row: null })),
      query.limit,
    );
  }

  async count(query: Omit<ChangesQuery, 'after' | 'limit'>): Promise<number> {
    const [row] = await this.all<{ count: number }>(
      'changes_count',
      `${TREE} SELECT (SELECT COUNT(*) FROM api_keys WHERE change_xid >= $2::xid8 AND account_id IN (SELECT id FROM tree))
         + (SELECT COUNT(*) FROM key_tombstones WHERE change_xid >= $3::xid8 AND account_id IN (SELECT id FROM tree))
         AS count`,
      [query.rootId, String(query.since ?? 0), String(query.deletedSince)],
    );
    return row?.count ?? 0;
  }

  async accounts(rootId: string, since: ChangePosition | null): Promise<AccountRow[]> {
    return this.all<AccountRow>(
      'changes_accounts',
      `${TREE} SELECT accounts.* FROM accounts JOIN tree USING (id) WHERE change_xid >= $2::xid8`,
      [rootId, String(since ?? 0)],
    );
  }

  async prune(before: number): Promise<number> {
    const [row] = await this.all<{ pruned: number }>(
      'changes_prune',
      `WITH gone AS (DELETE FROM key_tombstones WHERE key_id IN
           (SELECT key_id FROM key_tombstones WHERE deleted_at < $1 ORDER BY deleted_at LIMIT $2)
           RETURNING change_xid::text::bigint AS position),
         moved AS (UPDATE platform_state SET pruned_xid = GREATEST(pruned_xid, (SELECT MAX(position) FROM gone))
           WHERE EXISTS (SELECT 1 FROM gone) RETURNING 1)
       SELECT (SELECT COUNT(*) FROM gone) AS pruned, (SELECT COUNT(*) FROM moved) AS moved`,
      [before, PRUNE_STEP],
    );
    return row?.pruned ?? 0;
  }
}
