import type { AuditPolicy } from '../../../shared/audit/policy';
import { blankFacts, breaksRule } from '../../../shared/audit/rules';
import type { DailyUsage } from '../../../shared/domain';
import { type KeyColumnsSql, statusPositionSql } from '../../../shared/key-columns';
import { KEY_PREFIX } from '../../../shared/key-format';
import { foldForSearch } from '../../../shared/key-search';
import type { ListKeysQuery } from '../../../shared/schemas';
import { decodeCursor, encodeCursor, keyListSql, searchCondition, setKeyFacts } from '../key-list';
import type {
  AccountRow,
  AccountsStore,
  ActionRow,
  AgentRow,
  AgentsStore,
  EventRow,
  EventsStore,
  KeyRow,
  KeysStore,
  ListScope,
  NewEvent,
  PageAfter,
  StoreView,
  UsageBatchEntry,
  UsageStore,
} from '../port';
import { toEvent } from '../rows';
import { PgChanges } from './changes';
import { PgIdempotency } from './idempotency';
import { PgRequestLog } from './request-log';

/** A pool or one checked-out client: both answer queries. */
export interface Queryable {
  query<R extends object>(config: { text: string; values?: unknown[]; name?: string }): Promise<{ rows: R[] }>;
}

const rows = async <R extends object>(q: Queryable, text: string, values: unknown[] = [], name?: string) =>
  (await q.query<R>(name ? { name, text, values } : { text, values })).rows;

/**
 * Inside a transaction a row is read to be changed (or to be sure it stays while others are
 * written against it): `get` locks it until the commit, so two servers' read-check-write on one
 * row happen one after the other, as SQLite's single writer makes them.
 */
const lockClause = (locking: boolean) => (locking ? ' FOR UPDATE' : '');

class PgAccounts implements AccountsStore {
  constructor(
    private readonly q: Queryable,
    private readonly locking: boolean,
  ) {}

  async get(id: string) {
    const text = `SELECT * FROM accounts WHERE id = $1${lockClause(this.locking)}`;
    return (await rows<AccountRow>(this.q, text, [id], this.locking ? 'account_for_update' : 'account_by_id'))[0];
  }

  list() {
    return rows<AccountRow>(this.q, 'SELECT * FROM accounts ORDER BY created_at, id', [], 'accounts_all');
  }

  childrenOf(id: string, page?: PageAfter<{ name: string; id: string }>) {
    const after = page?.after ?? { name: '', id: '' };
    return rows<AccountRow>(
      this.q,
      `SELECT * FROM accounts WHERE parent_id = $1 AND (name, id) > ($2::text COLLATE "C", $3::text COLLATE "C")
       ORDER BY name, id LIMIT $4`,
      [id, after.name, after.id, page?.limit ?? null],
    );
  }

  subtree(id: string) {
    return rows<AccountRow>(
      this.q,
      `WITH RECURSIVE tree(id) AS (SELECT $1::text COLLATE "C" UNION ALL SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id)
       SELECT accounts.* FROM accounts JOIN tree USING (id)`,
      [id],
    );
  }

  async insert(row: AccountRow) {
    await rows(
      this.q,
      'INSERT INTO accounts (id, parent_id, name, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [row.id, row.parent_id, row.name, row.status, row.created_at, row.updated_at],
    );
  }

  async update(row: AccountRow) {
    await rows(this.q, 'UPDATE accounts SET name = $2, status = $3, updated_at = $4 WHERE id = $1', [
      row.id,
      row.name,
      row.status,
      row.updated_at,
    ]);
  }
}

// $1 is the time in every list statement; lower() of a "C" text folds ASCII only, as SQLite's
// NOCASE does.
const {
  expiredNow: EXPIRED_NOW,
  statusNow: STATUS_NOW,
  sorts: SORT_EXPRESSIONS,
  statuses: STATUS_CONDITIONS,
} = keyListSql('$1', 'lower(label)');

const IN_TREE = (param: string) =>
  `account_id IN (WITH RECURSIVE tree(id) AS (SELECT ${param}::text COLLATE "C" UNION ALL
     SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id) SELECT id FROM tree)`;

type ListedRow = KeyRow & { sort_value: number | string; has_subaccounts: boolean };

/** Rows read per round trip while the flag filter looks for a page of matches. */
const FLAG_BATCH = 500;

class PgKeys implements KeysStore {
  constructor(
    private readonly q: Queryable,
    private readonly locking: boolean,
  ) {}

  async get(id: string) {
    const text = `SELECT * FROM api_keys WHERE id = $1${lockClause(this.locking)}`;
    return (await rows<KeyRow>(this.q, text, [id], this.locking ? 'key_for_update' : 'key_by_id'))[0];
  }

  async getByPublicId(publicId: string) {
    return (
      await rows<KeyRow>(this.q, 'SELECT * FROM api_keys WHERE public_id = $1', [publicId], 'key_by_public_id')
    )[0];
  }

  async isPublicIdTaken(publicId: string) {
    return (await rows(this.q, 'SELECT 1 FROM api_keys WHERE public_id = $1', [publicId])).length > 0;
  }

  async insert(row: KeyRow) {
    await rows(
      this.q,
      `INSERT INTO api_keys (id, public_id, account_id, label, secret_hash, status, created_at, updated_at,
         last_used_at, expires_at, revoked_at, expiry_noted_at, label_search, deletes_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        row.id,
        row.public_id,
        row.account_id,
        row.label,
        row.secret_hash,
        row.status,
        row.created_at,
        row.updated_at,
        row.last_used_at,
        row.expires_at,
        row.revoked_at,
        row.expiry_noted_at,
        foldForSearch(row.label),
        row.deletes_at,
      ],
    );
  }

  async update(row: KeyRow) {
    await rows(
      this.q,
      `UPDATE api_keys SET label = $2, status = $3, updated_at = $4, expires_at = $5, revoked_at = $6,
         expiry_noted_at = $7, label_search = $8, deletes_at = $9 WHERE id = $1`,
      [
        row.id,
        row.label,
        row.status,
        row.updated_at,
        row.expires_at,
        row.revoked_at,
        row.expiry_noted_at,
        foldForSearch(row.label),
        row.deletes_at,
      ],
    );
  }

  async delete(key: Pick<KeyRow, 'id' | 'account_id'>, at: number) {
    await rows(
      this.q,
      `WITH gone AS (DELETE FROM api_keys WHERE id = $1 RETURNING id, account_id)
       INSERT INTO key_tombstones (key_id, account_id, deleted_at) SELECT id, account_id, $2 FROM gone
       ON CONFLICT (key_id) DO UPDATE SET change_xid = EXCLUDED.change_xid, deleted_at = EXCLUDED.deleted_at`,
      [key.id, at],
    );
  }

  expiredUnnoted(now: number) {
    return rows<KeyRow>(
      this.q,
      `SELECT * FROM api_keys WHERE ${EXPIRED_NOW} AND status = 'active' AND expiry_noted_at IS NULL`,
      [now],
    );
  }

  async markExpiryNoted(id: string, at: number) {
    await rows(this.q, 'UPDATE api_keys SET expiry_noted_at = $2 WHERE id = $1', [id, at]);
  }

  dueForDeletion(now: number, limit: number) {
    return rows<KeyRow>(
      this.q,
      `SELECT * FROM api_keys WHERE deletes_at <= $1 ORDER BY deletes_at, id LIMIT $2${lockClause(this.locking)}`,
      [now, limit],
    );
  }

  async columns(accountId: string, now: number): Promise<KeyColumnsSql> {
    const agg = (expression: string) => `COALESCE(json_agg(${expression}), '[]')::text`;
    const status = statusPositionSql(STATUS_NOW);
    const [row] = await rows<KeyColumnsSql>(
      this.q,
      `SELECT ${agg('id')} AS id, ${agg('account_id')} AS account_id, ${agg('label')} AS label,
         ${agg(`$3 || public_id`)} AS partial_key, ${agg(status)} AS status, ${agg('created_at')} AS created_at,
         ${agg('NULLIF(updated_at, created_at)')} AS updated_at, ${agg('last_used_at')} AS last_used_at,
         ${agg('expires_at')} AS expires_at, ${agg('revoked_at')} AS revoked_at, ${agg('deletes_at')} AS deletes_at
       FROM api_keys WHERE ${IN_TREE('$2')}`,
      [now, accountId, KEY_PREFIX],
    );
    return row as KeyColumnsSql;
  }

  async list(
    scope: ListScope,
    query: ListKeysQuery,
    policy: AuditPolicy,
    now: number,
  ): Promise<{ rows: KeyRow[]; nextCursor: string | null }> {
    const values: unknown[] = [now];
    const param = (value: unknown) => `$${values.push(value)}`;
    const where: string[] = [];
    if (scope.accountId !== null) {
      const account = param(scope.accountId);
      where.push(scope.includeSubaccounts ? IN_TREE(account) : `account_id = ${account}`);
    }
    if (query.status) where.push(STATUS_CONDITIONS[query.status]);
    if (query.q) {
      const searched = searchCondition(
        query.q,
        (value) => `${param(value)}::text`,
        (haystack, needle) => `strpos(${haystack}, ${needle})`,
      );
      if (searched) where.push(searched);
    }
    const expression = SORT_EXPRESSIONS[query.sort];
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const after = query.order === 'asc' ? '>' : '<';
    let cursor = query.cursor ? decodeCursor(query.cursor, query) : null;
    const typed = query.sort === 'label' ? '::text COLLATE "C"' : '::bigint';
    const select = (from: { value: number | string; id: string } | null, limit: number) => {
      const conditions = [...where];
      const local = [...values];
      if (from) {
        const v = `$${local.push(from.value)}${typed}`;
        const id = `$${local.push(from.id)}::text COLLATE "C"`;
        conditions.push(`(${expression} ${after} ${v} OR (${expression} = ${v} AND id ${after} ${id}))`);
      }
      // $1 (the time) is named even where no condition uses it, so its type is always known.
      const text = `SELECT *, ${expression} AS sort_value, $1::bigint AS listed_at,
          EXISTS (SELECT 1 FROM accounts sub WHERE sub.parent_id = api_keys.account_id) AS has_subaccounts
        FROM api_keys ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY ${expression} ${direction}, id ${direction} LIMIT ${limit}`;
      return rows<ListedRow>(this.q, text, local);
    };

    let found: ListedRow[];
    if (!query.flag) {
      found = await select(cursor, query.limit + 1);
    } else {
      // The audit's own rule decides, as on SQLite (there a SQL function calls it): candidates in
      // order, a batch per round trip, until a page and one more match or none are left.
      found = [];
      const facts = blankFacts();
      for (;;) {
        const batch = await select(cursor, FLAG_BATCH);
        for (const row of batch) {
          setKeyFacts(
            facts,
            row.status,
            row.created_at,
            row.last_used_at,
            row.expires_at,
            row.revoked_at,
            row.label,
            row.has_subaccounts,
          );
          if (breaksRule(query.flag, facts, policy, now)) found.push(row);
          if (found.length > query.limit) break;
        }
        const last = batch[batch.length - 1];
        if (found.length > query.limit || batch.length < FLAG_BATCH || !last) break;
        cursor = { sort: query.sort, order: query.order, value: last.sort_value, id: last.id };
      }
    }

    let nextCursor: string | null = null;
    if (found.length > query.limit) {
      found.length = query.limit;
      const last = found[found.length - 1] as ListedRow;
      nextCursor = encodeCursor({ sort: query.sort, order: query.order, value: last.sort_value, id: last.id });
    }
    return { rows: found, nextCursor };
  }
}

class PgEvents implements EventsStore {
  constructor(private readonly q: Queryable) {}

  async add(event: NewEvent) {
    await rows(
      this.q,
      `INSERT INTO key_events (key_id, account_id, public_id, key_label, type, at, actor, changes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.key_id,
        event.account_id,
        event.public_id,
        event.key_label,
        event.type,
        event.at,
        event.actor,
        event.changes === null ? null : JSON.stringify(event.changes),
      ],
    );
  }

  async listForKey(keyId: string, page?: PageAfter<number>) {
    return (
      await rows<EventRow>(this.q, 'SELECT * FROM key_events WHERE key_id = $1 AND id > $2 ORDER BY id LIMIT $3', [
        keyId,
        page?.after ?? 0,
        page?.limit ?? null,
      ])
    ).map(toEvent);
  }

  async everUsed(publicId: string) {
    return (await rows(this.q, 'SELECT 1 FROM key_events WHERE public_id = $1 LIMIT 1', [publicId])).length > 0;
  }

  async listByActor(actor: string, limit: number) {
    return (
      await rows<EventRow>(this.q, 'SELECT * FROM key_events WHERE actor = $1 ORDER BY id DESC LIMIT $2', [
        actor,
        limit,
      ])
    ).map(toEvent);
  }

  async addAction(action: ActionRow) {
    await rows(
      this.q,
      `INSERT INTO account_actions (at, actor, subject, subject_id, account_id, action, name)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [action.at, action.actor, action.subject, action.subject_id, action.account_id, action.action, action.name],
    );
  }

  actionsByActor(actor: string, limit: number) {
    return rows<ActionRow>(
      this.q,
      `SELECT at::float8 AS at, actor, subject, subject_id, account_id, action, name FROM account_actions
        WHERE actor = $1 ORDER BY id DESC LIMIT $2`,
      [actor, limit],
    );
  }
}

class PgAgents implements AgentsStore {
  constructor(private readonly q: Queryable) {}

  async insert(row: AgentRow) {
    await rows(
      this.q,
      'INSERT INTO agents (id, account_id, name, description, created_at) VALUES ($1, $2, $3, $4, $5)',
      [row.id, row.account_id, row.name, row.description, row.created_at],
    );
  }

  list(accountId: string, page?: PageAfter<{ created_at: number; id: string }>) {
    const after = page?.after ?? { created_at: -1, id: '' };
    return rows<AgentRow>(
      this.q,
      `SELECT * FROM agents WHERE account_id = $1 AND (created_at, id) > ($2::bigint, $3::text COLLATE "C")
       ORDER BY created_at, id LIMIT $4`,
      [accountId, after.created_at, after.id, page?.limit ?? null],
    );
  }
}

/**
 * One entry per key and day: a batch may name a key twice (its cached record was replaced while
 * uses waited), and one INSERT … ON CONFLICT may not update a row twice.
 */
function mergeByKeyAndDay(batch: readonly UsageBatchEntry[]): UsageBatchEntry[] {
  const merged = new Map<string, UsageBatchEntry>();
  for (const entry of batch) {
    const id = `${entry.keyId} ${entry.day}`;
    const seen = merged.get(id);
    if (!seen) merged.set(id, { ...entry });
    else {
      seen.count += entry.count;
      seen.limited += entry.limited;
      seen.lastUsedAt = Math.max(seen.lastUsedAt, entry.lastUsedAt);
    }
  }
  return [...merged.values()];
}

class PgUsage implements UsageStore {
  constructor(private readonly q: Queryable) {}

  /**
   * Call it in a transaction. The keys are locked first, in id order, as every server does: two
   * servers' batches wait for each other instead of deadlocking, and a key deleted meanwhile is
   * left out (its counts have nothing to count against).
   */
  async write(batch: readonly UsageBatchEntry[]) {
    if (batch.length === 0) return;
    const merged = mergeByKeyAndDay(batch);
    const ids = [...new Set(merged.map((entry) => entry.keyId))].sort();
    const existing = new Set(
      (
        await rows<{ id: string }>(
          this.q,
          'SELECT id FROM api_keys WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
          [ids],
        )
      ).map((row) => row.id),
    );
    const live = merged.filter((entry) => existing.has(entry.keyId));
    const used = live.filter((entry) => entry.count > 0); // a 429 alone is no use
    if (used.length > 0) {
      // GREATEST: last used never moves backwards, whatever order batches arrive in.
      await rows(
        this.q,
        `UPDATE api_keys k SET last_used_at = GREATEST(COALESCE(k.last_used_at, 0), u.at)
         FROM unnest($1::text[], $2::bigint[]) AS u(id, at) WHERE k.id = u.id`,
        [used.map((entry) => entry.keyId), used.map((entry) => entry.lastUsedAt)],
      );
    }
    if (live.length > 0) {
      await rows(
        this.q,
        `INSERT INTO key_usage_daily (key_id, day, count, rate_limited)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) ORDER BY 1, 2
         ON CONFLICT (key_id, day) DO UPDATE SET count = key_usage_daily.count + EXCLUDED.count,
           rate_limited = key_usage_daily.rate_limited + EXCLUDED.rate_limited`,
        [
          live.map((entry) => entry.keyId),
          live.map((entry) => entry.day),
          live.map((entry) => entry.count),
          live.map((entry) => entry.limited),
        ],
      );
    }
    await rows(this.q, 'UPDATE platform_state SET usage_revision = usage_revision + 1');
  }

  dailySince(keyId: string, firstDay: string) {
    return rows<DailyUsage>(
      this.q,
      'SELECT day, count, rate_limited FROM key_usage_daily WHERE key_id = $1 AND day >= $2 ORDER BY day',
      [keyId, firstDay],
    );
  }
}

/** The tables through `q`; `inTransaction`: reads by id lock their row (see lockClause). */
export const pgView = (q: Queryable, inTransaction: boolean): StoreView => ({
  accounts: new PgAccounts(q, inTransaction),
  keys: new PgKeys(q, inTransaction),
  events: new PgEvents(q),
  agents: new PgAgents(q),
  usage: new PgUsage(q),
  requestLog: new PgRequestLog(q),
  changes: new PgChanges(q),
  idempotency: new PgIdempotency(q),
});
