// An admin's day with the keyboard alone, in Chromium on the real services: a key created in a
// subaccount, revoked and brought back with Undo, a bulk revocation and reactivation, a rotation
// and the compromised-key playbook, step by step. The page counts mouse presses (none allowed),
// and axe-core scans every state on the way, every menu open and every step of each wizard, in
// both themes: no critical, serious or moderate finding.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';
import { axeFindings } from './support/axe';
import { expect, test } from './support/fixtures';
import { seedInventory } from './support/inventory';
import { row } from './support/key-rows';
import { chooseMenuItem, countMousePresses, gridToRow, pressOn, tabTo } from './support/keyboard';

test.use({ seed: { run: seedInventory } });

/** axe over what is on screen now, its findings kept for the test's end. */
function scanner(app: Page) {
  const found: string[] = [];
  return {
    scan: async (where: string) => {
      found.push(...(await axeFindings(app, where, 'moderate')));
    },
    found,
  };
}

/** Shift+F10 on the key's row: its actions menu, scanned open, then the item chosen. */
async function rowAction(app: Page, label: string, item: string, scan: (where: string) => Promise<void>) {
  await gridToRow(app, label);
  await app.keyboard.press('Shift+F10');
  await expect(app.getByRole('menu')).toBeVisible();
  await scan(`actions menu of “${label}”`);
  await chooseMenuItem(app, item);
}

test('a key in a subaccount, revoked and undone, then a bulk revoke and reactivate: keyboard only', async ({ app }) => {
  test.setTimeout(120_000);
  const mouse = await countMousePresses(app);
  const { scan, found } = scanner(app);
  await expect(row(app, 'Staging CI deploys')).toBeVisible();
  await scan('keys page');

  // The account panel (folded at 1280 px), then Staging in the tree.
  const toggle = app.getByTestId('account-panel-toggle');
  await tabTo(app, toggle);
  await app.keyboard.press('Enter');
  const tree = app.getByRole('tree', { name: 'Accounts' });
  await tabTo(app, tree);
  await app.keyboard.press('ArrowRight'); // EU production, the first subaccount
  await app.keyboard.press('ArrowDown');
  await expect(tree.getByRole('treeitem', { name: /^Staging/ })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(tree.getByRole('treeitem', { name: /^Staging/ })).toHaveAttribute('aria-selected', 'true');
  await scan('keys page, account panel open on Staging');
  await app.keyboard.press('Shift+F10');
  await expect(app.getByRole('menuitem', { name: 'Rename' })).toBeVisible();
  await scan('account menu');
  await app.keyboard.press('Escape');

  // The wizard puts the key where the page is: Staging.
  await app.keyboard.press('n');
  await expect(app.getByTestId('wizard-label')).toBeFocused();
  await app.keyboard.type('Staging queue worker');
  await scan('create wizard: label');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-account')).toHaveValue('Staging');
  await scan('create wizard: account');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-rotation-hint')).toBeVisible();
  await scan('create wizard: expiration');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-create')).toBeFocused();
  await scan('create wizard: review');
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('wizard-done')).toBeVisible();
  await scan('create wizard: done');
  await tabTo(app, app.getByTestId('confirm-stored'));
  await app.keyboard.press('Space');
  await pressOn(app, 'wizard-close');
  const created = row(app, 'Staging queue worker');
  await expect(created).toContainText('Staging');

  // Revoke from its row's menu; Undo brings it back.
  await rowAction(app, 'Staging queue worker', 'Revoke…', scan);
  await expect(app.getByTestId('revoke-confirm')).toBeFocused();
  await scan('revoke dialog');
  await app.keyboard.press('Enter');
  await expect(created.getByTestId('status-badge')).toHaveText('revoked');
  await pressOn(app, 'undo');
  await expect(created.getByTestId('status-badge')).toHaveText('active');
  await expect(created.getByRole('button', { name: /^Actions for / })).toBeFocused(); // back on its row

  // Tick two keys with Space (on a row's checkbox, Home; on its ⋯ button Space opens the menu, as
  // on any button); bulk revoke, then bulk reactivate the same two.
  const tickBoth = async () => {
    await gridToRow(app, 'Staging CI deploys');
    await app.keyboard.press('Home');
    await app.keyboard.press('Space');
    await gridToRow(app, 'Staging load tests');
    await app.keyboard.press('Space');
    await expect(app.getByTestId('selected-count')).toHaveText('2 keys selected');
  };
  const bulk = async (action: 'revoke' | 'reactivate', status: string) => {
    await tabTo(app, app.getByTestId(`bulk-${action}`), true);
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('bulk-preview')).toContainText('Dry run: nothing has changed yet.');
    await scan(`bulk ${action}: dry run`);
    await pressOn(app, 'bulk-apply');
    await expect(app.getByTestId('bulk-succeeded')).toHaveText('2 succeeded');
    await scan(`bulk ${action}: result`);
    await expect(app.getByTestId('bulk-done')).toBeFocused();
    await app.keyboard.press('Enter');
    for (const label of ['Staging CI deploys', 'Staging load tests'])
      await expect(row(app, label).getByTestId('status-badge')).toHaveText(status);
  };
  await tickBoth();
  await scan('keys page, two keys ticked');
  await bulk('revoke', 'revoked');
  await tickBoth();
  await bulk('reactivate', 'active');

  // The Columns menu, open.
  await tabTo(app, app.getByRole('grid', { name: 'API keys' }));
  await app.keyboard.press('Control+Home');
  await app.keyboard.press('ArrowUp');
  await app.keyboard.press('End');
  await expect(app.getByTestId('columns-menu')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('column-created_at')).toBeVisible();
  await scan('columns menu');
  await app.keyboard.press('Escape');

  expect(await mouse()).toBe(0);
  expect(found).toEqual([]);
});

test('a rotation, every step with the keyboard', async ({ app, harness, dataDir }) => {
  test.setTimeout(120_000);
  const mouse = await countMousePresses(app);
  const { scan, found } = scanner(app);
  await expect(row(app, 'Production billing worker')).toBeVisible();
  await rowAction(app, 'Production billing worker', 'Rotate…', scan);

  await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
  await scan('rotation: replace');
  await pressOn(app, 'replace-create');
  await expect(app.getByTestId('workflow-step-update')).toBeVisible();
  await pressOn(app, 'update-copy');
  await expect.poll(() => harness.clipboard.readText()).toMatch(/^sk-[0-9a-f]{8}\./);
  const secret = await harness.clipboard.readText();
  await expect(app.getByTestId('clipboard-settled')).toBeVisible();
  await scan('rotation: update');
  await pressOn(app, 'workflow-next');

  await expect(app.getByTestId('workflow-step-test')).toBeVisible();
  await scan('rotation: test, replacement not used yet');
  const engine = openSqliteEngine(join(dataDir, 'platform.db'));
  expect((await engine.verify(secret)).ok).toBe(true);
  await engine.close();
  await expect(app.getByTestId('test-new')).toContainText('was first seen in use', { timeout: 15_000 });
  await pressOn(app, 'workflow-next');

  await expect(app.getByTestId('workflow-step-revoke')).toBeVisible();
  await scan('rotation: revoke');
  await pressOn(app, 'revoke-old');
  await tabTo(app, app.getByTestId('revoke-old-confirm'));
  await scan('rotation: revoke, confirming');
  await app.keyboard.press('Enter');

  await expect(app.getByTestId('workflow-step-schedule')).toBeVisible();
  await scan('rotation: schedule the deletion');
  await pressOn(app, 'schedule-deletion');
  await expect(app.getByTestId('workflow-done')).toBeVisible();
  await scan('rotation: done');
  await pressOn(app, 'workflow-close');
  await expect(app.getByTestId('workflow-dialog')).toBeHidden();
  await expect(row(app, 'Production billing worker').filter({ hasText: 'revoked' })).toHaveCount(1);

  expect(await mouse()).toBe(0);
  expect(found).toEqual([]);
});

test('the compromised-key playbook, every step with the keyboard', async ({ app }) => {
  test.setTimeout(120_000);
  const mouse = await countMousePresses(app);
  const { scan, found } = scanner(app);
  await expect(row(app, 'Production search indexer')).toBeVisible();
  await rowAction(app, 'Production search indexer', 'Compromised…', scan);

  await expect(app.getByTestId('workflow-step-revoke')).toBeVisible();
  await scan('playbook: revoke');
  await pressOn(app, 'revoke-old');
  await pressOn(app, 'revoke-old-confirm');

  await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
  await scan('playbook: replace');
  await pressOn(app, 'replace-create');
  await expect(app.getByTestId('workflow-step-update')).toBeVisible();
  await scan('playbook: update');
  await pressOn(app, 'workflow-next');

  await expect(app.getByTestId('workflow-step-review')).toBeVisible();
  await expect(app.getByTestId('review-events')).toContainText('revoked');
  await scan('playbook: review');
  await pressOn(app, 'workflow-next');

  await expect(app.getByTestId('incident-summary')).toContainText('# Incident: API key sk-');
  await scan('playbook: notify');
  await pressOn(app, 'workflow-next');

  await expect(app.getByTestId('investigate-how')).toBeVisible();
  await scan('playbook: investigate');
  await tabTo(app, app.getByTestId('investigate-check').first());
  await app.keyboard.press('Space');
  await tabTo(app, app.getByTestId('investigate-how'));
  await app.keyboard.type('Pasted in a support ticket');
  await tabTo(app, app.getByTestId('investigate-prevention'));
  await app.keyboard.type('Redact keys in the ticket system');
  await pressOn(app, 'workflow-next');
  await expect(app.getByTestId('workflow-done')).toContainText('Incident closed');
  await scan('playbook: done');
  await pressOn(app, 'workflow-close');
  await expect(app.getByTestId('workflow-dialog')).toBeHidden();

  expect(await mouse()).toBe(0);
  expect(found).toEqual([]);
});
