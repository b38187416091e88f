// Subaccounts from the account tree, on the real services: create one and a key in it, rename it,
// deactivate it (its keys then answer 403 from the real engine, their status unchanged) and
// activate it again.

import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';
import { shootBothThemes, test } from './support/fixtures';
import { showAccounts } from './support/key-rows';

const node = (app: Page, name: string) => app.getByTestId('account-node').filter({ hasText: name });
const menuOf = (app: Page, name: string) =>
  app
    .getByTestId('account-row')
    .filter({ has: node(app, name) })
    .getByTestId('account-menu');

test('creates a subaccount and a key in it, renames, deactivates and activates it', async ({ app, dataDir }) => {
  await showAccounts(app);
  await expect(node(app, 'Root account')).toBeVisible();
  await app.getByTestId('new-subaccount').click();
  await app.getByTestId('account-name-input').fill('   ');
  await expect(app.getByTestId('account-name-submit')).toBeDisabled();
  await app.getByTestId('account-name-input').fill('EU team');
  await shootBothThemes(app, 'account-create');
  await app.getByTestId('account-name-submit').click();
  await expect(node(app, 'EU team')).toBeVisible();

  // A key in the new subaccount, through the wizard.
  await node(app, 'EU team').click();
  await app.getByTestId('create-key').click();
  await app.getByTestId('wizard-label').fill('EU billing worker');
  await app.getByTestId('wizard-next').click();
  await expect(app.getByTestId('wizard-account')).toHaveValue('EU team');
  await app.getByTestId('wizard-next').click();
  await app.getByTestId('wizard-next').click();
  await app.getByTestId('wizard-create').click();
  await app.getByTestId('confirm-stored').check();
  await app.getByTestId('wizard-close').click();
  await expect(app.getByTestId('key-row').filter({ hasText: 'EU billing worker' })).toHaveCount(1);

  await menuOf(app, 'EU team').click();
  await app.getByTestId('account-rename').click();
  await app.getByTestId('account-name-input').fill('EU billing');
  await app.getByTestId('account-name-input').press('Enter');
  await expect(node(app, 'EU billing')).toBeVisible();

  await menuOf(app, 'EU billing').click();
  await app.getByTestId('account-status').click();
  await expect(app.getByTestId('account-status-consequence')).toContainText('1 key here stops working');
  await shootBothThemes(app, 'account-deactivate');
  await app.getByTestId('account-status-confirm').click();
  await expect(node(app, 'EU billing')).toContainText('inactive');

  // The real engine now refuses the account; the key keeps its status.
  const engine = openSqliteEngine(join(dataDir, 'platform.db'));
  const [eu] = await engine.listSubaccounts((await engine.ensureRootAccount()).id);
  expect(eu?.status).toBe('inactive');
  const [key] = (await engine.listKeys(eu?.id ?? '')).data;
  expect(key?.status).toBe('active');
  await engine.close();
  await expect(app.getByTestId('key-row').filter({ hasText: 'EU billing worker' })).toContainText('active');

  await menuOf(app, 'EU billing').click();
  await app.getByTestId('account-status').click();
  await app.getByTestId('account-status-confirm').click();
  await expect(node(app, 'EU billing')).not.toContainText('inactive');

  // The root account cannot be deactivated from the menu.
  await menuOf(app, 'Root account').click();
  await expect(app.getByTestId('account-status')).toBeDisabled();
});
