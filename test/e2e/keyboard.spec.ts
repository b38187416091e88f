// The admin's jobs with the keyboard alone, in Chromium on the real services: no mouse event
// anywhere in this file. Create → copy → revoke → undo → bulk revoke from the audit, the account
// tree's arrow keys, the shortcuts (`/`, `n`, `?`, Ctrl+K) and where the focus goes back to.
import { expect, shootBothThemes, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { row, showAccounts } from './support/key-rows';
import { chooseMenuItem, focused, tabTo } from './support/keyboard';

test.use({ seed: auditSeed() });

test('create, copy, revoke, undo and bulk revoke from the audit, with the keyboard alone', async ({ app, harness }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();

  // n: the wizard, its label field focused; Enter moves on while the step is complete.
  await app.keyboard.press('n');
  await expect(app.getByTestId('wizard-label')).toBeFocused();
  await app.keyboard.press('Enter'); // no label yet: stays
  await expect(app.getByTestId('wizard-label')).toBeVisible();
  await app.keyboard.type('Keyboard reporting worker');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-account')).toBeFocused();
  // The list opens with the arrows (and picks with Enter); closed, Enter moves on.
  await app.keyboard.press('ArrowDown');
  await expect(app.getByRole('listbox', { name: 'Account' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('listbox', { name: 'Account' })).toHaveCount(0);
  await expect(app.getByTestId('wizard-label')).toHaveCount(0); // Escape closed the list, not the wizard
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-rotation-hint')).toBeVisible();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-review')).toBeVisible();
  await expect(app.getByTestId('wizard-create')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-done')).toBeVisible();

  // Copy, confirm, close: the focus never leaves the dialog for the table behind it.
  await tabTo(app, app.getByTestId('copy'));
  await app.keyboard.press('Enter');
  await expect.poll(() => harness.clipboard.readText()).toMatch(/^sk-[0-9a-f]{8}\./);
  await tabTo(app, app.getByTestId('confirm-stored'));
  await app.keyboard.press('Space');
  for (let press = 0; press < 12; press++) {
    await app.keyboard.press('Tab');
    const inDialog = await app.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null);
    expect(inDialog).toBe(true);
  }
  await tabTo(app, app.getByTestId('wizard-close'));
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-done')).toHaveCount(0);

  // /: the search; then Tab to the new key's ⋯ button. Enter opens its menu and nothing else.
  await app.keyboard.press('/');
  await expect(app.getByTestId('search')).toBeFocused();
  await app.keyboard.type('keyboard worker');
  const created = row(app, 'Keyboard reporting worker');
  const actions = created.getByRole('button', { name: 'Actions for Keyboard reporting worker' });
  // The table is one Tab stop; End goes to the row's last cell, its ⋯ button.
  await tabTo(app, app.getByTestId('keys-table'));
  await app.keyboard.press('End');
  await expect(actions).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByRole('menu')).toBeVisible();
  await expect(app.locator('.mantine-Drawer-content')).toHaveCount(0);
  // Escape gives the focus back to the ⋯ button, not to the page.
  await app.keyboard.press('Escape');
  await expect(app.getByRole('menu')).toHaveCount(0);
  await expect(actions).toBeFocused();

  // Revoke through its confirmation; the toast's Undo reactivates it.
  await app.keyboard.press('Enter');
  await chooseMenuItem(app, 'Revoke…');
  await expect(app.getByTestId('revoke-confirm')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(created.getByTestId('status-badge')).toHaveText('revoked');
  await expect(actions).toBeFocused();
  await tabTo(app, app.getByTestId('undo'));
  await app.keyboard.press('Enter');
  await expect(created.getByTestId('status-badge')).toHaveText('active');
  // The focus goes back to the restored row, not to the page the toast leaves.
  await expect(actions).toBeFocused();

  // Ctrl+K: the Audit page by name; select the never-used group, dry run, revoke, undo.
  await app.keyboard.press('Control+k');
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('go to audit');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('audit-page')).toBeVisible();
  const neverUsed = app.locator('[data-testid="finding-group"][data-rule="never_used"]');
  await tabTo(app, neverUsed.getByTestId('group-select'));
  await app.keyboard.press('Space');
  await tabTo(app, app.getByTestId('bulk-revoke'));
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('bulk-preview')).toContainText('Dry run: nothing has changed yet.');
  await tabTo(app, app.getByTestId('bulk-apply'));
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('bulk-succeeded')).toHaveText(/^[1-9]\d* succeeded$/);
  // The focus follows the dialog: to Done on the result, to the apply button on Undo's dry run.
  await expect(app.getByTestId('bulk-done')).toBeFocused();
  await tabTo(app, app.getByTestId('bulk-undo'), true);
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('bulk-change').first()).toContainText('revoked → active');
  await expect(app.getByTestId('bulk-apply')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('bulk-succeeded')).toHaveText(/^[1-9]\d* succeeded$/);
  await expect(app.getByTestId('bulk-done')).toBeFocused();
  await app.keyboard.press('Enter');
  await app.keyboard.press('Control+k');
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('deploy bot');
  await app.keyboard.press('ArrowDown');
  // One press, one action: the key's details open once Enter is released, so the same press cannot
  // also reach the button the details focus first (their Close button shut them, now and then).
  await app.keyboard.down('Enter');
  await expect(app.getByTestId('palette-search')).toBeHidden();
  await expect(app.getByTestId('key-details')).toHaveCount(0);
  await app.keyboard.up('Enter');
  await expect(app.getByTestId('key-details')).toBeVisible();
  await expect(app.locator('.mantine-Drawer-content')).toContainText('Deploy bot');
  await expect(app.locator('.mantine-Drawer-content')).toContainText('active');
});

test('the key table is one Tab stop: arrows between cells, Space ticks, Enter opens, Shift+F10 acts', async ({
  app,
}) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  const grid = app.getByRole('grid', { name: 'API keys' });
  const active = () =>
    app.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      return {
        row: Number(element?.closest<HTMLElement>('[data-grid-row]')?.dataset.gridRow),
        col: Number(element?.closest<HTMLElement>('[data-grid-col]')?.dataset.gridCol),
      };
    });
  // The skip link is the window's first Tab stop and leads into the table.
  await app.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await app.keyboard.press('Tab');
  await expect(app.getByTestId('skip-link')).toBeFocused();
  await expect(app.getByTestId('skip-link')).toHaveText('Skip to the key table');
  await app.keyboard.press('Enter');
  expect(await active()).toEqual({ row: 0, col: 1 });
  expect(await grid.locator('[tabindex="0"]').count()).toBe(1); // one Tab stop in the whole grid

  // From the search box: the toolbar's three controls, then the table.
  await app.keyboard.press('/');
  let presses = 0;
  while (!(await focused(grid)) && presses < 20) {
    await app.keyboard.press('Tab');
    presses++;
  }
  expect(presses).toBe(4); // status, flag, Create key, the table
  expect(await active()).toEqual({ row: 0, col: 1 }); // where it was left

  // Arrows move cell by cell; Home is the checkbox, Space ticks, End is the ⋯ button.
  await app.keyboard.press('ArrowRight');
  expect(await active()).toEqual({ row: 0, col: 2 });
  await app.keyboard.press('ArrowDown');
  expect(await active()).toEqual({ row: 1, col: 2 });
  await app.keyboard.press('Space'); // ticks the row from any cell
  await app.keyboard.press('Home');
  await expect(app.getByTestId('key-row').nth(1).getByTestId('row-select')).toBeFocused();
  await expect(app.getByTestId('key-row').nth(1).getByTestId('row-select')).toBeChecked();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Space');
  await expect(app.getByTestId('selected-count')).toHaveText('2 keys selected');
  // The bulk bar is just above the table: one Shift+Tab reaches it.
  await app.keyboard.press('Shift+Tab');
  await expect(app.getByTestId('bulk-clear')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('selected-count')).toHaveCount(0);

  // Ctrl+End: the last key's ⋯ button; Ctrl+Home: the first key's checkbox.
  await tabTo(app, grid);
  await app.keyboard.press('Control+End');
  const last = app.getByTestId('key-row').last();
  await expect(last.getByRole('button', { name: /^Actions for / })).toBeFocused();
  await app.keyboard.press('Control+Home');
  await expect(app.getByTestId('key-row').first().getByTestId('row-select')).toBeFocused();

  // Shift+F10 on any cell: the row's actions; Escape gives the focus to its ⋯ button.
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('Shift+F10');
  await expect(app.getByRole('menu')).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByRole('menu')).toHaveCount(0);
  await expect(
    app
      .getByTestId('key-row')
      .first()
      .getByRole('button', { name: /^Actions for / }),
  ).toBeFocused();

  // Enter on a cell (the flags, left of ⋯): the key's details; Escape comes back to that cell.
  await app.keyboard.press('ArrowLeft');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('key-details')).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('key-details')).toHaveCount(0);
  await expect.poll(() => active()).toEqual({ row: 0, col: 8 });

  // Up from the first key is the header: Enter on a column's header sorts by it.
  await app.keyboard.press('Control+Home');
  await app.keyboard.press('ArrowRight');
  await app.keyboard.press('ArrowUp');
  await expect(app.getByTestId('sort-label')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.locator('[role="columnheader"][data-column="label"]')).toHaveAttribute('aria-sort', 'ascending');
  await app.keyboard.press('ArrowDown');
  await expect(app.getByTestId('key-row').first()).toContainText('Deploy bot'); // A to Z
  expect(await active()).toEqual({ row: 0, col: 1 });
});

test('the account tree moves with the arrow keys and opens an account’s actions from the keyboard', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  // Folded at 1280 px: its toggle opens it.
  const toggle = app.getByTestId('account-panel-toggle');
  await tabTo(app, toggle);
  await app.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const tree = app.getByRole('tree', { name: 'Accounts' });
  const item = (name: string) => tree.getByRole('treeitem', { name: new RegExp(`^${name}`) });
  // One Tab stop for the whole tree: the first account.
  await tabTo(app, tree);
  await expect(item('Root account')).toBeFocused();
  await app.keyboard.press('ArrowRight'); // first subaccount
  await expect(item('EU production')).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await expect(item('Staging')).toBeFocused();
  await app.keyboard.press('End');
  await expect(item('US production')).toBeFocused();
  await app.keyboard.press('ArrowLeft'); // its parent
  await expect(item('Root account')).toBeFocused();
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('ArrowDown');
  await app.keyboard.press('Enter');
  await expect(item('Staging')).toHaveAttribute('aria-selected', 'true');
  await expect(row(app, 'Staging CI deploys').first()).toBeVisible();
  await expect(row(app, 'Deploy bot')).toHaveCount(0);
  // Shift+F10: the account's menu; Escape returns to the account.
  await app.keyboard.press('Shift+F10');
  await expect(app.getByRole('menuitem', { name: 'Rename' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(item('Staging')).toBeFocused();
  // Tab leaves the tree and Shift+Tab comes back to the same account.
  await app.keyboard.press('Tab');
  await expect(item('Staging')).not.toBeFocused();
  await app.keyboard.press('Shift+Tab');
  await expect(item('Staging')).toBeFocused();
});

test('? lists the shortcuts, and single-key shortcuts leave typing alone', async ({ app }) => {
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await app.keyboard.press('Shift+?');
  await expect(app.getByTestId('shortcuts-panel')).toContainText('Command palette');
  await expect(app.getByTestId('shortcuts-panel')).toContainText('Ctrl K');
  await shootBothThemes(app, 'shortcuts');
  // While a dialog is open, n does not open the wizard behind it.
  await app.keyboard.press('n');
  await expect(app.getByTestId('wizard-label')).toHaveCount(0);
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('shortcuts-panel')).toHaveCount(0);
  // In the search box, n and / are text.
  await app.keyboard.press('/');
  await app.keyboard.type('n/');
  await expect(app.getByTestId('search')).toHaveValue('n/');
  await expect(app.getByTestId('wizard-label')).toHaveCount(0);

  // Ctrl+K works from the search box too, and finds keys, accounts and pages by what is typed.
  await app.keyboard.press('Control+k');
  // Mantine focuses the palette's input from a timer once it opens: until then keys go to the search box.
  await expect(app.getByTestId('palette-search')).toBeFocused();
  await app.keyboard.type('production');
  const keys = app.getByTestId('palette-key');
  await expect(keys).toHaveCount(2);
  await expect(keys.filter({ hasText: 'Production billing worker' })).toHaveCount(1);
  await expect(keys.filter({ hasText: 'Production webhooks' })).toHaveCount(1);
  await expect(app.getByTestId('palette-account')).toHaveText([
    'EU productionShow its keys',
    'US productionShow its keys',
  ]);
  await shootBothThemes(app, 'command-palette');
});

test('every letter typed at once into a dialog a menu opened lands in its field', async ({ app }) => {
  await expect(app.getByTestId('key-row').first()).toBeVisible();
  // The menu loads the dialog its items open while it is shown: then the dialog is there on the
  // click, and what follows at once goes into its field ("Staging" once arrived as "taging", and
  // an "n" typed before the field had the focus started the create-key wizard).
  await showAccounts(app);
  await app.getByTestId('account-menu').first().click();
  await expect(app.getByTestId('account-new-sub')).toBeVisible();
  await app.waitForLoadState('networkidle');
  await app.getByTestId('account-new-sub').click();
  await app.keyboard.type('Staging');
  await expect(app.getByTestId('account-name-input')).toHaveValue('Staging');
  await expect(app.getByTestId('wizard-label')).toHaveCount(0);
});
