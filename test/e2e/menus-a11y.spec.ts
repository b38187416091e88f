// The menus the other specs open only to pick from, scanned open with axe-core in both themes: a
// row's actions (an active key's and a revoked one's, with their coloured items) and an account's.
// The row menu used to sit inside the table (a table may hold rows alone) and its coloured items
// read at 2.6:1 (orange) and 3.3:1 (red).
import { axeFindings } from './support/axe';
import { expect, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { row, showAccounts } from './support/key-rows';

test.use({ seed: auditSeed() });

test('a row’s actions menu, for an active and a revoked key, and an account’s menu: no critical, serious or moderate finding', async ({
  app,
}) => {
  for (const label of ['Production webhooks', 'Legacy reporting export']) {
    await row(app, label)
      .getByRole('button', { name: `Actions for ${label}` })
      .click();
    const menu = app.getByRole('menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem', { name: 'Delete…' })).toBeVisible();
    expect(await axeFindings(app, `the actions menu of “${label}”`, 'moderate')).toEqual([]);
    await app.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    // The focus goes back to the row's button the menu was opened from.
    await expect(row(app, label).getByRole('button', { name: `Actions for ${label}` })).toBeFocused();
  }
  await showAccounts(app);
  await app.getByTestId('account-menu').first().click();
  await expect(app.getByRole('menuitem', { name: 'New subaccount' })).toBeVisible();
  expect(await axeFindings(app, 'an account’s menu', 'moderate')).toEqual([]);
});
