// The menus the other specs open only to pick from, scanned open with axe-core in both themes: a
// row's actions (an active key's and a revoked one's, with their coloured items) and an account's;
// and the pages and the create wizard's steps, moderate findings included.
// The row menu used to sit inside the table (a table may hold rows alone) and its coloured items
// read at 2.6:1 (orange) and 3.3:1 (red).
import { moderateViolations, seriousViolations } from './support/axe';
import { expect, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { row } from './support/key-rows';

test.use({ seed: auditSeed() });

test('a row’s actions menu, for an active and a revoked key, and an account’s menu: no serious finding', async ({
  app,
}) => {
  for (const label of ['Production webhooks', 'Legacy reporting export']) {
    await row(app, label)
      .getByRole('button', { name: `Actions for ${label}` })
      .click();
    const menu = app.getByRole('menu');
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('menuitem', { name: 'Delete…' })).toBeVisible();
    expect(await seriousViolations(app, `the actions menu of “${label}”`)).toEqual([]);
    await app.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    // The focus goes back to the row's button the menu was opened from.
    await expect(row(app, label).getByRole('button', { name: `Actions for ${label}` })).toBeFocused();
  }
  await app.getByTestId('account-menu').first().click();
  await expect(app.getByRole('menuitem', { name: 'New subaccount' })).toBeVisible();
  expect(await seriousViolations(app, 'an account’s menu')).toEqual([]);
});

test('the pages and each step of the create wizard: no moderate finding either', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  const found: string[] = [];
  for (const page of ['keys', 'audit', 'rotations', 'scan', 'settings']) {
    await app.getByTestId(`nav-${page}`).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveCount(1);
    found.push(...(await moderateViolations(app, `the ${page} page`)));
  }
  await app.getByTestId('nav-keys').click();
  await app.getByTestId('create-key').click();
  await app.getByTestId('wizard-label').fill('Staging queue worker');
  for (const step of ['label', 'account', 'expiration', 'review']) {
    found.push(...(await moderateViolations(app, `the create wizard's ${step} step`)));
    if (step !== 'review') await app.getByTestId('wizard-next').click();
  }
  expect(found).toEqual([]);
});
