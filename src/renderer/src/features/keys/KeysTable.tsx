// The key table: an ARIA grid (grid-navigation.ts) of virtualized rows (only what is on screen is in
// the DOM) under its header (KeysTableHeader).
import { Box } from '@mantine/core';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiKey } from '../../../../shared/domain';
import type { TableColumn } from '../../../../shared/ipc/window-data';
import type { IndexedKey } from '../../../../shared/key-index';
import { useRowWindow } from '../../lib/use-row-window';
import { useAuditStore } from '../../stores/audit-store';
import { useTime } from '../../stores/clock-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { usePolicyStore } from '../../stores/policy-store';
import { useSelectionStore } from '../../stores/selection-store';
import { useUiStore } from '../../stores/ui-store';
import { useViewStore } from '../../stores/view-store';
import { preloadRowDialogs } from './dialog-parts';
import { HEADER_ROW, KEYS_GRID_ID, useGridNavigation } from './grid-navigation';
import { KeyRowMenu, type MenuAnchor } from './KeyRowMenu';
import classes from './KeysTable.module.css';
import { KeysTableHeader } from './KeysTableHeader';
import { KeyTableRow, ROW_HEIGHT } from './KeyTableRow';
import { gridOf, visibleColumns } from './table-columns';

let firstRenderMarked = false;

const GRID_HELP_ID = 'keys-grid-help';

export function KeysTable() {
  // The rows' positions are into the view's keys (the head's rows while only they are in).
  const entries = useViewStore((state) => state.source.entries);
  const rows = useViewStore((state) => state.rows);
  const sort = useViewStore((state) => state.sort);
  const setSort = useViewStore((state) => state.setSort);
  const columns = useViewStore((state) => state.columns);
  const setColumns = useViewStore((state) => state.setColumns);
  const shown = useMemo(() => visibleColumns(columns), [columns]);
  const tracks = gridOf(columns, shown);
  const accounts = useInventoryStore((state) => state.accounts);
  const filterAskedAt = useViewStore((state) => state.filterAskedAt);
  const keychainIds = useInventoryStore((state) => state.keychainIds);
  const ruleBits = useAuditStore((state) => state.ruleBits);
  const policy = usePolicyStore((state) => state.policy);
  const open = useUiStore((state) => state.open);
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const openDetails = useCallback((key: ApiKey) => open({ detailsKeyId: key.id }), [open]);
  const openMenu = useCallback((key: ApiKey, anchor: HTMLElement) => {
    const { left, top, width, height } = anchor.getBoundingClientRect();
    preloadRowDialogs(); // what its items open
    setMenu({ key, rect: { left, top, width, height }, opener: anchor });
  }, []);
  const closeMenu = useCallback(() => setMenu(null), []);
  const names = useMemo(() => new Map(accounts.map((account) => [account.id, account.name])), [accounts]);
  const selectedIds = useSelectionStore((state) => state.ids);
  const selectKey = useCallback((key: ApiKey, on: boolean) => useSelectionStore.getState().toggle(key.id, on), []);
  const allShownSelected =
    rows.length > 0 &&
    selectedIds.size >= rows.length &&
    Array.from(rows).every((at) => selectedIds.has(entries[at]?.key.id ?? ''));
  // Stable (it reads the rows when called), so a search does not re-render the memoized header.
  const selectShown = useCallback((on: boolean) => {
    const shownRows = useViewStore.getState().rows;
    const all = useViewStore.getState().source.entries;
    useSelectionStore.getState().setMany(
      Array.from(shownRows, (at) => all[at]?.key.id ?? ''),
      on,
    );
  }, []);
  const scroller = useRef<HTMLDivElement>(null);
  // Moves once a minute: relative times stay fresh and memoized rows skip re-rendering meanwhile.
  const now = useTime(60_000);
  const { first, end, totalHeight } = useRowWindow(scroller, rows.length, ROW_HEIGHT, 5);
  // Checkbox, the shown columns, the ⋯ button.
  const grid = useGridNavigation(scroller, rows.length, shown.length + 2, ROW_HEIGHT);

  // Timings for bench:ui: first rows on screen, and each filter from request to committed rows.
  useLayoutEffect(() => {
    if (rows.length > 0 && !firstRenderMarked) {
      firstRenderMarked = true;
      performance.mark('keys-table-first-render');
    }
  }, [rows]);
  useLayoutEffect(() => {
    if (filterAskedAt !== null) performance.measure('keys-filter', { start: filterAskedAt, end: performance.now() });
  }, [filterAskedAt]);

  const sortBy = useCallback(
    (column: TableColumn) =>
      setSort({ column, direction: sort.column === column && sort.direction === 'asc' ? 'desc' : 'asc' }),
    [sort, setSort],
  );

  // The menu is the table's sibling, not its child: a table holds rows alone.
  return (
    <>
      <Box
        className={classes.table}
        style={{ '--key-columns': tracks.template, '--key-columns-min-width': `${tracks.minWidth}px` }}
        role="grid"
        aria-label="API keys"
        aria-describedby={GRID_HELP_ID}
        data-testid="keys-table"
        id={KEYS_GRID_ID}
        aria-rowcount={rows.length + 1}
        onKeyDown={grid.onKeyDown}
        onFocus={grid.onFocus}
      >
        <span id={GRID_HELP_ID} hidden>
          Arrow keys move between cells. Enter opens a key, Space ticks it, Shift+F10 opens its actions.
        </span>
        <div ref={scroller} className={classes.body}>
          <KeysTableHeader
            shown={shown}
            layout={columns}
            sort={sort}
            allShownSelected={allShownSelected}
            onSelectShown={selectShown}
            onSort={sortBy}
            onColumns={setColumns}
            activeCol={grid.active.row === HEADER_ROW ? grid.active.col : -1}
          />
          <div role="rowgroup" style={{ height: totalHeight, position: 'relative' }}>
            {/* Rows keyed by their place in the view: a search that shows other keys updates the rows
              on screen in place instead of removing them and making new ones (React's time on 21
              searches at 100,000 keys: 336 -> 243 ms). */}
            {Array.from({ length: end - first }, (_, i) => {
              const index = first + i;
              const position = rows[index] as number;
              const entry = entries[position] as IndexedKey;
              return (
                <KeyTableRow
                  key={index}
                  entry={entry}
                  rules={ruleBits[position] ?? 0}
                  policy={policy}
                  top={index * ROW_HEIGHT}
                  accountName={names.get(entry.key.account_id) ?? entry.key.account_id}
                  inKeychain={keychainIds.has(entry.key.id)}
                  now={now}
                  selected={selectedIds.has(entry.key.id)}
                  onSelect={selectKey}
                  onOpen={openDetails}
                  onMenu={openMenu}
                  columns={shown}
                  index={index}
                  activeCol={grid.active.row === index ? grid.active.col : -1}
                />
              );
            })}
          </div>
        </div>
      </Box>
      <KeyRowMenu anchor={menu} onClose={closeMenu} />
    </>
  );
}
