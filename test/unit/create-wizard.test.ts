import { describe, expect, it } from 'vitest';
import {
  canAdvance,
  DONE,
  initialWizard,
  REVIEW,
  wizardReducer,
} from '../../src/renderer/src/features/keys/create-wizard/wizard-state';
import { suggestedExpiry } from '../../src/renderer/src/features/keys/expiry';
import { DEFAULT_AUDIT_POLICY } from '../../src/shared/audit';
import type { CreateKeyResult } from '../../src/shared/ipc/window-data';

const now = Date.parse('2026-06-01T12:00:00Z');

describe('the create wizard’s reducer', () => {
  it('advances only from a complete step', () => {
    let state = initialWizard('acc_1');
    expect(canAdvance(state, now)).toBe(false); // no label yet
    state = wizardReducer(state, { type: 'edit', patch: { label: '  ' } });
    expect(canAdvance(state, now)).toBe(false);
    state = wizardReducer(state, { type: 'edit', patch: { label: 'Billing worker' } });
    expect(canAdvance(state, now)).toBe(true);
    state = wizardReducer(state, { type: 'go', step: 2 });
    state = wizardReducer(state, { type: 'edit', patch: { preset: 'date', date: '2026-05-01' } });
    expect(canAdvance(state, now)).toBe(false); // a day in the past
    state = wizardReducer(state, { type: 'edit', patch: { date: '2026-07-01' } });
    expect(canAdvance(state, now)).toBe(true);
  });

  it('never jumps past the review, and once created stays on the last step', () => {
    let state = wizardReducer(initialWizard(null), { type: 'go', step: 9 });
    expect(state.step).toBe(REVIEW);
    const result = { key: { id: 'key_1' }, keychain: { stored: true, account: 'embedded/key_1' }, secret: null };
    state = wizardReducer(state, { type: 'created', result: result as unknown as CreateKeyResult });
    expect(state.step).toBe(DONE);
    expect(wizardReducer(state, { type: 'go', step: 0 }).step).toBe(DONE);
  });

  it('preselects the expiration the label’s environment advises, until the admin picks one', () => {
    const policy = DEFAULT_AUDIT_POLICY; // production 90, staging 180, development 365 days
    expect(suggestedExpiry('Staging CI deploys', policy, now)).toEqual({ preset: '180', date: '' });
    expect(suggestedExpiry('Payments (production)', policy, now)).toEqual({ preset: '90', date: '' });
    expect(suggestedExpiry('Billing worker', policy, now)).toBeNull();
    const custom = { ...policy, rotationDays: { ...policy.rotationDays, staging: 60 } };
    expect(suggestedExpiry('staging bot', custom, now)).toEqual({ preset: 'date', date: '2026-07-31' });

    let state = wizardReducer(initialWizard('acc_1'), { type: 'suggestExpiry', preset: '180', date: '' });
    expect(state.preset).toBe('180');
    state = wizardReducer(state, { type: 'edit', patch: { preset: '30', expiryChosen: true } });
    expect(wizardReducer(state, { type: 'suggestExpiry', preset: '365', date: '' }).preset).toBe('30');
  });

  it('opens fresh every time, on the given account', () => {
    const used = wizardReducer(initialWizard('acc_1'), { type: 'edit', patch: { label: 'Old', confirmed: true } });
    expect(wizardReducer(used, { type: 'open', accountId: 'acc_2' })).toEqual(initialWizard('acc_2'));
  });
});
