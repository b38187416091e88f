// Every screen, light and dark: a smoke test of each, and the pictures in docs/screenshots
// (`npm run screenshots`).
import { expect, shootBothThemes, test } from './support/fixtures';
import { seedInventory } from './support/inventory';

test.use({ seed: { run: seedInventory }, viewport: { width: 1600, height: 900 } });

test('every screen renders, in both themes', async ({ app }) => {
  await expect(app.getByTestId('key-row')).toHaveCount(8);
  await shootBothThemes(app, 'keys');

  await app.getByTestId('key-row').filter({ hasText: 'Production billing worker' }).click();
  await expect(app.getByTestId('usage-chart')).toBeVisible();
  await shootBothThemes(app, 'key-details');
  await app.keyboard.press('Escape');

  await app.getByTestId('create-key').click();
  await app.getByTestId('wizard-label').fill('Test');
  await expect(app.getByTestId('vague-label-warning')).toBeVisible();
  await shootBothThemes(app, 'create-wizard-label');
  await app.getByTestId('wizard-label').fill('Production payments worker');
  for (let i = 0; i < 3; i++) await app.getByTestId('wizard-next').click();
  await app.getByTestId('wizard-create').click();
  await expect(app.getByTestId('wizard-done')).toBeVisible();
  await shootBothThemes(app, 'create-wizard-done');
  await app.getByTestId('confirm-stored').check();
  await app.getByTestId('wizard-close').click();

  const webhooks = app.getByTestId('key-row').filter({ hasText: 'Production webhooks' });
  await webhooks.getByRole('button', { name: 'Actions for Production webhooks' }).click();
  await app.getByRole('menuitem', { name: /Edit label/ }).click();
  await expect(app.getByTestId('edit-save')).toBeVisible();
  await shootBothThemes(app, 'edit-key');
  await app.keyboard.press('Escape');

  await webhooks.getByRole('button', { name: 'Actions for Production webhooks' }).click();
  await app.getByRole('menuitem', { name: 'Delete…' }).click();
  await app.getByTestId('delete-confirm-input').fill('Production web');
  await shootBothThemes(app, 'delete-key');
  await app.keyboard.press('Escape');

  await app.getByTestId('add-connection').click();
  await expect(app.getByTestId('conn-save')).toBeVisible();
  await shootBothThemes(app, 'add-connection');
  await app.keyboard.press('Escape');

  // The Audit page and Settings are shot by audit.spec.ts, on an inventory with a finding of each kind.
  await app.getByTestId('nav-audit').click();
  await expect(app.getByTestId('finding-group').first()).toBeVisible();
  await app.getByTestId('nav-settings').click();
  await expect(app.getByTestId('connections-table')).toBeVisible();
  await expect(app.getByTestId('policy-panel')).toBeVisible();
});
