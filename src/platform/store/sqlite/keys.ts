import type { Statement } from 'better-sqlite3';
import type { AuditPolicy } from '../../../shared/audit/policy';
import { blankFacts, breaksRule, type KeyRuleId } from '../../../shared/audit/rules';
import { type KeyColumnsSql, statusPositionSql } from '../../../shared/key-columns';
import { KEY_PREFIX } from '../../../shared/key-format';
import type { ListKeysQuery } from '../../../shared/schemas';
import { decodeCursor, encodeCursor, keyListSql, searchCondition, setKeyFacts } from '../key-list';
import type { KeyRow, KeysStore, ListScope } from '../port';
import type { Db } from './database';

const {
  expiredNow: EXPIRED_NOW,
  statusNow: STATUS_NOW,
  sorts: SORT_EXPRESSIONS,
  statuses: STATUS_CONDITIONS,
} = keyListSql('@now', 'label COLLATE NOCASE');

// The `flag` filter asks the audit's own rule of every candidate row (a SQL function calling
// breaksRule), so the API and the audit cannot disagree. A key "reaches subaccounts" when its
// account has children (accounts_by_parent makes that a lookup).
const FLAG_CONDITION = `key_breaks_rule(@flag, status, created_at, last_used_at, expires_at, revoked_at, label,
  EXISTS (SELECT 1 FROM accounts sub WHERE sub.parent_id = api_keys.account_id), @now) = 1`;

export class SqliteKeys implements KeysStore {
  private readonly byId;
  private readonly byPublicId;
  private readonly insertRow;
  private readonly updateRow;
  private readonly deleteRow;
  private readonly nextPosition;
  private readonly tombstone;
  private readonly publicIdTaken;
  private readonly unnotedExpired;
  private readonly noteExpiry;
  private readonly due;
  private readonly columnsOfTree;

  // Lists are built from a few dozen shapes of query: prepare each shape once.
  private readonly listStatements = new Map<
    string,
    Statement<[Record<string, unknown>], KeyRow & { sort_value: number | string }>
  >();

  /** The policy of the list being run, read by key_breaks_rule (queries run synchronously). */
  private rulePolicy: AuditPolicy | null = null;

  constructor(private readonly db: Db) {
    const facts = blankFacts();
    db.function(
      'key_breaks_rule',
      { varargs: false, directOnly: true },
      (rule, status, createdAt, lastUsedAt, expiresAt, revokedAt, label, parent, now) => {
        setKeyFacts(
          facts,
          status as string,
          createdAt as number,
          lastUsedAt as number | null,
          expiresAt as number | null,
          revokedAt as number | null,
          label as string,
          parent === 1,
        );
        return breaksRule(rule as KeyRuleId, facts, this.rulePolicy as AuditPolicy, now as number) ? 1 : 0;
      },
    );
    this.byId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE id = ?');
    this.byPublicId = db.prepare<[string], KeyRow>('SELECT * FROM api_keys WHERE public_id = ?');
    this.insertRow = db.prepare<[KeyRow]>(
      `INSERT INTO api_keys (id, public_id, account_id, label, label_search, secret_hash, status, created_at,
         updated_at, last_used_at, expires_at, revoked_at, deletes_at, expiry_noted_at)
       VALUES (@id, @public_id, @account_id, @label, keyhold_fold_for_search(@label), @secret_hash, @status,
         @created_at, @updated_at, @last_used_at, @expires_at, @revoked_at, @deletes_at, @expiry_noted_at)`,
    );
    this.updateRow = db.prepare<[KeyRow]>(
      `UPDATE api_keys SET label = @label, label_search = keyhold_fold_for_search(@label), status = @status, updated_at = @updated_at, expires_at = @expires_at,
         revoked_at = @revoked_at, deletes_at = @deletes_at, expiry_noted_at = @expiry_noted_at WHERE id = @id`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?');
    this.nextPosition = db.prepare('UPDATE platform_state SET change_seq = change_seq + 1');
    this.tombstone = db.prepare<[string, string, number]>(
      `INSERT OR REPLACE INTO key_tombstones (key_id, account_id, change_seq, deleted_at)
       VALUES (?, ?, (SELECT change_seq FROM platform_state), ?)`,
    );
    this.publicIdTaken = db.prepare<[string], number>('SELECT 1 FROM api_keys WHERE public_id = ?').pluck();
    this.unnotedExpired = db.prepare<[{ now: number }], KeyRow>(
      `SELECT * FROM api_keys WHERE ${EXPIRED_NOW} AND status = 'active' AND expiry_noted_at IS NULL`,
    );
    this.noteExpiry = db.prepare<[number, string]>('UPDATE api_keys SET expiry_noted_at = ? WHERE id = ?');
    this.due = db.prepare<[number, number], KeyRow>(
      'SELECT * FROM api_keys WHERE deletes_at <= ? ORDER BY deletes_at, id LIMIT ?',
    );
    this.columnsOfTree = db.prepare<[{ accountId: string; now: number; prefix: string }], KeyColumnsSql>(
      `SELECT json_group_array(id) AS id, json_group_array(account_id) AS account_id,
         json_group_array(label) AS label, json_group_array(@prefix || public_id) AS partial_key,
         json_group_array(${statusPositionSql(STATUS_NOW)}) AS status,
         json_group_array(created_at) AS created_at,
         json_group_array(NULLIF(updated_at, created_at)) AS updated_at,
         json_group_array(last_used_at) AS last_used_at, json_group_array(expires_at) AS expires_at,
         json_group_array(revoked_at) AS revoked_at, json_group_array(deletes_at) AS deletes_at
       FROM api_keys NOT INDEXED WHERE account_id IN (WITH RECURSIVE tree(id) AS (SELECT @accountId UNION ALL
         SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id) SELECT id FROM tree)`,
    );
  }

  async get(id: string): Promise<KeyRow | undefined> {
    return this.byId.get(id);
  }

  async getByPublicId(publicId: string): Promise<KeyRow | undefined> {
    return this.byPublicId.get(publicId);
  }

  async isPublicIdTaken(publicId: string): Promise<boolean> {
    return this.publicIdTaken.get(publicId) !== undefined;
  }

  async insert(row: KeyRow): Promise<void> {
    this.insertRow.run(row);
  }

  async update(row: KeyRow): Promise<void> {
    this.updateRow.run(row);
  }

  async delete(key: Pick<KeyRow, 'id' | 'account_id'>, at: number): Promise<void> {
    this.deleteRow.run(key.id);
    this.nextPosition.run();
    this.tombstone.run(key.id, key.account_id, at);
  }

  private statement(sql: string) {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<[Record<string, unknown>], KeyRow & { sort_value: number | string }>(sql);
      if (this.listStatements.size < 500) this.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** Active keys whose expiration has passed and whose 'expired' event is not written yet. */
  async expiredUnnoted(now: number): Promise<KeyRow[]> {
    return this.unnotedExpired.all({ now });
  }

  async markExpiryNoted(id: string, at: number): Promise<void> {
    this.noteExpiry.run(at, id);
  }

  async dueForDeletion(now: number, limit: number): Promise<KeyRow[]> {
    return this.due.all(now, limit);
  }

  /**
   * Every key of an account and its subaccounts, one JSON array per field, made by SQLite in one
   * pass (about 0.2 s for 100,000 keys; reading them as rows takes longer). The app asks for its
   * root account, which holds nearly every key: one scan of the table beats a lookup in the
   * account index per key (NOT INDEXED; 0.18 s against 0.29 s at 100,000 keys).
   */
  async columns(accountId: string, now: number): Promise<KeyColumnsSql> {
    return this.columnsOfTree.get({ accountId, now, prefix: KEY_PREFIX }) as KeyColumnsSql;
  }

  async list(
    scope: ListScope,
    query: ListKeysQuery,
    policy: AuditPolicy,
    now: number,
  ): Promise<{ rows: KeyRow[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: Record<string, unknown> = { now };
    if (scope.accountId !== null) {
      params.accountId = scope.accountId;
      where.push(
        scope.includeSubaccounts
          ? `account_id IN (WITH RECURSIVE tree(id) AS (SELECT @accountId UNION ALL
               SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id) SELECT id FROM tree)`
          : 'account_id = @accountId',
      );
    }
    if (query.status) where.push(STATUS_CONDITIONS[query.status]);
    if (query.flag) {
      params.flag = query.flag;
      where.push(FLAG_CONDITION);
    }
    if (query.q) {
      const bind = (value: string) => {
        const name = `search${Object.keys(params).length}`;
        params[name] = value;
        return `@${name}`;
      };
      const searched = searchCondition(query.q, bind, (haystack, needle) => `instr(${haystack}, ${needle})`);
      if (searched) where.push(searched);
    }

    const expression = SORT_EXPRESSIONS[query.sort];
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor, query);
      params.cursorValue = cursor.value;
      params.cursorId = cursor.id;
      const after = query.order === 'asc' ? '>' : '<';
      where.push(`(${expression} ${after} @cursorValue OR (${expression} = @cursorValue AND id ${after} @cursorId))`);
    }
    params.limit = query.limit + 1;

    const sql = `SELECT *, ${expression} AS sort_value FROM api_keys
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${expression} ${direction}, id ${direction} LIMIT @limit`;
    this.rulePolicy = policy;
    const rows = this.statement(sql).all(params);

    let nextCursor: string | null = null;
    if (rows.length > query.limit) {
      rows.length = query.limit;
      const last = rows[rows.length - 1] as KeyRow & { sort_value: number | string };
      nextCursor = encodeCursor({ sort: query.sort, order: query.order, value: last.sort_value, id: last.id });
    }
    return { rows, nextCursor };
  }
}
