// The key table as an ARIA grid (WAI-ARIA APG "Data Grid"): one Tab stop, the arrow keys move
// between cells, the header row included. Only the active cell's focusable element (its checkbox,
// sort button, ⋯ button, or the cell itself) has tabIndex 0; the rows are virtual, so the active
// cell is a position (row in the view, -1 for the header; column) and is focused once it is drawn.
import { type RefObject, useCallback, useLayoutEffect, useRef, useState } from 'react';

export interface GridPosition {
  /** The row's place in the view; HEADER_ROW for the header. */
  row: number;
  col: number;
}

export const HEADER_ROW = -1;
/** The grid's id: the window's skip link leads to it. */
export const KEYS_GRID_ID = 'keys-grid';

/** Where a key moves the active cell, or null for a key the grid leaves alone. */
export function moveInGrid(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  at: GridPosition,
  size: { rows: number; cols: number; pageRows: number },
): GridPosition | null {
  if (event.altKey || event.shiftKey) return null; // Shift+arrows resize a column (header), Alt is the OS's
  const lastRow = size.rows - 1;
  const lastCol = size.cols - 1;
  const row = (to: number) => ({ row: Math.max(HEADER_ROW, Math.min(lastRow, to)), col: at.col });
  const col = (to: number) => ({ row: at.row, col: Math.max(0, Math.min(lastCol, to)) });
  const jump = event.ctrlKey || event.metaKey;
  switch (event.key) {
    case 'ArrowDown':
      return row(at.row + 1);
    case 'ArrowUp':
      return row(at.row - 1);
    case 'ArrowRight':
      return col(at.col + 1);
    case 'ArrowLeft':
      return col(at.col - 1);
    case 'PageDown':
      return row(Math.max(at.row, 0) + size.pageRows);
    case 'PageUp':
      return row(at.row - size.pageRows);
    case 'Home':
      return jump ? { row: Math.min(0, lastRow), col: 0 } : col(0);
    case 'End':
      return jump ? { row: lastRow, col: lastCol } : col(lastCol);
    default:
      return null;
  }
}

/** The active cell kept inside a grid that changes size (a search, a hidden column). */
export const clampPosition = (at: GridPosition, rows: number, cols: number): GridPosition => ({
  row: Math.max(HEADER_ROW, Math.min(rows - 1, at.row)),
  col: Math.max(0, Math.min(cols - 1, at.col)),
});

/**
 * The grid's keyboard: the active cell, a keydown handler for the grid, a focus handler that
 * follows the focus wherever it lands (a click, a dialog giving it back), and the scrolling that
 * brings a row into the drawn window before it is focused.
 */
export function useGridNavigation(
  scroller: RefObject<HTMLElement | null>,
  rows: number,
  cols: number,
  rowHeight: number,
) {
  const [stored, setActive] = useState<GridPosition>({ row: 0, col: 1 });
  const active = clampPosition(stored, rows, cols);
  const focusWanted = useRef(false);

  // After each render: the cell asked for, once it is drawn.
  useLayoutEffect(() => {
    if (!focusWanted.current) return;
    const target = scroller.current?.querySelector<HTMLElement>(
      `[data-grid-row="${active.row}"] [data-grid-col="${active.col}"]`,
    );
    if (target) {
      focusWanted.current = false;
      target.focus();
    }
  });

  const onKeyDown = useCallback(
    (event: React.KeyboardEvent) => {
      const element = scroller.current;
      if (!element || event.defaultPrevented) return;
      const headerPx = element.querySelector('[data-grid-row="-1"]')?.getBoundingClientRect().height ?? 0;
      const pageRows = Math.max(1, Math.floor((element.clientHeight - headerPx) / rowHeight) - 1);
      const next = moveInGrid(event, active, { rows, cols, pageRows });
      if (!next) return;
      event.preventDefault();
      if (next.row >= 0) {
        // Into the drawn window first: a virtual row far off is not in the page yet.
        const top = next.row * rowHeight;
        const visible = element.clientHeight - headerPx;
        if (top < element.scrollTop) element.scrollTop = top;
        else if (top + rowHeight > element.scrollTop + visible) element.scrollTop = top + rowHeight - visible;
      }
      focusWanted.current = true;
      setActive(next);
    },
    [active, rows, cols, rowHeight, scroller],
  );

  const onFocus = useCallback((event: React.FocusEvent) => {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-grid-row]')?.dataset.gridRow;
    const col = target.closest<HTMLElement>('[data-grid-col]')?.dataset.gridCol;
    if (row === undefined || col === undefined) return;
    setActive((last) =>
      last.row === Number(row) && last.col === Number(col) ? last : { row: Number(row), col: Number(col) },
    );
  }, []);

  return { active, onKeyDown, onFocus };
}
