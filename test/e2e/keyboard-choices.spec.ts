// Every choice list of the app driven by the keyboard alone, in Chromium on the real services: the
// option the arrows land on and Enter picks is the value used, not the one shown before. (A key
// chosen for a subaccount by keyboard once landed in the root account, which reaches everything.)
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { flagsOf, row, showAccounts } from './support/key-rows';

test.use({ seed: auditSeed() });

/** Arrow down in an open list until the wanted option is the active one, then Enter. */
async function pickWithArrows(app: Page, listName: string, option: string): Promise<void> {
  const list = app.getByRole('listbox', { name: listName });
  await app.keyboard.press('ArrowDown');
  await expect(list).toBeVisible();
  const wanted = list.getByRole('option', { name: option, exact: true });
  for (let press = 0; press < 20; press++) {
    const active = await app.evaluate(() => document.activeElement?.getAttribute('aria-activedescendant') ?? '');
    if (active !== '' && active === (await wanted.getAttribute('id'))) break;
    await app.keyboard.press('ArrowDown');
  }
  await app.keyboard.press('Enter');
  await expect(list).toHaveCount(0);
}

test('the create wizard puts the key in the subaccount chosen with the arrows and Enter', async ({ app, harness }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await app.keyboard.press('n');
  await expect(app.getByTestId('wizard-label')).toBeFocused();
  await app.keyboard.type('Staging keyboard worker');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-account')).toBeFocused();
  await pickWithArrows(app, 'Account', 'Staging');
  await expect(app.getByTestId('wizard-account')).toHaveValue('Staging');
  await app.keyboard.press('Enter'); // the list is closed: Enter moves on
  // The hint says the label reads as staging, and its rotation period is what is chosen.
  await expect(app.getByTestId('wizard-rotation-hint')).toContainText('reads as staging: 180 days');
  await expect(app.getByTestId('expiry-preset').getByRole('radio', { name: '180 days' })).toBeChecked();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-review')).toContainText('Staging');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-done')).toBeVisible();

  // The platform's own answer, not the window's: the key is in Staging.
  const head = await harness.app.handlers['inventory:load']({});
  const staging = head.accounts.find((account) => account.name === 'Staging');
  const created = head.keys.find((key) => key.label === 'Staging keyboard worker');
  expect(created?.account_id).toBe(staging?.id);
  const days = (Date.parse(created?.expires_at ?? '') - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(179.9);
  expect(days).toBeLessThanOrEqual(180);
});

test('the audit’s rule filter takes the rule chosen with the arrows and Enter', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await app.getByTestId('nav-audit').focus();
  await app.keyboard.press('Enter');
  const groups = app.getByTestId('finding-group');
  await expect(groups.first()).toBeVisible();
  await app.getByTestId('filter-rule').focus();
  await pickWithArrows(app, 'Rule', 'Expiring soon');
  await expect(app.getByTestId('filter-rule')).toHaveValue('Expiring soon');
  await expect(groups).toHaveCount(2); // critical (today) and warning (5 days)
  await expect(app.getByTestId('finding')).toHaveCount(2);
});

test('a key’s environment is the one chosen with the arrows and Enter', async ({ app, harness }) => {
  const reporting = row(app, 'Reporting export').filter({ hasNotText: 'Legacy' });
  await expect(reporting).toBeVisible();
  await reporting.getByRole('gridcell').nth(1).focus(); // its label
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('key-details')).toBeVisible();
  await expect(app.getByTestId('key-finding')).toHaveCount(1); // unused
  await app.getByTestId('key-environment').focus();
  await pickWithArrows(app, 'Environment', 'production');
  await expect(app.getByTestId('key-environment')).toHaveValue('production');
  // 200 days old: past production's 90-day rotation, as the app's own store now says.
  await expect(app.getByTestId('key-finding')).toHaveCount(2);
  const head = await harness.app.handlers['inventory:load']({});
  const key = head.keys.find((k) => k.label === 'Reporting export');
  expect(head.environments?.[key?.id as string]).toBe('production');
});

test('the table’s status and flag filters (native selects) take the option chosen with the arrows', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  const status = app.getByTestId('filter-status');
  await status.focus();
  // A closed native select steps through its options with the arrows: "Any status" → "Active" → "Revoked".
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  await expect(status).toHaveValue('revoked');
  await expect(row(app, 'Legacy reporting export')).toBeVisible();
  await expect(row(app, 'Deploy bot')).toHaveCount(0);
  await app.keyboard.press('Home');
  await expect(status).toHaveValue('');
  const flag = app.getByTestId('filter-flag');
  await flag.focus();
  await app.keyboard.press('ArrowDown');
  const chosen = await flag.inputValue();
  expect(chosen).not.toBe('');
  await expect.poll(() => flagsOf(app.getByTestId('key-row'), 'rules')).toContain(chosen);
});

test('the command palette opens the entry the arrows are on, not the first one', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await app.keyboard.press('Control+k');
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('reporting export');
  const entries = app.getByRole('dialog', { name: 'Command palette' }).getByRole('button');
  await expect(entries).toHaveCount(2);
  const second = ((await entries.nth(1).locator('.mantine-Spotlight-actionLabel').textContent()) ?? '').trim();
  // The first entry is active as soon as the list shows; one arrow moves to the second.
  await expect(entries.nth(0)).toHaveAttribute('data-selected', 'true');
  await app.keyboard.press('ArrowDown');
  await expect(entries.nth(1)).toHaveAttribute('data-selected', 'true');
  await app.keyboard.down('Enter');
  await app.keyboard.up('Enter');
  await expect(app.getByTestId('key-details')).toBeVisible();
  await expect(app.getByRole('dialog', { name: second, exact: true })).toBeVisible();
});

test('the command palette offers the tree’s “New subaccount”, under the account the page shows', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await showAccounts(app);
  await app.getByTestId('account-node').filter({ hasText: 'Staging' }).click();
  await app.keyboard.press('Control+k');
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('new subaccount');
  await app.keyboard.press('Enter');
  await expect(app.getByRole('dialog', { name: 'New subaccount of “Staging”' })).toBeVisible();
  await expect(app.getByTestId('account-name-input')).toBeFocused();
});
