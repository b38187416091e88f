// @vitest-environment happy-dom
// The create wizard as a component in a DOM (happy-dom, Testing Library, Mantine), in
// milliseconds, against a main of the test's own behind window.keyhold: the label's warnings
// against the inventory's keys, Enter as each step's primary action, the key created in the
// account chosen, shown in the inventory at once and marked as kept in the keychain, and the
// wizard that will not close before the admin says the key is stored. The same journey runs in
// Chromium against the real services in test/e2e/keys.spec.ts.
import { MantineProvider } from '@mantine/core';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account, ApiKey } from '../../src/shared/domain';
import { indexKey } from '../../src/shared/key-index';
import { keyOf } from '../support/api-key';
import { answered, installBridge } from './support/bridge';

const AT = '2031-03-01T12:00:00.000Z';
const ACCOUNTS: Account[] = [
  { id: 'acc_root', parent_id: null, name: 'Root', status: 'active', created_at: AT, updated_at: AT },
  { id: 'acc_eu', parent_id: 'acc_root', name: 'EU production', status: 'active', created_at: AT, updated_at: AT },
];
const key = (hex: string, label: string, account_id: string): ApiKey => keyOf(hex, label, account_id, AT);
const EXISTING = key('0000000a', 'Billing worker', 'acc_eu');

/** What the wizard asked main to create. */
const asked: unknown[] = [];

type Modules = {
  Wizard: typeof import('../../src/renderer/src/features/keys/create-wizard/CreateKeyWizard').CreateKeyWizard;
  ui: typeof import('../../src/renderer/src/stores/ui-store').useUiStore;
  inventory: typeof import('../../src/renderer/src/stores/inventory-store').useInventoryStore;
  setTime: typeof import('../../src/renderer/src/stores/clock-store').setTime;
};
let m: Modules;

beforeAll(async () => {
  installBridge({
    keys: {
      create: (request: { account_id: string; label: string; expires_at: string | null }) => {
        asked.push(request);
        const created = { ...key('0000000f', request.label, request.account_id), expires_at: request.expires_at };
        return answered({ key: created, keychain: { stored: true, account: 'plt_1/key_0000000f' }, secret: null });
      },
    },
    on: () => () => {},
  });
  m = {
    Wizard: (await import('../../src/renderer/src/features/keys/create-wizard/CreateKeyWizard')).CreateKeyWizard,
    ui: (await import('../../src/renderer/src/stores/ui-store')).useUiStore,
    inventory: (await import('../../src/renderer/src/stores/inventory-store')).useInventoryStore,
    setTime: (await import('../../src/renderer/src/stores/clock-store')).setTime,
  };
  m.setTime(Date.parse(AT));
  m.inventory.setState({
    stage: { kind: 'complete' },
    accounts: ACCOUNTS,
    entries: [indexKey(EXISTING, Date.parse(AT))],
  });
});
afterEach(cleanup);

const byTestId = (id: string) => screen.queryByTestId(id);
const label = () => screen.getByTestId('wizard-label') as HTMLInputElement;
const enterOn = (element: Element) => fireEvent.keyDown(element, { key: 'Enter', code: 'Enter' });

describe('the create wizard', () => {
  it('warns of a vague or duplicate label, steps on Enter, and creates the key in the account chosen', async () => {
    render(h(MantineProvider, null, h(m.Wizard)));
    act(() => m.ui.getState().open({ wizardOpen: true }));
    await screen.findByText('Create a key');

    // The account's own labels decide a duplicate: none in the root account, one in EU production.
    fireEvent.change(label(), { target: { value: 'billing WORKER' } });
    expect(byTestId('duplicate-label-warning')).toBeNull();
    fireEvent.change(label(), { target: { value: 'test' } });
    expect(byTestId('vague-label-warning')).not.toBeNull();
    fireEvent.change(label(), { target: { value: 'billing WORKER' } });
    expect(byTestId('vague-label-warning')).toBeNull();

    enterOn(label());
    const account = await screen.findByTestId('wizard-account');
    // EU production, from the list: then its twin label shows the warning on this step.
    fireEvent.focus(account);
    fireEvent.keyDown(account, { key: 'ArrowDown', code: 'ArrowDown' });
    fireEvent.click(await screen.findByRole('option', { name: 'EU production', hidden: true }));
    await waitFor(() => expect(byTestId('duplicate-label-warning')).not.toBeNull());
    enterOn(account);
    await waitFor(() => expect(screen.getByTestId('wizard-next')).toBeTruthy());
    fireEvent.click(screen.getByTestId('wizard-next')); // the expiration step: its default
    const review = await screen.findByTestId('wizard-review');
    expect(review.textContent).toContain('EU production');
    enterOn(review);

    await screen.findByTestId('wizard-done');
    expect(asked).toEqual([
      { account_id: 'acc_eu', label: 'billing WORKER', expires_at: expect.stringMatching(/^2031-05-30T/) },
    ]);
    // The new key is in the inventory at once, kept in the keychain; its secret is not shown.
    const state = m.inventory.getState();
    expect(state.entries.map((entry) => entry.key.id)).toEqual(['key_0000000a', 'key_0000000f']);
    expect(state.keychainIds.has('key_0000000f')).toBe(true);
    expect(byTestId('keychain-account')?.textContent).toBe('plt_1/key_0000000f');

    // Done stays off until the admin says the key is stored.
    expect((screen.getByTestId('wizard-close') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByTestId('confirm-stored'));
    fireEvent.click(screen.getByTestId('wizard-close'));
    expect(m.ui.getState().wizardOpen).toBe(false);
  });
});
