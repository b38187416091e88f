// What both stores' key lists share: the SQL of the sorts and status filters, the cursor (keyset
// pagination on the sort value and the id) and a search's condition.
import { environmentRankOf } from '../../shared/audit/environment';
import type { KeyFacts } from '../../shared/audit/rules';
import type { KeyStatus } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { KEY_PREFIX } from '../../shared/key-format';
import { parseSearch } from '../../shared/key-search';
import type { KeySort, ListKeysQuery } from '../../shared/schemas';
import { decodeOpaque, encodeOpaque } from '../opaque';

/**
 * The key list's SQL in a store's dialect: `now` is how its statements name the time, `label` its
 * case-insensitive (ASCII-folding) label expression.
 */
export function keyListSql(now: string, label: string) {
  // An expiration that has passed: a key stored as active is expired now (isExpiredAt, in SQL).
  const expiredNow = `expires_at IS NOT NULL AND expires_at <= ${now}`;
  // The status a key reads now (deriveStatus, in SQL).
  const statusNow = `CASE WHEN status = 'revoked' THEN 'revoked' WHEN ${expiredNow} THEN 'expired' ELSE 'active' END`;
  // Nullable times get a sentinel so keyset pagination can compare them: never used sorts as
  // oldest, never expiring as latest.
  const sorts: Record<KeySort, string> = {
    created_at: 'created_at',
    updated_at: 'updated_at',
    label,
    last_used_at: 'COALESCE(last_used_at, -1)',
    expires_at: 'COALESCE(expires_at, 9007199254740991)',
    status: `CASE WHEN status = 'revoked' THEN 2 WHEN ${expiredNow} THEN 1 ELSE 0 END`,
  };
  const statuses: Record<KeyStatus, string> = {
    active: `status = 'active' AND NOT (${expiredNow})`,
    expired: `status = 'active' AND ${expiredNow}`,
    revoked: "status = 'revoked'",
  };
  return { expiredNow, statusNow, sorts, statuses };
}

export interface Cursor {
  sort: KeySort;
  order: 'asc' | 'desc';
  value: number | string;
  id: string;
}

export const encodeCursor = (cursor: Cursor): string => encodeOpaque(cursor);

export function decodeCursor(text: string, query: ListKeysQuery): Cursor {
  const cursor = decodeOpaque(text) as Cursor | undefined;
  if (typeof cursor?.id !== 'string' || !['number', 'string'].includes(typeof cursor.value)) {
    throw new AppError('invalid_request', 'cursor: is not a cursor this platform issued');
  }
  if (cursor.sort !== query.sort || cursor.order !== query.order) {
    throw new AppError('invalid_request', 'cursor: belongs to another sort or order; start again without it');
  }
  return cursor;
}

/**
 * A search (shared/key-search.ts) as a condition in a store's dialect: `find(haystack, needle)` is
 * its exact substring position (instr on SQLite, strpos on PostgreSQL) and `param` binds a value.
 * Labels are matched through label_search, the label folded by foldForSearch when it was written,
 * so both stores fold case exactly as the window does. Null: every key.
 */
export function searchCondition(
  q: string,
  param: (value: string) => string,
  find: (haystack: string, needle: string) => string,
): string | null {
  const search = parseSearch(q);
  if (search.partialKey !== null) {
    // Hex only, so nothing in it is a LIKE wildcard.
    return `public_id LIKE ${param(`${search.partialKey.slice(KEY_PREFIX.length)}%`)}`;
  }
  if (search.words.length === 0) return null;
  const partialKey = `'${KEY_PREFIX}' || public_id`;
  return search.words
    .map((word) => {
      const needle = param(word);
      return `(${find('label_search', needle)} > 0 OR ${find(partialKey, needle)} > 0)`;
    })
    .join(' AND ');
}

/**
 * Fills `facts` (reused across rows) with a stored key's columns, for the audit's own rules: how
 * both stores' `flag` filters ask breaksRule of every candidate row.
 */
export function setKeyFacts(
  facts: KeyFacts,
  status: string,
  createdAt: number,
  lastUsedAt: number | null,
  expiresAt: number | null,
  revokedAt: number | null,
  label: string,
  parentAccount: boolean,
): KeyFacts {
  facts.revoked = status === 'revoked';
  facts.createdAt = createdAt;
  facts.lastUsedAt = lastUsedAt;
  facts.expiresAt = expiresAt;
  facts.revokedAt = revokedAt;
  facts.label = label;
  facts.environment = environmentRankOf(label);
  facts.parentAccount = parentAccount;
  return facts;
}
