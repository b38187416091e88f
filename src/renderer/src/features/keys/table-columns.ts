// The key table's columns: their order, which the admin may hide or resize, and the CSS grid they
// make. Every row and the header share the grid through one CSS variable on the table, so a
// resize redraws no row.
import type { ColumnLayout, ResizableColumn, TableColumn } from '../../../../shared/ipc/window-data';

export type ColumnId = TableColumn | 'flags';

export const DATA_COLUMNS: Array<{ id: ColumnId; label: string; track: string; minPx: number }> = [
  { id: 'label', label: 'Label', track: 'minmax(200px, 2fr)', minPx: 200 },
  { id: 'partial_key', label: 'Key', track: '136px', minPx: 136 },
  { id: 'status', label: 'Status', track: '100px', minPx: 100 },
  { id: 'account', label: 'Account', track: 'minmax(130px, 1fr)', minPx: 130 },
  { id: 'created_at', label: 'Created', track: '120px', minPx: 120 },
  { id: 'last_used_at', label: 'Last used', track: '120px', minPx: 120 },
  { id: 'expires_at', label: 'Expires', track: '112px', minPx: 112 },
  { id: 'flags', label: 'Flags', track: 'minmax(236px, 1.6fr)', minPx: 236 },
];

const SELECT_PX = 36;
const MENU_PX = 44;

export const isResizable = (id: ColumnId): id is ResizableColumn => id !== 'flags';

/** The columns shown, in order. */
export function visibleColumns(layout: ColumnLayout): ColumnId[] {
  const hidden = new Set<string>(layout.hidden);
  return DATA_COLUMNS.filter((column) => !hidden.has(column.id)).map((column) => column.id);
}

/** The grid for the shown columns (checkbox first, actions last) and the width under which it scrolls. */
export function gridOf(layout: ColumnLayout, shown: ColumnId[]): { template: string; minWidth: number } {
  const tracks = [`${SELECT_PX}px`];
  let minWidth = SELECT_PX + MENU_PX;
  for (const id of shown) {
    const column = DATA_COLUMNS.find((c) => c.id === id) as (typeof DATA_COLUMNS)[number];
    const width = isResizable(id) ? layout.widths[id] : undefined;
    tracks.push(width === undefined ? column.track : `${width}px`);
    minWidth += width ?? column.minPx;
  }
  tracks.push(`${MENU_PX}px`);
  return { template: tracks.join(' '), minWidth };
}
