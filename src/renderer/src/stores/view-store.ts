// What the key table shows: filters, sort, and the rows they give (positions in the inventory, in
// order). `order` follows the keys and the sort; `rows` follow the order, the filters and the
// flags. The store wiring (wiring.ts) feeds it the inventory and the audit.
// While a filter is on, a new sort or new keys sort only the filter's matches, and the whole order
// (which the next filter walks) is made when the window is idle, or when first needed: opening a
// remembered search over 100,000 keys sorted 12,000 keys instead of all of them. The keys' search
// text (key-index.ts) is made when idle too, so the first search does not wait for it.
// A saved view that needs every key opens on the first rows main answered it with (shared/key-view.ts
// works out views on both sides) and main's count, until every key is in.
import { create } from 'zustand';
import type { ColumnLayout, SavedView } from '../../../shared/ipc/window-data';
import { type Filters, type Sort, searchTextOf, sortOrder } from '../../../shared/key-index';
import {
  DEFAULT_FILTERS,
  DEFAULT_SORT,
  filtersAndSort,
  rowsOf,
  type ViewSource,
  viewAfterOneKey,
  viewRows,
} from '../../../shared/key-view';

export { DEFAULT_FILTERS, DEFAULT_SORT, type ViewSource };
export const DEFAULT_COLUMNS: ColumnLayout = { hidden: [], widths: {} };

const EMPTY = new Int32Array(0);

interface ViewStoreState {
  filters: Filters;
  sort: Sort;
  /** Hidden columns and resized widths, saved with the view. */
  columns: ColumnLayout;
  /** Every key in sort order; null until made (see above). */
  order: Int32Array | null;
  rows: Int32Array;
  /**
   * How many keys the view matches, as main counted them over every key, while the window has only
   * the view's first rows (null: `rows` are the whole answer). Any change of rows drops it.
   */
  counted: number | null;
  /** performance.now() when the current filter was asked for (the table measures its render from it). */
  filterAskedAt: number | null;
  source: ViewSource;
  /** Counts the admin's own changes of filters, sort or columns: those are saved, a restored view is not. */
  edits: number;
  setFilters(patch: Partial<Filters>): void;
  setSort(sort: Sort): void;
  setColumns(columns: ColumnLayout): void;
  /**
   * A connection's inventory opens: its saved view (or the defaults) over its keys, sorted once.
   * `counted`: the view's count from main, when the keys are only the first rows main answered it with.
   */
  open(source: ViewSource, view: SavedView | null, counted?: number | null): void;
  /** New keys or accounts: sort again; new flags only: filter again. */
  follow(source: ViewSource): void;
  /** The key at `position` changed in place (its flags too, maybe): that key's row moves alone. */
  followOne(source: ViewSource, position: number): void;
}

export const useViewStore = create<ViewStoreState>((set, get) => {
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
      if (get().source.entries !== source.entries) return; // new flags alone leave the keys as they were
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
    counted: null,
    filterAskedAt: null,
    source: { entries: [], accounts: [], ruleBits: new Uint16Array(0) },
    edits: 0,

    setFilters(patch) {
      const filterAskedAt = performance.now();
      const { source, edits } = get();
      const filters = { ...get().filters, ...patch };
      set({ filters, rows: rowsOf(source, orderNow(), filters), counted: null, filterAskedAt, edits: edits + 1 });
    },

    setSort(sort) {
      set({ sort, ...viewRows(get().source, get().filters, sort), counted: null, edits: get().edits + 1 });
      prepareWhenIdle(get().source);
    },

    setColumns(columns) {
      set({ columns, edits: get().edits + 1 });
    },

    open(source, view, counted = null) {
      const { filters, sort } = filtersAndSort(view);
      const columns = view?.columns ?? DEFAULT_COLUMNS;
      set({ source, filters, sort, columns, counted, ...viewRows(source, filters, sort) });
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
        set({ source, ...viewRows(source, filters, sort), counted: null });
        prepareWhenIdle(source);
      } else {
        // New flags: filter again, over the whole order if it is made.
        const order = get().order;
        const rows = order ? { rows: rowsOf(source, order, filters) } : viewRows(source, filters, sort);
        set({ source, ...rows, counted: null });
      }
    },

    followOne(source, position) {
      const { source: previous, order, rows, filters, sort } = get();
      if (source.entries.length !== previous.entries.length || source.accounts !== previous.accounts)
        return get().follow(source);
      set({ source, ...viewAfterOneKey(source, { order, rows }, position, filters, sort), counted: null });
      prepareWhenIdle(source);
    },
  };
});
