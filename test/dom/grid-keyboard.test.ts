// @vitest-environment happy-dom
// The key table's keyboard model in a DOM (happy-dom, Testing Library), in milliseconds: one Tab
// stop that the arrows move, the header as the first row, the focus following a click, and the
// focus given to a row that is only drawn after the move. The table itself, with its stores and
// Mantine, is driven in Chromium by test/e2e/keyboard.spec.ts.
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { createElement as h, useRef, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADER_ROW, useGridNavigation } from '../../src/renderer/src/features/keys/grid-navigation';

const ROW_PX = 44;
const COLS = 3;

/** A grid of `rows` rows (and a header) of which only those from `drawnFrom` on are in the DOM. */
function Grid({ rows, drawnFrom = 0 }: { rows: number; drawnFrom?: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useGridNavigation(scroller, rows, COLS, ROW_PX);
  const cells = (row: number) =>
    Array.from({ length: COLS }, (_, col) =>
      h('div', {
        key: col,
        role: 'gridcell',
        'data-grid-col': col,
        'data-testid': `cell-${row}-${col}`,
        tabIndex: grid.active.row === row && grid.active.col === col ? 0 : -1,
      }),
    );
  const drawn = Array.from({ length: rows }, (_, row) => row).filter((row) => row >= drawnFrom);
  return h(
    'div',
    { role: 'grid', onKeyDown: grid.onKeyDown, onFocus: grid.onFocus },
    h(
      'div',
      { ref: scroller },
      h('div', { role: 'row', 'data-grid-row': HEADER_ROW }, cells(HEADER_ROW)),
      ...drawn.map((row) => h('div', { key: row, role: 'row', 'data-grid-row': row }, cells(row))),
    ),
  );
}

/** Draws more rows when asked: as the table does once it has scrolled. */
function GrowingGrid() {
  const [drawnFrom, setDrawnFrom] = useState(40);
  (globalThis as { drawAll?: () => void }).drawAll = () => setDrawnFrom(0);
  return h(Grid, { rows: 50, drawnFrom });
}

const tabStops = (container: HTMLElement) =>
  Array.from(container.querySelectorAll('[tabindex="0"]')).map((cell) => cell.getAttribute('data-testid'));
const focused = () => document.activeElement?.getAttribute('data-testid');

afterEach(cleanup);

describe('the key table as a grid', () => {
  it('has one Tab stop, moved by the arrows, Home and End, with the header above the first row', () => {
    const { container, getByTestId } = render(h(Grid, { rows: 5 }));
    expect(tabStops(container)).toEqual(['cell-0-1']); // the label of the first key
    getByTestId('cell-0-1').focus();
    const press = (key: string, options: Partial<KeyboardEventInit> = {}) =>
      fireEvent.keyDown(document.activeElement as Element, { key, ...options });
    press('ArrowDown');
    expect(focused()).toBe('cell-1-1');
    press('End');
    expect(focused()).toBe('cell-1-2');
    press('ArrowUp');
    press('ArrowUp');
    expect(focused()).toBe('cell--1-2'); // the header
    press('ArrowUp'); // stays
    expect(focused()).toBe('cell--1-2');
    press('End', { ctrlKey: true });
    expect(focused()).toBe('cell-4-2');
    press('Home', { ctrlKey: true });
    expect(focused()).toBe('cell-0-0');
    expect(tabStops(container)).toEqual(['cell-0-0']);
  });

  it('leaves Shift with an arrow and other keys to the cell (a column resize, Enter, Space)', () => {
    const { getByTestId } = render(h(Grid, { rows: 5 }));
    getByTestId('cell-0-1').focus();
    for (const [key, shiftKey] of [
      ['ArrowRight', true],
      ['Enter', false],
      [' ', false],
    ] as const) {
      const unhandled = fireEvent.keyDown(document.activeElement as Element, { key, shiftKey });
      expect(unhandled).toBe(true); // not prevented: the cell's own handler decides
      expect(focused()).toBe('cell-0-1');
    }
  });

  it('follows the focus wherever it lands: a click, a dialog giving it back', () => {
    const { container, getByTestId } = render(h(Grid, { rows: 5 }));
    act(() => getByTestId('cell-3-2').focus());
    expect(tabStops(container)).toEqual(['cell-3-2']);
    fireEvent.keyDown(getByTestId('cell-3-2'), { key: 'ArrowLeft' });
    expect(focused()).toBe('cell-3-1');
  });

  it('keeps the Tab stop inside a grid that shrank, and focuses a row once it is drawn', () => {
    const { container, rerender, getByTestId } = render(h(Grid, { rows: 5 }));
    act(() => getByTestId('cell-4-2').focus());
    rerender(h(Grid, { rows: 2 }));
    expect(tabStops(container)).toEqual(['cell-1-2']);

    cleanup();
    const growing = render(h(GrowingGrid));
    act(() => growing.getByTestId('cell-45-1').focus());
    fireEvent.keyDown(growing.getByTestId('cell-45-1'), { key: 'Home', ctrlKey: true });
    expect(focused()).toBe('cell-45-1'); // the first key's row is not drawn yet
    act(() => (globalThis as { drawAll?: () => void }).drawAll?.());
    expect(focused()).toBe('cell-0-0'); // focused as soon as it is
  });
});
