// The table's engine: 100,000 keys filtered and sorted within a frame. A key's status is derived
// once when it arrives, the lower-case search text of every key at once when first needed (one
// string: made and lowered in one go, it costs a fraction of one per key); the audit's rules
// per key come as bits from the audit engine (`AuditResult.ruleBitsByKey`), so the table's flags
// and the Audit page always agree. The sort order is computed once per sort change, and filtering
// walks that order.
import { ruleBit } from './audit';
import type { Account, ApiKey } from './domain';
import type { SavedView, TableColumn } from './ipc/window-data';
import { foldForSearch, hasEvery, matchesSearch, parseSearch } from './key-search';
import { currentStatus } from './key-status';

export interface IndexedKey {
  key: ApiKey;
}

export type Filters = Pick<SavedView, 'account_id' | 'include_subaccounts' | 'status' | 'flag' | 'search'>;
export type Sort = SavedView['sort'];

export function indexKey(key: ApiKey, now: number): IndexedKey {
  // Status is derived again so a key that expired since it was fetched reads expired.
  const status = currentStatus(key, now);
  return { key: status === key.status ? key : { ...key, status } };
}

const STATUS_RANK = { active: 0, expired: 1, revoked: 2 } as const;

const ZEROS = '000000000000';
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Text that sorts naturally with a plain comparison: "Account 2" before "Account 10". Lower case,
 * each run of digits padded to 12 with zeros in front. Written as a scan: the regular expression
 * with a replacer took 80-130 ms over 100,000 labels, the first sort of a remembered view.
 */
export function naturalKey(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    if (!isDigit(lower.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < lower.length && isDigit(lower.charCodeAt(end))) end++;
    out += lower.slice(from, i) + ZEROS.slice(Math.min(end - i, 12)) + lower.slice(i, end);
    from = end;
    i = end;
  }
  return from === 0 ? lower : out + lower.slice(from);
}

function sortValue(entry: IndexedKey, column: TableColumn, accountNames: Map<string, string>): string | number {
  const { key } = entry;
  switch (column) {
    case 'label':
      return naturalKey(key.label);
    case 'partial_key':
      return key.partial_key;
    case 'status':
      return STATUS_RANK[key.status];
    case 'account':
      return naturalKey(accountNames.get(key.account_id) ?? key.account_id);
    case 'created_at':
      return key.created_at;
    case 'last_used_at':
      return key.last_used_at ?? '';
    case 'expires_at':
      return key.expires_at ?? '\uffff'; // never expiring sorts last
  }
}

/** Positions of `entries` in sort order; ties broken by key id so the order is stable. */
export function sortOrder(entries: IndexedKey[], sort: Sort, accounts: Account[]): Int32Array {
  return sortPositions(entries, Int32Array.from(entries.keys()), sort, accounts);
}

/** `positions` (into `entries`), sorted in place as sortOrder orders them, and returned. */
export function sortPositions(
  entries: IndexedKey[],
  positions: Int32Array,
  sort: Sort,
  accounts: Account[],
): Int32Array {
  const names = accountNames(accounts);
  // Values by position, made for the given positions only.
  const values = new Array<string | number>(entries.length);
  for (const position of positions) values[position] = sortValue(entries[position] as IndexedKey, sort.column, names);
  return positions.sort(comparePositions(entries, sort, (position) => values[position] as string | number));
}

const accountNames = (accounts: Account[]) => new Map(accounts.map((account) => [account.id, account.name]));

/** The order of two positions, by `sortValueAt` (their sort values), ties broken by key id. */
function comparePositions(
  entries: IndexedKey[],
  sort: Sort,
  sortValueAt: (position: number) => string | number,
): (a: number, b: number) => number {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const x = sortValueAt(a);
    const y = sortValueAt(b);
    if (x < y) return -sign;
    if (x > y) return sign;
    const ia = (entries[a] as IndexedKey).key.id;
    const ib = (entries[b] as IndexedKey).key.id;
    return ia < ib ? -sign : ia > ib ? sign : 0;
  };
}

/**
 * `sorted` (positions in sort order) with `position` taken out and, when `keep`, put back where its
 * key sorts now: sorting again after a change of that key alone, in a binary search.
 */
export function repositioned(
  entries: IndexedKey[],
  sorted: Int32Array,
  position: number,
  keep: boolean,
  sort: Sort,
  accounts: Account[],
): Int32Array {
  const names = accountNames(accounts);
  const compare = comparePositions(entries, sort, (at) => sortValue(entries[at] as IndexedKey, sort.column, names));
  const at = sorted.indexOf(position);
  const rest = at < 0 ? sorted : new Int32Array(sorted.length - 1);
  if (at >= 0) {
    rest.set(sorted.subarray(0, at));
    rest.set(sorted.subarray(at + 1), at);
  }
  if (!keep) return rest;
  let low = 0;
  let high = rest.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(rest[middle] as number, position) < 0) low = middle + 1;
    else high = middle;
  }
  const out = new Int32Array(rest.length + 1);
  out.set(rest.subarray(0, low));
  out[low] = position;
  out.set(rest.subarray(low), low + 1);
  return out;
}

/** The accounts a filter on `accountId` covers: it alone, or it and everything under it. */
export function accountScope(
  accounts: Account[],
  accountId: string | null,
  withSubaccounts: boolean,
): Set<string> | null {
  if (accountId === null) return null;
  const scope = new Set([accountId]);
  if (!withSubaccounts) return scope;
  // Accounts arrive parents first, so one pass collects every descendant.
  for (const account of accounts) if (account.parent_id !== null && scope.has(account.parent_id)) scope.add(account.id);
  return scope;
}

/**
 * Every key's label and partial key, folded (key-search.ts), as lines of one string (a key's label, then its
 * partial key, key after key), and where each line begins: `lines[2i]` is key i's label,
 * `lines[2i + 1]` its partial key, the last entry past the end.
 */
interface SearchText {
  text: string;
  lines: Int32Array;
}
const searchTexts = new WeakMap<IndexedKey[], SearchText>();
/**
 * Made once per inventory, at its first search or before (the view store makes it when the window
 * is idle), and folded in one go: a third of the time of a string per key. The same text as
 * folding each line (labels hold no control characters, and '\n' ends the context of a final
 * sigma); lowering can change a text's length, so the lines are found after.
 */
export function searchTextOf(entries: IndexedKey[]): SearchText {
  let made = searchTexts.get(entries);
  if (!made) {
    const parts = new Array<string>(entries.length * 2);
    entries.forEach(({ key }, i) => {
      parts[2 * i] = key.label;
      parts[2 * i + 1] = key.partial_key;
    });
    const text = foldForSearch(parts.join('\n'));
    const lines = new Int32Array(parts.length + 1);
    for (let i = 1, at = 0; i < parts.length; i++) {
      at = text.indexOf('\n', at) + 1;
      lines[i] = at;
    }
    lines[parts.length] = text.length + 1; // where a next line would begin
    made = { text, lines };
    searchTexts.set(entries, made);
  }
  return made;
}

/**
 * `to` is `from` with the key at `position` changed: it reads `from`'s search text when that key
 * kept its label (a revocation, an expiry), instead of folding every key again at the next search.
 */
export function carrySearchText(from: IndexedKey[], to: IndexedKey[], position: number): void {
  const made = searchTexts.get(from);
  if (made && from[position]?.key.label === to[position]?.key.label) searchTexts.set(to, made);
}

/** Key `position`'s haystackOf, out of the inventory's search text. */
const haystackAt = ({ text, lines }: SearchText, position: number): string =>
  text.slice(lines[2 * position], (lines[2 * position + 2] as number) - 1);

/**
 * The keys a scan of the search text for `needle` finds, as a mask by position: anywhere in their
 * label or partial key (and taken by `matches`), or, for a partial key, at the start of their
 * partial key's line. One indexOf over every key's text at once: a few milliseconds at 100,000
 * keys, where 100,000 includes() or startsWith() took 8-10. A needle never holds '\n', so a match
 * never spans two lines.
 */
function scanMask(
  entries: IndexedKey[],
  needle: string,
  found: { partialKey: true } | { partialKey: false; matches: (position: number) => boolean },
): Uint8Array {
  const mask = new Uint8Array(entries.length);
  const { text, lines } = searchTextOf(entries);
  let line = 0;
  for (let at = text.indexOf(needle); at >= 0; ) {
    while ((lines[line + 1] as number) <= at) line++;
    const position = line >> 1;
    if (found.partialKey) {
      if (line % 2 === 1 && at === lines[line]) mask[position] = 1;
    } else if (found.matches(position)) mask[position] = 1;
    // On to the next line a match could start: the partial key after a label, else the next key.
    const next = found.partialKey && line % 2 === 0 ? line + 1 : 2 * position + 2;
    at = text.indexOf(needle, lines[next] as number);
  }
  return mask;
}

/**
 * The keys a search matches, as a mask by position; null: every key. A partial key: the keys whose
 * partial key starts with it; words: the keys whose haystackOf holds every one (the longest is
 * scanned for and only the others checked: checking it again doubled a broad search's time).
 * test/unit/key-index.test.ts holds it to a check of every key.
 */
export function searchMask(entries: IndexedKey[], search: string): Uint8Array | null {
  const { partialKey, words } = parseSearch(search);
  if (partialKey !== null) return scanMask(entries, partialKey, { partialKey: true });
  const [longest, ...others] = [...words].sort((a, b) => b.length - a.length);
  if (longest === undefined) return null;
  if (others.length === 0) return scanMask(entries, longest, { partialKey: false, matches: () => true });
  const searchText = searchTextOf(entries);
  return scanMask(entries, longest, {
    partialKey: false,
    matches: (position) => hasEvery(haystackAt(searchText, position), others),
  });
}

/** Whether the key at `position` is among filterRows' rows (the same tests, for one key). */
export function keyPasses(
  entries: IndexedKey[],
  ruleBits: Uint16Array,
  position: number,
  filters: Filters,
  scope: Set<string> | null,
): boolean {
  const { key } = entries[position] as IndexedKey;
  if (filters.status !== null && key.status !== filters.status) return false;
  if (filters.flag && ((ruleBits[position] ?? 0) & ruleBit(filters.flag)) === 0) return false;
  if (scope !== null && !scope.has(key.account_id)) return false;
  return matchesSearch(parseSearch(filters.search), key);
}

/** The visible rows: positions into `entries`, in sort order. */
export function filterRows(
  entries: IndexedKey[],
  ruleBits: Uint16Array,
  order: Int32Array,
  filters: Filters,
  scope: Set<string> | null,
): Int32Array {
  const searched = searchMask(entries, filters.search);
  const status = filters.status;
  const bit = filters.flag ? ruleBit(filters.flag) : 0;
  // Nothing filtered: the order itself (a cleared search at 100,000 keys copied them all).
  if (searched === null && status === null && bit === 0 && scope === null) return order;
  const out = new Int32Array(order.length);
  let count = 0;
  for (let i = 0; i < order.length; i++) {
    const position = order[i] as number;
    if (searched !== null && searched[position] === 0) continue;
    const entry = entries[position] as IndexedKey;
    if (status !== null && entry.key.status !== status) continue;
    if (bit !== 0 && ((ruleBits[position] ?? 0) & bit) === 0) continue;
    if (scope !== null && !scope.has(entry.key.account_id)) continue;
    out[count++] = position;
  }
  return out.slice(0, count);
}
