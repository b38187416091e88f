// What the key table shows: filters, sort, and the rows they give (positions in the inventory, in
// order). `order` follows the keys and the sort; `rows` follow the order, the filters and the
// flags. The store wiring (wiring.ts) feeds it the inventory and the audit.
// While a filter is on, a new sort or new keys sort only the filter's matches, and the whole order
// (which the next filter walks) is made when the window is idle, or when first needed: opening a
// remembered search over 100,000 keys sorted 12,000 keys instead of all of them. The keys' search
// text (key-index.ts) is made when idle too, so the first search does not wait for it.
import { create } from 'zustand';
import { RULES } from '../../../shared/audit';
import type { Account } from '../../../shared/domain';
import type { ColumnLayout, SavedView } from '../../../shared/ipc/window-data';
import {
  accountScope,
  type Filters,
  filterRows,
  type IndexedKey,
  type Sort,
  searchTextOf,
  sortOrder,
  sortPositions,
} from '../features/keys/key-index';

export const DEFAULT_FILTERS: Filters = {
  account_id: null,
  include_subaccounts: true,
  status: null,
  flag: null,
  search: '',
};
export const DEFAULT_SORT: Sort = { column: 'created_at', direction: 'desc' };
export const DEFAULT_COLUMNS: ColumnLayout = { hidden: [], widths: {} };

const EMPTY = new Int32Array(0);

export interface ViewSource {
  entries: IndexedKey[];
  accounts: Account[];
  ruleBits: Uint16Array;
}

interface ViewStoreState {
  filters: Filters;
  sort: Sort;
  /** Hidden columns and resized widths, saved with the view. */
  columns: ColumnLayout;
  /** Every key in sort order; null until made (see above). */
  order: Int32Array | null;
  rows: Int32Array;
  /** performance.now() when the current filter was asked for (the table measures its render from it). */
  filterAskedAt: number | null;
  source: ViewSource;
  /** Counts the admin's own changes of filters, sort or columns: those are saved, a restored view is not. */
  edits: number;
  setFilters(patch: Partial<Filters>): void;
  setSort(sort: Sort): void;
  setColumns(columns: ColumnLayout): void;
  /** A connection's inventory opens: its saved view (or the defaults) over its keys, sorted once. */
  open(source: ViewSource, view: SavedView | null): void;
  /** New keys or accounts: sort again; new flags only: filter again. */
  follow(source: ViewSource): void;
}

export const useViewStore = create<ViewStoreState>((set, get) => {
  const rowsOf = (source: ViewSource, order: Int32Array, filters: Filters) =>
    filterRows(
      source.entries,
      source.ruleBits,
      order,
      filters,
      accountScope(source.accounts, filters.account_id, filters.include_subaccounts),
    );
  const resort = (source: ViewSource, sort: Sort, filters: Filters) => {
    if (!filtered(filters)) {
      const order = sortOrder(source.entries, sort, source.accounts);
      return { order, rows: rowsOf(source, order, filters) };
    }
    // Filter in inventory order, sort the matches: the same rows as filtering the sorted whole.
    const matches = rowsOf(source, Int32Array.from(source.entries.keys()), filters);
    return { order: null, rows: sortPositions(source.entries, matches, sort, source.accounts) };
  };
  /** The whole order, made now if it has not been. */
  const orderNow = (): Int32Array => {
    const { order, source, sort } = get();
    if (order) return order;
    const made = sortOrder(source.entries, sort, source.accounts);
    set({ order: made });
    return made;
  };
  let idle: number | undefined;
  /** The whole order (when not made) and the search text of the keys, made when the window is idle. */
  const prepareWhenIdle = (source: ViewSource) => {
    if (typeof requestIdleCallback !== 'function') return; // made when first needed
    if (idle !== undefined) cancelIdleCallback(idle);
    idle = requestIdleCallback(() => {
      idle = undefined;
      if (get().source !== source) return;
      orderNow();
      searchTextOf(source.entries);
    });
  };

  return {
    filters: DEFAULT_FILTERS,
    sort: DEFAULT_SORT,
    columns: DEFAULT_COLUMNS,
    order: EMPTY,
    rows: EMPTY,
    filterAskedAt: null,
    source: { entries: [], accounts: [], ruleBits: new Uint16Array(0) },
    edits: 0,

    setFilters(patch) {
      const filterAskedAt = performance.now();
      const { source, edits } = get();
      const filters = { ...get().filters, ...patch };
      set({ filters, rows: rowsOf(source, orderNow(), filters), filterAskedAt, edits: edits + 1 });
    },

    setSort(sort) {
      set({ sort, ...resort(get().source, sort, get().filters), edits: get().edits + 1 });
      prepareWhenIdle(get().source);
    },

    setColumns(columns) {
      set({ columns, edits: get().edits + 1 });
    },

    open(source, view) {
      const { page: _page, sort: savedSort, columns, ...saved } = view ?? { page: null, sort: DEFAULT_SORT };
      const filters: Filters = view ? { ...DEFAULT_FILTERS, ...saved, flag: knownRule(view.flag) } : DEFAULT_FILTERS;
      const sort = savedSort ?? DEFAULT_SORT;
      set({ source, filters, sort, columns: columns ?? DEFAULT_COLUMNS, ...resort(source, sort, filters) });
      prepareWhenIdle(source);
    },

    follow(source) {
      const previous = get().source;
      const { sort, filters } = get();
      if (
        source.ruleBits === previous.ruleBits &&
        source.entries === previous.entries &&
        source.accounts === previous.accounts
      )
        return;
      if (source.entries !== previous.entries || source.accounts !== previous.accounts) {
        set({ source, ...resort(source, sort, filters) });
        prepareWhenIdle(source);
      } else {
        // New flags: filter again, over the whole order if it is made.
        const order = get().order;
        set({ source, ...(order ? { rows: rowsOf(source, order, filters) } : resort(source, sort, filters)) });
      }
    },
  };
});

/** Any filter on: some keys are not shown. */
const filtered = (filters: Filters): boolean =>
  filters.search.trim() !== '' || filters.status !== null || filters.flag !== null || filters.account_id !== null;

/** A saved view whose answer needs every key: it filters, or sorts other than by the default. */
export function needsEveryKey(view: SavedView | null): boolean {
  if (!view) return false;
  return filtered(view) || view.sort.column !== DEFAULT_SORT.column || view.sort.direction !== DEFAULT_SORT.direction;
}

/** A saved view from an older version may name a flag that is no audit rule. */
const knownRule = (flag: string | null): Filters['flag'] =>
  (RULES as readonly string[]).includes(flag ?? '') ? (flag as Filters['flag']) : null;
