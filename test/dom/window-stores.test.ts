// @vitest-environment happy-dom
// The window's stores in a DOM (happy-dom, Testing Library), in milliseconds: a dialog asked for on
// a keydown opens once that key is up (one press, one action), and the one clock moves a
// component only once per its step.
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { setTime, useTime } from '../../src/renderer/src/stores/clock-store';
import { anyDialogOpen, useUiStore } from '../../src/renderer/src/stores/ui-store';

const key = (type: 'keydown' | 'keyup', init: KeyboardEventInit) => window.dispatchEvent(new KeyboardEvent(type, init));

afterEach(() => {
  cleanup();
  setTime(null);
  useUiStore.getState().close('wizard');
  useUiStore.getState().close('details');
});

describe('ui-store', () => {
  it('opens a dialog asked for on a keydown once that key is released, not before', () => {
    key('keydown', { key: 'n', code: 'KeyN' });
    useUiStore.getState().open({ wizardOpen: true });
    expect(useUiStore.getState().wizardOpen).toBe(false);
    expect(anyDialogOpen(useUiStore.getState())).toBe(false);
    key('keyup', { key: 'n', code: 'KeyN' });
    expect(useUiStore.getState().wizardOpen).toBe(true);
    expect(anyDialogOpen(useUiStore.getState())).toBe(true);
    useUiStore.getState().close('wizard');
    expect(useUiStore.getState().wizardOpen).toBe(false);
  });

  it('opens at once with only a modifier held, and when the window loses the keys (blur)', () => {
    key('keydown', { key: 'Shift', code: 'ShiftLeft' });
    useUiStore.getState().open({ detailsKeyId: 'key_1' });
    expect(useUiStore.getState().detailsKeyId).toBe('key_1');
    key('keyup', { key: 'Shift', code: 'ShiftLeft' });
    useUiStore.getState().close('details');

    key('keydown', { key: 'Enter', code: 'Enter' });
    useUiStore.getState().open({ detailsKeyId: 'key_2' });
    expect(useUiStore.getState().detailsKeyId).toBeNull();
    window.dispatchEvent(new Event('blur')); // released in another window
    expect(useUiStore.getState().detailsKeyId).toBe('key_2');
  });
});

describe('the clock', () => {
  it('moves a component once per step: a minute for the table, a second for a countdown', () => {
    const start = Date.parse('2031-03-01T12:00:00.000Z');
    setTime(start + 5_000);
    let renders = 0;
    const minute = renderHook(() => {
      renders++;
      return useTime(60_000);
    });
    const second = renderHook(() => useTime(1000));
    expect(minute.result.current).toBe(start);
    expect(second.result.current).toBe(start + 5_000);
    const before = renders;
    act(() => setTime(start + 30_000)); // the same minute
    expect(minute.result.current).toBe(start);
    expect(renders).toBe(before); // not redrawn
    expect(second.result.current).toBe(start + 30_000);
    act(() => setTime(start + 61_000));
    expect(minute.result.current).toBe(start + 60_000);
    expect(renders).toBe(before + 1);
  });
});
