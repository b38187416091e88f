// The key table's rows while a filter is on: the view store sorts only the filter's matches and
// makes the whole order later. Whatever the path, the rows must be those of filtering the whole
// sorted inventory.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, useViewStore, type ViewSource } from '../../src/renderer/src/stores/view-store';
import type { Account, ApiKey } from '../../src/shared/domain';
import type { SavedView } from '../../src/shared/ipc/window-data';
import { accountScope, type Filters, filterRows, indexKey, type Sort, sortOrder } from '../../src/shared/key-index';

const at = '2026-01-01T00:00:00.000Z';
const accounts: Account[] = [0, 1, 2].map((n) => ({
  id: `acc_${n}`,
  name: `Team ${n * 5}`,
  parent_id: n === 0 ? null : 'acc_0',
  status: 'active',
  created_at: at,
  updated_at: at,
}));
const LABELS = ['Billing worker', 'billing export', 'Search indexer', 'Staging deploy', 'Webhooks'];

function inventory(count: number): ViewSource {
  const keys: ApiKey[] = Array.from({ length: count }, (_, i) => ({
    id: `key_${((i * 7919) % 100_003).toString(36).padStart(6, '0')}`,
    account_id: `acc_${i % 3}`,
    label: `${LABELS[i % 5]} ${i % 37}`,
    partial_key: `sk-${(i * 2654435761).toString(16).padStart(8, '0').slice(-8)}`,
    status: i % 7 === 0 ? 'revoked' : 'active',
    created_at: new Date(Date.parse(at) + (i % 50) * 60_000).toISOString(),
    updated_at: at,
    last_used_at: i % 4 === 0 ? null : new Date(Date.parse(at) + (i % 13) * 3_600_000).toISOString(),
    expires_at: i % 3 === 0 ? null : '2030-01-01T00:00:00.000Z',
    revoked_at: null,
    deletes_at: null,
  }));
  const entries = keys.map((each) => indexKey(each, Date.parse(at)));
  const ruleBits = Uint16Array.from(entries.keys(), (i) => (i % 5 === 0 ? 1 : 0) | (i % 11 === 0 ? 2 : 0));
  return { entries, accounts, ruleBits };
}

/** The rows as the whole sorted inventory, filtered, gives them. */
const expected = (source: ViewSource, filters: Filters, sort: Sort) =>
  Array.from(
    filterRows(
      source.entries,
      source.ruleBits,
      sortOrder(source.entries, sort, source.accounts),
      filters,
      accountScope(source.accounts, filters.account_id, filters.include_subaccounts),
    ),
  );

const view = (filters: Partial<Filters>, sort: Sort): SavedView => ({
  page: 'keys',
  ...DEFAULT_FILTERS,
  ...filters,
  sort,
});

const SORTS: Sort[] = [
  { column: 'label', direction: 'asc' },
  { column: 'label', direction: 'desc' },
  { column: 'account', direction: 'asc' },
  { column: 'last_used_at', direction: 'desc' },
  { column: 'status', direction: 'asc' },
];
const FILTERS: Array<Partial<Filters>> = [
  { search: 'billing 3' },
  { status: 'revoked' },
  { account_id: 'acc_1', include_subaccounts: false },
  { account_id: 'acc_0' },
  { search: 'sk-' },
  {},
];

describe('view store rows', () => {
  const source = inventory(2_000);

  it('opens a filtered view on the rows of the whole sorted inventory, filtered', () => {
    for (const sort of SORTS) {
      for (const filters of FILTERS) {
        useViewStore.getState().open(source, view(filters, sort));
        const state = useViewStore.getState();
        expect(Array.from(state.rows), JSON.stringify({ sort, filters })).toEqual(
          expected(source, state.filters, sort),
        );
      }
    }
  });

  it('keeps them true through a new filter, new flags and a new sort made before the whole order', () => {
    useViewStore.getState().open(source, view({ search: 'worker' }, SORTS[0] as Sort));
    expect(useViewStore.getState().order).toBeNull();
    useViewStore.getState().setFilters({ search: 'worker 2' });
    expect(useViewStore.getState().order).not.toBeNull();
    expect(Array.from(useViewStore.getState().rows)).toEqual(
      expected(source, useViewStore.getState().filters, SORTS[0] as Sort),
    );

    useViewStore.getState().open(source, view({ flag: 'unused' }, SORTS[3] as Sort));
    const flagged = { ...source, ruleBits: source.ruleBits.map((bits, i) => (i % 2 === 0 ? bits : 0)) };
    useViewStore.getState().follow(flagged);
    expect(Array.from(useViewStore.getState().rows)).toEqual(
      expected(flagged, useViewStore.getState().filters, SORTS[3] as Sort),
    );

    useViewStore.getState().setSort(SORTS[2] as Sort);
    expect(Array.from(useViewStore.getState().rows)).toEqual(
      expected(flagged, useViewStore.getState().filters, SORTS[2] as Sort),
    );
  });

  it('makes the whole order when the window is idle, even when new flags arrived after it was asked for', () => {
    const idle: Array<() => void> = [];
    const scope = globalThis as { requestIdleCallback?: unknown; cancelIdleCallback?: unknown };
    scope.requestIdleCallback = (callback: () => void) => idle.push(callback);
    scope.cancelIdleCallback = () => {};
    try {
      useViewStore.getState().open(source, view({ search: 'worker' }, SORTS[0] as Sort));
      expect(useViewStore.getState().order).toBeNull();
      // The audit's flags arrive a moment after the keys (wiring.ts): a new source, the same keys.
      useViewStore.getState().follow({ ...source, ruleBits: source.ruleBits.map((bits) => bits | 4) });
      for (const callback of idle.splice(0)) callback();
      expect(Array.from(useViewStore.getState().order ?? [])).toEqual(
        Array.from(sortOrder(source.entries, SORTS[0] as Sort, source.accounts)),
      );
    } finally {
      delete scope.requestIdleCallback;
      delete scope.cancelIdleCallback;
    }
  });
});
