// axe-core on every page and dialog, in both themes, on the real services: no critical and no
// serious finding, and no moderate one either (landmarks, headings, names). A new screen or
// dialog gets its line here.
import { axeFindings } from './support/axe';
import { expect, test } from './support/fixtures';
import { seedInventory } from './support/inventory';
import { keyMenu, row, showAccounts } from './support/key-rows';

test.use({ seed: { run: seedInventory } });

test('every page and dialog has no critical, serious or moderate accessibility finding, light and dark', async ({
  app,
}) => {
  test.setTimeout(180_000);
  const found: string[] = [];
  const scan = async (where: string) => found.push(...(await axeFindings(app, where, 'moderate')));
  // A dialog's state, once it is open.
  const scanDialog = async (where: string) => {
    await expect(app.getByRole('dialog').last()).toBeVisible();
    await scan(where);
  };
  const closeDialog = async () => {
    await app.keyboard.press('Escape');
    await expect(app.locator('.mantine-Modal-content, .mantine-Drawer-content')).toHaveCount(0);
  };

  await expect(row(app, 'Production billing worker')).toBeVisible();
  await scan('keys page');
  await app.keyboard.press('Shift+?');
  await expect(app.getByTestId('shortcuts-panel')).toBeVisible();
  await scan('shortcuts panel');
  await closeDialog();
  await app.keyboard.press('Control+k');
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('production');
  await expect(app.getByTestId('palette-key').first()).toBeVisible();
  await scan('command palette');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('palette-search')).toHaveCount(0);

  await app.getByTestId('create-key').click();
  await scanDialog('create wizard: label');
  await app.getByTestId('wizard-label').fill('Production webhooks 2');
  await app.getByTestId('wizard-next').click();
  await expect(app.getByTestId('wizard-account')).toBeVisible();
  await scan('create wizard: account');
  await app.getByTestId('wizard-next').click();
  await expect(app.getByTestId('wizard-rotation-hint')).toBeVisible();
  await scan('create wizard: expiration');
  await app.getByTestId('wizard-next').click();
  await expect(app.getByTestId('wizard-review')).toBeVisible();
  await scan('create wizard: review');
  await app.getByTestId('wizard-create').click();
  await expect(app.getByTestId('wizard-done')).toBeVisible();
  await scan('create wizard: done');
  await app.getByTestId('confirm-stored').check();
  await app.getByTestId('wizard-close').click();

  await row(app, 'Production billing worker').click();
  await expect(app.getByTestId('usage-chart')).toBeVisible();
  await scan('key details');
  await closeDialog();
  await keyMenu(app, 'Production billing worker', 'Edit label or expiration…');
  await scanDialog('edit key');
  await closeDialog();
  await keyMenu(app, 'Production billing worker', 'Revoke…');
  await scanDialog('revoke key');
  await closeDialog();
  await keyMenu(app, 'Production billing worker', 'Delete…');
  await scanDialog('delete key');
  await closeDialog();
  await keyMenu(app, 'Production billing worker', 'Extend expiration…');
  await scanDialog('extend key');
  await closeDialog();
  await row(app, 'Production billing worker').getByTestId('row-select').check();
  await app.getByTestId('bulk-revoke').click();
  await scanDialog('bulk dry run');
  await closeDialog();
  await app.getByTestId('bulk-clear').click();

  await showAccounts(app);
  await app.getByTestId('new-subaccount').click();
  await scanDialog('new subaccount');
  await closeDialog();
  await app.getByTestId('account-node').filter({ hasText: 'Staging' }).click();
  await app.getByTestId('account-row').filter({ hasText: 'Staging' }).getByTestId('account-menu').click();
  await app.getByTestId('account-status').click();
  await scanDialog('deactivate account');
  await closeDialog();
  await app.getByTestId('account-row').filter({ hasText: 'Staging' }).getByTestId('account-menu').click();
  await app.getByTestId('account-rename').click();
  await scanDialog('rename account');
  await closeDialog();

  await keyMenu(app, 'Staging CI deploys', 'Rotate…');
  await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
  await scan('rotation');
  await closeDialog();
  await keyMenu(app, 'Staging load tests', 'Compromised…');
  await expect(app.getByTestId('workflow-step-revoke')).toBeVisible();
  await scan('compromised key');
  await closeDialog();

  await app.getByTestId('nav-audit').click();
  await expect(app.getByTestId('audit-page')).toBeVisible();
  await scan('audit page');
  await app.getByTestId('export').click();
  await expect(app.getByTestId('export-csv')).toBeVisible();
  await scan('audit export menu');
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('export-csv')).toHaveCount(0);
  await app.getByTestId('nav-rotations').click();
  await expect(app.getByTestId('workflows-table')).toBeVisible();
  await scan('rotations page');
  // The results of a scan are checked in scan.spec.ts, on a prepared folder.
  await app.getByTestId('nav-scan').click();
  await expect(app.getByTestId('scan-folders')).toBeVisible();
  await scan('leak scan page');
  await app.getByTestId('nav-settings').click();
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await scan('settings page');
  await app
    .getByRole('button', { name: /add a remote platform|add connection/i })
    .first()
    .click();
  await scanDialog('add connection');
  await closeDialog();

  expect(found).toEqual([]);
});
