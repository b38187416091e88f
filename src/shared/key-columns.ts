// Every key of an inventory in one transfer, one array per field (the window's whole inventory
// crosses IPC at once). Columns, not objects: field names are not repeated 100,000 times; account
// ids and statuses are sent once and referred to by number, and an `updated_at` equal to
// `created_at` (a key never changed) as null: 12.6 MB and ~470,000 strings for 100,000 keys, where
// one array per field was 17.6 MB and ~770,000. Sent as JSON text: one string crosses IPC (and the
// test harness's HTTP) far faster than 100,000 objects, and JSON.parse is the cheapest way to make
// 100,000 strings in a JavaScript engine.
// Built by the platform (KeyEngine.keyColumnsJson) or from the app's cache of a remote platform
// (AppStateRepo.cachedKeyColumns), both with SQLite writing the arrays.
import type { ApiKey } from './domain';
import { KEY_STATUSES } from './statuses';

export interface KeyColumns {
  /** Every account id that has keys; `account[i]` is a position in it. */
  accounts: string[];
  id: string[];
  account: number[];
  label: string[];
  partial_key: string[];
  /** A position in KEY_STATUSES. */
  status: number[];
  created_at: string[];
  /** null: the same as created_at. */
  updated_at: (string | null)[];
  last_used_at: (string | null)[];
  expires_at: (string | null)[];
  revoked_at: (string | null)[];
  deletes_at: (string | null)[];
}

/** Each column as the JSON text of its array, account ids one per key (as SQLite writes them). */
export type KeyColumnsSql = Record<Exclude<keyof KeyColumns, 'accounts' | 'account'> | 'account_id', string>;

/** SQL for a status's position in KEY_STATUSES, from an SQL expression that gives its name. */
export const statusPositionSql = (status: string): string =>
  `CASE ${status} ${KEY_STATUSES.map((name, i) => `WHEN '${name}' THEN ${i}`).join(' ')} END`;

/**
 * The columns' text from SQLite's arrays, the accounts made distinct here (a Map over 100,000 ids
 * costs a few milliseconds; the same in SQL needs a join per key).
 */
export function keyColumnsJson(text: KeyColumnsSql): string {
  const positions = new Map<string, number>();
  const account = (JSON.parse(text.account_id) as string[]).map((id) => {
    const known = positions.get(id);
    if (known !== undefined) return known;
    positions.set(id, positions.size);
    return positions.size - 1;
  });
  return (
    `{"accounts":${JSON.stringify([...positions.keys()])},"id":${text.id},"account":${JSON.stringify(account)},` +
    `"label":${text.label},"partial_key":${text.partial_key},"status":${text.status},` +
    `"created_at":${text.created_at},"updated_at":${text.updated_at},"last_used_at":${text.last_used_at},` +
    `"expires_at":${text.expires_at},"revoked_at":${text.revoked_at},"deletes_at":${text.deletes_at}}`
  );
}

/** The keys of a column set, in its order. */
export function keysOfColumns(columns: KeyColumns): ApiKey[] {
  const { accounts, id, account, label, partial_key, status } = columns;
  const { created_at, updated_at, last_used_at, expires_at, revoked_at } = columns;
  // A platform from before scheduled deletions sends no such column.
  const deletes_at = columns.deletes_at ?? [];
  const keys = new Array<ApiKey>(id.length);
  for (let i = 0; i < id.length; i++) {
    const created = created_at[i] as string;
    keys[i] = {
      id: id[i] as string,
      account_id: accounts[account[i] as number] as string,
      label: label[i] as string,
      partial_key: partial_key[i] as string,
      status: KEY_STATUSES[status[i] as number] as ApiKey['status'],
      created_at: created,
      updated_at: updated_at[i] ?? created,
      last_used_at: last_used_at[i] ?? null,
      expires_at: expires_at[i] ?? null,
      revoked_at: revoked_at[i] ?? null,
      deletes_at: deletes_at[i] ?? null,
    };
  }
  return keys;
}

/** Keys as columns: the inverse of keysOfColumns (a page of a sync, or a test's expectation). */
export function columnsOfKeys(keys: readonly ApiKey[]): KeyColumns {
  const positions = new Map<string, number>();
  const columns: KeyColumns = {
    accounts: [],
    id: [],
    account: [],
    label: [],
    partial_key: [],
    status: [],
    created_at: [],
    updated_at: [],
    last_used_at: [],
    expires_at: [],
    revoked_at: [],
    deletes_at: [],
  };
  for (const key of keys) {
    let account = positions.get(key.account_id);
    if (account === undefined) {
      account = positions.size;
      positions.set(key.account_id, account);
      columns.accounts.push(key.account_id);
    }
    columns.id.push(key.id);
    columns.account.push(account);
    columns.label.push(key.label);
    columns.partial_key.push(key.partial_key);
    columns.status.push(KEY_STATUSES.indexOf(key.status));
    columns.created_at.push(key.created_at);
    columns.updated_at.push(key.updated_at === key.created_at ? null : key.updated_at);
    columns.last_used_at.push(key.last_used_at);
    columns.expires_at.push(key.expires_at);
    columns.revoked_at.push(key.revoked_at);
    columns.deletes_at.push(key.deletes_at ?? null);
  }
  return columns;
}
