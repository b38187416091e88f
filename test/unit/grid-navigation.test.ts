// The key table's arrow keys (features/keys/grid-navigation.ts): where each key moves the active
// cell, with the header as row -1 and the edges holding.
import { describe, expect, it } from 'vitest';
import { clampPosition, HEADER_ROW, moveInGrid } from '../../src/renderer/src/features/keys/grid-navigation';

const size = { rows: 50, cols: 10, pageRows: 12 };
const press = (key: string, at: { row: number; col: number }, mods: Partial<KeyboardEvent> = {}) =>
  moveInGrid({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods }, at, size);

describe('moveInGrid', () => {
  it('moves a cell at a time and stops at the edges, the header above the first row', () => {
    expect(press('ArrowDown', { row: 0, col: 3 })).toEqual({ row: 1, col: 3 });
    expect(press('ArrowUp', { row: 0, col: 3 })).toEqual({ row: HEADER_ROW, col: 3 });
    expect(press('ArrowUp', { row: HEADER_ROW, col: 3 })).toEqual({ row: HEADER_ROW, col: 3 });
    expect(press('ArrowDown', { row: 49, col: 3 })).toEqual({ row: 49, col: 3 });
    expect(press('ArrowRight', { row: 4, col: 9 })).toEqual({ row: 4, col: 9 });
    expect(press('ArrowLeft', { row: 4, col: 0 })).toEqual({ row: 4, col: 0 });
    expect(press('ArrowRight', { row: 4, col: 2 })).toEqual({ row: 4, col: 3 });
  });

  it('jumps: Home and End in the row, with Ctrl to the first and last key, a page with PgUp and PgDn', () => {
    expect(press('Home', { row: 7, col: 5 })).toEqual({ row: 7, col: 0 });
    expect(press('End', { row: 7, col: 5 })).toEqual({ row: 7, col: 9 });
    expect(press('Home', { row: 7, col: 5 }, { ctrlKey: true })).toEqual({ row: 0, col: 0 });
    expect(press('End', { row: 7, col: 5 }, { metaKey: true })).toEqual({ row: 49, col: 9 });
    expect(press('PageDown', { row: 7, col: 5 })).toEqual({ row: 19, col: 5 });
    expect(press('PageDown', { row: HEADER_ROW, col: 5 })).toEqual({ row: 12, col: 5 });
    expect(press('PageDown', { row: 45, col: 5 })).toEqual({ row: 49, col: 5 });
    expect(press('PageUp', { row: 7, col: 5 })).toEqual({ row: HEADER_ROW, col: 5 });
  });

  it('leaves other keys, and Shift or Alt with an arrow (a column resize, the OS), alone', () => {
    for (const key of ['Enter', ' ', 'Tab', 'a', 'F10']) expect(press(key, { row: 3, col: 3 })).toBeNull();
    expect(press('ArrowRight', { row: HEADER_ROW, col: 3 }, { shiftKey: true })).toBeNull();
    expect(press('ArrowDown', { row: 3, col: 3 }, { altKey: true })).toBeNull();
  });

  it('keeps an empty grid on its header', () => {
    const empty = { rows: 0, cols: 10, pageRows: 12 };
    const keys = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
    expect(moveInGrid({ key: 'ArrowDown', ...keys }, { row: HEADER_ROW, col: 1 }, empty)).toEqual({
      row: HEADER_ROW,
      col: 1,
    });
    expect(moveInGrid({ key: 'Home', ...keys, ctrlKey: true }, { row: HEADER_ROW, col: 4 }, empty)).toEqual({
      row: HEADER_ROW,
      col: 0,
    });
  });
});

describe('clampPosition', () => {
  it('keeps the active cell inside a grid that shrank (a search, a hidden column)', () => {
    expect(clampPosition({ row: 40, col: 9 }, 3, 6)).toEqual({ row: 2, col: 5 });
    expect(clampPosition({ row: 2, col: 1 }, 0, 6)).toEqual({ row: HEADER_ROW, col: 1 });
  });
});
