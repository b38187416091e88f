// The key table: virtualized rows (only what is on screen is in the DOM), a sortable header.
import { Box, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useMemo, useRef } from 'react';
import type { TableColumn } from '../../../../shared/inventory';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { ExpiryCell, FlagBadges, StatusBadge, TimeCell } from './badges';
import { KeyRowMenu } from './KeyRowMenu';
import classes from './KeysTable.module.css';
import { flagsOf, type IndexedKey } from './key-index';

const ROW_HEIGHT = 44;
const COLUMNS: Array<{ id: TableColumn | 'flags' | 'menu'; label: string }> = [
  { id: 'label', label: 'Label' },
  { id: 'partial_key', label: 'Key' },
  { id: 'status', label: 'Status' },
  { id: 'account', label: 'Account' },
  { id: 'created_at', label: 'Created' },
  { id: 'last_used_at', label: 'Last used' },
  { id: 'expires_at', label: 'Expires' },
  { id: 'flags', label: 'Flags' },
  { id: 'menu', label: '' },
];

let firstRenderMarked = false;

export function KeysTable() {
  const { entries, rows, sort, setSort, accounts, filterAskedAt } = useInventoryStore();
  const keychainIds = useInventoryStore((state) => state.keychainIds);
  const openDetails = useUiStore((state) => state.open);
  const names = useMemo(() => new Map(accounts.map((account) => [account.id, account.name])), [accounts]);
  const scroller = useRef<HTMLDivElement>(null);
  const now = Date.now();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

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

  const sortBy = (column: TableColumn) =>
    setSort({ column, direction: sort.column === column && sort.direction === 'asc' ? 'desc' : 'asc' });

  return (
    <Box
      className={classes.table}
      role="table"
      aria-label="API keys"
      data-testid="keys-table"
      aria-rowcount={rows.length}
    >
      <div ref={scroller} className={classes.body}>
        <div className={`${classes.row} ${classes.header}`} role="row">
          {COLUMNS.map((column) =>
            column.id === 'flags' || column.id === 'menu' ? (
              <div key={column.id} role="columnheader" className={classes.cell}>
                <Text size="sm" fw={600}>
                  {column.label}
                </Text>
              </div>
            ) : (
              <div
                key={column.id}
                role="columnheader"
                className={classes.cell}
                aria-sort={sort.column === column.id ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <UnstyledButton onClick={() => sortBy(column.id as TableColumn)} data-testid={`sort-${column.id}`}>
                  <Text size="sm" fw={600}>
                    {column.label} {sort.column === column.id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                  </Text>
                </UnstyledButton>
              </div>
            ),
          )}
        </div>
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const entry = entries[rows[item.index] as number] as IndexedKey;
            const { key } = entry;
            return (
              <div
                key={key.id}
                role="row"
                tabIndex={0}
                className={`${classes.row} ${classes.dataRow}`}
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                data-testid="key-row"
                data-key-id={key.id}
                onClick={() => openDetails({ detailsKeyId: key.id })}
                onKeyDown={(event) => {
                  if (event.key === 'Enter') openDetails({ detailsKeyId: key.id });
                }}
              >
                <div role="cell" className={classes.cell}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm" fw={500} truncate>
                      {key.label}
                    </Text>
                    {keychainIds.has(key.id) && (
                      <Tooltip label="The secret is in the OS keychain">
                        <Text size="xs" c="teal" data-testid="in-keychain" aria-label="in keychain">
                          ● keychain
                        </Text>
                      </Tooltip>
                    )}
                  </Group>
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm" ff="monospace">
                    {key.partial_key}…
                  </Text>
                </div>
                <div role="cell" className={classes.cell}>
                  <StatusBadge status={key.status} />
                </div>
                <div role="cell" className={classes.cell}>
                  <Text size="sm" truncate>
                    {names.get(key.account_id) ?? key.account_id}
                  </Text>
                </div>
                <div role="cell" className={classes.cell}>
                  <TimeCell iso={key.created_at} now={now} />
                </div>
                <div role="cell" className={classes.cell}>
                  <TimeCell iso={key.last_used_at} now={now} />
                </div>
                <div role="cell" className={classes.cell}>
                  <ExpiryCell iso={key.expires_at} now={now} />
                </div>
                <div role="cell" className={classes.cell}>
                  <FlagBadges flags={flagsOf(entry)} />
                </div>
                <div role="cell" className={classes.cell}>
                  <KeyRowMenu apiKey={key} />
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
