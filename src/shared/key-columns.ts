// Every key of an inventory in one transfer, one array per field (the window's whole inventory
// crosses IPC at once). Columns, not objects: the field names are not repeated 100,000 times, and
// the text is about half the size. Sent as JSON text: one string crosses IPC (and the test
// harness's HTTP) far faster than 100,000 objects, and JSON.parse is the cheapest way to make
// 100,000 strings in a JavaScript engine. Built by SQLite and the platform (KeyEngine.keyColumnsJson)
// or from the app's cache of a remote platform (AppStateRepo.cachedKeyColumns).
import type { ApiKey } from './domain';

export const KEY_FIELDS = [
  'id',
  'account_id',
  'label',
  'partial_key',
  'status',
  'created_at',
  'updated_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
] as const satisfies readonly (keyof ApiKey)[];

export type KeyColumns = { [F in (typeof KEY_FIELDS)[number]]: ApiKey[F][] };

/** The keys of a column set, in its order. */
export function keysOfColumns(columns: KeyColumns): ApiKey[] {
  const { id, account_id, label, partial_key, status, created_at, updated_at, last_used_at, expires_at, revoked_at } =
    columns;
  const keys = new Array<ApiKey>(id.length);
  for (let i = 0; i < id.length; i++) {
    keys[i] = {
      id: id[i] as string,
      account_id: account_id[i] as string,
      label: label[i] as string,
      partial_key: partial_key[i] as string,
      status: status[i] as ApiKey['status'],
      created_at: created_at[i] as string,
      updated_at: updated_at[i] as string,
      last_used_at: last_used_at[i] ?? null,
      expires_at: expires_at[i] ?? null,
      revoked_at: revoked_at[i] ?? null,
    };
  }
  return keys;
}
