// The window's one clock (stores/clock-store.ts): the system's time until a test sets it, and then
// what every reader of the time in the window sees (an expiry preset, a wizard's date check).
import { afterEach, describe, expect, it } from 'vitest';
import { canAdvance, initialWizard, STEPS } from '../../src/renderer/src/features/keys/create-wizard/wizard-state';
import { expiryFrom } from '../../src/renderer/src/features/keys/expiry';
import { currentTime, setTime } from '../../src/renderer/src/stores/clock-store';

afterEach(() => setTime(null));

describe('the clock', () => {
  it('reads the system clock until a time is set, then stands still there', () => {
    const before = Date.now();
    const read = currentTime();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
    const at = Date.parse('2031-03-01T12:00:00.000Z');
    setTime(at);
    expect(currentTime()).toBe(at);
    expect(currentTime()).toBe(at);
    setTime(null);
    expect(Math.abs(currentTime() - Date.now())).toBeLessThan(1000);
  });

  it('is the time the window decides by: an expiry preset, a chosen date in the past', () => {
    setTime(Date.parse('2031-03-01T12:00:00.000Z'));
    expect(expiryFrom('30', '')).toBe('2031-03-31T12:00:00.000Z');
    expect(expiryFrom('date', '2031-02-28')).toBe('invalid'); // before the set time
    expect(expiryFrom('date', '2031-03-02')).toBe('2031-03-02T23:59:59.000Z');
    const state = { ...initialWizard('acc_1'), step: STEPS.indexOf('expiration'), preset: 'date' as const };
    expect(canAdvance({ ...state, date: '2031-02-28' })).toBe(false);
    expect(canAdvance({ ...state, date: '2031-03-02' })).toBe(true);
  });
});
