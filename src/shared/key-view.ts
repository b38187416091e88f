// What a saved view shows: its filters and sort, and the rows they give over an inventory. One
// owner for both places that work it out: the window's view store, and main, which answers a saved
// view's first rows before the window has every key (main/app/view-head.ts).
import { RULES } from './audit';
import type { Account } from './domain';
import type { SavedView } from './ipc/window-data';
import {
  accountScope,
  type Filters,
  filterRows,
  type IndexedKey,
  keyPasses,
  repositioned,
  type Sort,
  sortOrder,
  sortPositions,
} from './key-index';

export const DEFAULT_FILTERS: Filters = {
  account_id: null,
  include_subaccounts: true,
  status: null,
  flag: null,
  search: '',
};
export const DEFAULT_SORT: Sort = { column: 'created_at', direction: 'desc' };

/** An inventory as a view reads it: its keys, its accounts, and the audit's rule bits per key. */
export interface ViewSource {
  entries: IndexedKey[];
  accounts: Account[];
  ruleBits: Uint16Array;
}

/** A saved view's filters and sort (the defaults for no view). */
export function filtersAndSort(view: SavedView | null): { filters: Filters; sort: Sort } {
  if (!view) return { filters: DEFAULT_FILTERS, sort: DEFAULT_SORT };
  const { page: _page, sort, columns: _columns, ...saved } = view;
  return { filters: { ...DEFAULT_FILTERS, ...saved, flag: knownRule(view.flag) }, sort: sort ?? DEFAULT_SORT };
}

/** Any filter on: some keys are not shown. */
export const filtered = (filters: Filters): boolean =>
  filters.search.trim() !== '' || filters.status !== null || filters.flag !== null || filters.account_id !== null;

/** A saved view whose answer needs every key: it filters, or sorts other than by the default. */
export function needsEveryKey(view: SavedView | null): boolean {
  if (!view) return false;
  return filtered(view) || view.sort.column !== DEFAULT_SORT.column || view.sort.direction !== DEFAULT_SORT.direction;
}

/** The rows `filters` keep of `order` (every key in sort order). */
export const rowsOf = (source: ViewSource, order: Int32Array, filters: Filters): Int32Array =>
  filterRows(
    source.entries,
    source.ruleBits,
    order,
    filters,
    accountScope(source.accounts, filters.account_id, filters.include_subaccounts),
  );

/**
 * The view after a change of the key at `position` alone (in place: the same keys, accounts and
 * filters): that key moved in the order and in the rows, or taken out of the rows, where sorting
 * and filtering every key again would put it. `order` null: not made yet (it stays so).
 */
export function viewAfterOneKey(
  source: ViewSource,
  view: { order: Int32Array | null; rows: Int32Array },
  position: number,
  filters: Filters,
  sort: Sort,
): { order: Int32Array | null; rows: Int32Array } {
  const move = (sorted: Int32Array, keep: boolean) =>
    repositioned(source.entries, sorted, position, keep, sort, source.accounts);
  const order = view.order && move(view.order, true);
  // Nothing filtered: the rows are the order itself.
  if (order && view.rows === view.order) return { order, rows: order };
  const scope = accountScope(source.accounts, filters.account_id, filters.include_subaccounts);
  const keep = keyPasses(source.entries, source.ruleBits, position, filters, scope);
  return { order, rows: move(view.rows, keep) };
}

/**
 * The rows of a view, and the whole sort order when it was made for them. A filtered view filters
 * in inventory order and sorts the matches only (the same rows as filtering the sorted whole):
 * opening a remembered search over 100,000 keys sorts its 12,000 matches instead of every key.
 */
export function viewRows(
  source: ViewSource,
  filters: Filters,
  sort: Sort,
): { order: Int32Array | null; rows: Int32Array } {
  if (!filtered(filters)) {
    const order = sortOrder(source.entries, sort, source.accounts);
    return { order, rows: rowsOf(source, order, filters) };
  }
  const matches = rowsOf(source, Int32Array.from(source.entries.keys()), filters);
  return { order: null, rows: sortPositions(source.entries, matches, sort, source.accounts) };
}

/** A saved view from an older version may name a flag that is no audit rule. */
const knownRule = (flag: string | null): Filters['flag'] =>
  (RULES as readonly string[]).includes(flag ?? '') ? (flag as Filters['flag']) : null;
