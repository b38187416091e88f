// The key table's columns: their order, which the admin may hide or resize, and the CSS grid they
// make. Every row and the header share the grid through one CSS variable on the table, so a
// resize redraws no row.
import type { ColumnLayout, ResizableColumn, TableColumn } from '../../../../shared/ipc/window-data';

export type ColumnId = TableColumn | 'flags';

// Sized so every column fits a 1280-pixel window with the account panel folded (about 1,030 px
// for the table): the label wraps to a second line rather than cut a name short, times are in
// the short form, and the flags column holds the most pressing flag and a count of the rest.
export const DATA_COLUMNS: Array<{ id: ColumnId; label: string; track: string; minPx: number }> = [
  { id: 'label', label: 'Label', track: 'minmax(190px, 2fr)', minPx: 190 },
  { id: 'partial_key', label: 'Key', track: '112px', minPx: 112 },
  { id: 'status', label: 'Status', track: '88px', minPx: 88 },
  { id: 'account', label: 'Account', track: 'minmax(110px, 1fr)', minPx: 110 },
  { id: 'created_at', label: 'Created', track: '96px', minPx: 96 },
  { id: 'last_used_at', label: 'Last used', track: '96px', minPx: 96 },
  { id: 'expires_at', label: 'Expires', track: '96px', minPx: 96 },
  { id: 'flags', label: 'Flags', track: 'minmax(150px, 1fr)', minPx: 150 },
];

export const SELECT_PX = 36;
export const MENU_PX = 44;

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
