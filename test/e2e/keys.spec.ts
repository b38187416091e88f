// The desktop app's key screens in Chromium, through the harness, on the real services, the real
// SQLite files and the real OS keychain (a throwaway Secret Service on headless Linux).
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { KEY_LENGTH } from '../../src/shared/key-format';
import type { Harness } from '../harness/harness';
import { platformIdOf } from '../support/platform-id';
import { shootBothThemes, test } from './support/fixtures';
import { seedInventory } from './support/inventory';
import { row, showAccounts } from './support/key-rows';
import { dataFilesContaining, secretToolLookup } from './support/keychain';

/** An option of a Mantine select (a combobox: the wizard's). */
async function chooseOption(app: Page, testId: string, option: string): Promise<void> {
  await app.getByTestId(testId).click();
  await app.getByRole('option', { name: option, exact: true }).click();
}

/** An option of a native select (the table's filters). */
async function selectFilter(app: Page, testId: string, option: string): Promise<void> {
  await app.getByTestId(testId).selectOption({ label: option });
}

/** The embedded connection's view as main last saved it. */
async function savedView(harness: Harness) {
  const { connections } = await harness.app.handlers['connections:list']({});
  return connections.find((connection) => connection.kind === 'embedded')?.last_view ?? null;
}

test.describe('first start', () => {
  test('opens on the embedded platform with a root account and an empty inventory', async ({ app }) => {
    await expect(app.getByTestId('connection-select').locator('option:checked')).toHaveText('This computer (embedded)');
    await expect(app.getByTestId('connection-badge')).toHaveText('Embedded');
    await expect(app.getByTestId('keys-empty')).toBeVisible();
    await showAccounts(app);
    await expect(app.getByTestId('account-node')).toHaveText(/Root account/);
  });
});

test.describe('with an inventory', () => {
  test.use({ seed: { run: seedInventory } });

  test('creates a key through the wizard; the secret lands in the keychain and nowhere else', async ({
    app,
    harness,
    dataDir,
  }) => {
    await app.getByTestId('create-key').click();
    await app.getByTestId('wizard-label').fill('Test');
    await expect(app.getByTestId('vague-label-warning')).toBeVisible();
    await app.getByTestId('wizard-label').fill('Production webhooks');
    await expect(app.getByTestId('vague-label-warning')).toBeHidden();
    await app.getByTestId('wizard-next').click();
    await chooseOption(app, 'wizard-account', 'EU production');
    await expect(app.getByTestId('duplicate-label-warning')).toBeVisible(); // EU already has one
    // The same label spelled with Cyrillic о: it reads the same, so it is a duplicate too.
    await app.getByRole('button', { name: 'Back' }).click();
    await app.getByTestId('wizard-label').fill('Pr\u043educti\u043en webhooks');
    await app.getByTestId('wizard-next').click();
    await expect(app.getByTestId('duplicate-label-warning')).toBeVisible();
    await app.getByRole('button', { name: 'Back' }).click();
    await app.getByTestId('wizard-label').fill('Production webhooks');
    await app.getByTestId('wizard-next').click();
    await chooseOption(app, 'wizard-account', 'US production');
    await expect(app.getByTestId('duplicate-label-warning')).toBeHidden();
    await app.getByTestId('wizard-next').click();
    await app.getByText('180 days').click();
    await app.getByTestId('wizard-next').click();
    await expect(app.getByTestId('wizard-review')).toContainText('US production');
    await app.getByTestId('wizard-create').click();

    const done = app.getByTestId('wizard-done');
    await expect(done).toBeVisible();
    const account = (await app.getByTestId('keychain-account').textContent()) ?? '';
    // Filed under the platform's identity (the one its database keeps), which the CLI finds too.
    expect(account).toMatch(new RegExp(`^${platformIdOf(join(dataDir, 'platform.db'))}/key_[0-9a-f]{16}$`));
    const secret = secretToolLookup(account);
    expect(secret).toHaveLength(KEY_LENGTH);
    // Masked until revealed.
    await expect(app.getByTestId('created-secret')).not.toContainText(secret?.slice(12) ?? 'x');
    await app.getByTestId('reveal').click();
    await expect(app.getByTestId('created-secret')).toHaveText(secret ?? '');
    await app.getByTestId('reveal').click();
    await expect(app.getByTestId('created-secret')).not.toContainText(secret?.slice(12) ?? 'x');

    // Copy: main writes the clipboard and clears it (1.5 s in this harness, 30 s in the app).
    await app.getByTestId('copy').click();
    await expect.poll(() => harness.clipboard.readText()).toBe(secret);
    await app.getByTestId('copy-env').click();
    await expect.poll(() => harness.clipboard.readText()).toBe(`ITELLICO_API_KEY=${secret}`);
    // The clearing is visible: a countdown while the clipboard may hold the key, then what happened.
    await expect(app.getByTestId('clipboard-countdown')).toHaveText(/Cleared from the clipboard in \d s/);
    await expect.poll(() => harness.clipboard.readText(), { timeout: 5000 }).toBe('');
    await expect(app.getByTestId('clipboard-settled')).toContainText('Clipboard cleared');
    await expect(app.getByTestId('clipboard-countdown')).toHaveCount(0);
    // Something else copied meanwhile is left alone, and the note says so.
    await app.getByTestId('copy').click();
    await expect.poll(() => harness.clipboard.readText()).toBe(secret);
    await harness.clipboard.writeText('something else');
    await expect(app.getByTestId('clipboard-settled').filter({ hasText: 'left alone' })).toBeVisible({ timeout: 5000 });
    expect(await harness.clipboard.readText()).toBe('something else');

    // Closing asks for confirmation that the key is stored.
    await expect(app.getByTestId('wizard-close')).toBeDisabled();
    await app.keyboard.press('Escape');
    await expect(app.getByTestId('confirm-stored-alert')).toBeVisible();
    await app.getByTestId('confirm-stored').check();
    await app.getByTestId('wizard-close').click();
    await expect(done).toBeHidden();

    const created = row(app, 'Production webhooks').filter({ hasText: 'US production' });
    await expect(created).toHaveCount(1);
    await expect(created.getByTestId('in-keychain')).toBeVisible();
    expect(dataFilesContaining(dataDir, secret ?? 'missing')).toEqual([]);
    expect(dataFilesContaining(dataDir, (secret ?? 'missing').slice(12, 40))).toEqual([]);
  });

  test('copies a stored key again from the table, and removes its keychain entry', async ({ app, harness }) => {
    await app.getByTestId('create-key').click();
    await app.getByTestId('wizard-label').fill('Billing reconciliation job');
    for (let i = 0; i < 3; i++) await app.getByTestId('wizard-next').click();
    await app.getByTestId('wizard-create').click();
    const account = (await app.getByTestId('keychain-account').textContent()) ?? '';
    await app.getByTestId('confirm-stored').check();
    await app.getByTestId('wizard-close').click();

    const created = row(app, 'Billing reconciliation job');
    await created.getByRole('button', { name: 'Actions for Billing reconciliation job' }).click();
    await app.getByRole('menuitem', { name: 'Copy key' }).click();
    await expect.poll(() => harness.clipboard.readText()).toBe(secretToolLookup(account));
    await created.getByRole('button', { name: 'Actions for Billing reconciliation job' }).click();
    await app.getByRole('menuitem', { name: 'Remove from keychain' }).click();
    await expect(created.getByTestId('in-keychain')).toBeHidden();
    expect(secretToolLookup(account)).toBeNull();
  });

  test('edits, revokes, reactivates and deletes, updating the table at once', async ({ app }) => {
    // Opened from the keyboard: the toasts of the last actions can sit over a bottom row's ⋯ (and a
    // pointer resting on a toast keeps it open), the keys never are under one.
    const menu = (label: string) => ({
      click: async () => {
        await row(app, label)
          .getByRole('button', { name: `Actions for ${label}` })
          .focus();
        await app.keyboard.press('Enter');
      },
    });
    await menu('Production webhooks').click();
    await app.getByRole('menuitem', { name: /Edit label/ }).click();
    await app.getByTestId('edit-label').fill('Production webhooks (EU)');
    await app.getByText('None', { exact: true }).click();
    await app.getByTestId('edit-save').click();
    const edited = row(app, 'Production webhooks (EU)');
    await expect(edited).toContainText('never'); // expires: never
    await expect(app.getByText('Key updated')).toBeVisible();
    // The toast says the new values.
    await expect(app.getByText(/now has label “Production webhooks \(EU\)” and no expiration/)).toBeVisible();

    // Revoke asks first, naming the key and what stops working; Undo reactivates it.
    await menu('Production webhooks (EU)').click();
    await app.getByRole('menuitem', { name: 'Revoke…' }).click();
    await expect(app.getByTestId('revoke-consequence')).toContainText(
      /sk-[0-9a-f]{8} \(account EU production\) is refused with 401/,
    );
    await shootBothThemes(app, 'revoke-confirm');
    await app.getByTestId('revoke-confirm').click();
    await expect(edited.getByTestId('status-badge')).toHaveText('revoked');
    await app.getByTestId('undo').click();
    await expect(edited.getByTestId('status-badge')).toHaveText('active');

    await menu('Production webhooks (EU)').click();
    await app.getByRole('menuitem', { name: 'Revoke…' }).click();
    await app.getByTestId('revoke-confirm').click();
    await expect(edited.getByTestId('status-badge')).toHaveText('revoked');
    await menu('Production webhooks (EU)').click();
    await app.getByRole('menuitem', { name: 'Reactivate' }).click();
    await expect(edited.getByTestId('status-badge')).toHaveText('active');

    await edited.click();
    await expect(app.getByTestId('key-events')).toContainText('reactivated');
    await expect(app.getByTestId('key-events')).toContainText(
      'label: “Production webhooks” → “Production webhooks (EU)”',
    );
    await app.keyboard.press('Escape');

    await menu('Production webhooks (EU)').click();
    await app.getByRole('menuitem', { name: 'Delete…' }).click();
    await expect(app.getByTestId('delete-confirm')).toBeDisabled();
    await app.getByTestId('delete-confirm-input').fill('Production webhooks');
    await expect(app.getByTestId('delete-confirm')).toBeDisabled();
    await app.getByTestId('delete-confirm-input').fill('Production webhooks (EU)');
    await app.getByTestId('delete-confirm').click();
    await expect(edited).toHaveCount(0);
    await expect(app.getByText('Key deleted')).toBeVisible();
    await expect(app.getByTestId('keys-count')).toHaveText('7 of 7 keys');
  });

  test('ticks rows for a bulk revoke with its dry run, undoes it, and extends one key from its expiration', async ({
    app,
  }) => {
    for (const label of ['Production billing worker', 'Production search indexer', 'Legacy reporting export']) {
      await row(app, label).getByTestId('row-select').check();
    }
    await expect(app.getByTestId('selected-count')).toHaveText('3 keys selected');
    await app.getByTestId('bulk-revoke').click();
    await expect(app.getByTestId('bulk-change')).toHaveCount(2);
    await expect(app.getByTestId('bulk-skipped')).toContainText('already revoked');
    await shootBothThemes(app, 'keys-bulk-dry-run');
    await app.getByTestId('bulk-apply').click();
    await expect(app.getByTestId('bulk-succeeded')).toHaveText('2 succeeded');
    await expect(row(app, 'Production billing worker').getByTestId('status-badge')).toHaveText('revoked');

    // Undo: the same dry run, now reactivating exactly the keys that were revoked.
    await app.getByTestId('bulk-undo').click();
    await expect(app.getByTestId('bulk-change')).toHaveCount(2);
    await expect(app.getByTestId('bulk-change').first()).toContainText('revoked → active');
    await app.getByTestId('bulk-apply').click();
    await expect(app.getByTestId('bulk-succeeded')).toHaveText('2 succeeded');
    await app.getByTestId('bulk-done').click();
    await expect(row(app, 'Production billing worker').getByTestId('status-badge')).toHaveText('active');
    await expect(row(app, 'Production search indexer').getByTestId('status-badge')).toHaveText('active');
    await expect(row(app, 'Legacy reporting export').getByTestId('status-badge')).toHaveText('revoked');
    await expect(app.getByTestId('bulk-bar')).toBeHidden(); // the selection is cleared after a run

    // One key: 30 days more from its current expiration (5 days away), not from today.
    const webhooks = row(app, 'Production webhooks');
    await webhooks.getByRole('button', { name: 'Actions for Production webhooks' }).click();
    await app.getByRole('menuitem', { name: 'Extend expiration…' }).click();
    await app.getByTestId('bulk-extend-days').fill('30');
    const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    await expect(app.getByTestId('bulk-change')).toContainText(`expires ${day(5)} → expires ${day(35)}`);
    await app.getByTestId('bulk-apply').click();
    await expect(app.getByTestId('bulk-succeeded')).toHaveText('1 succeeded');
    await app.getByTestId('bulk-done').click();
    await expect(webhooks).toContainText('in 1 mo');
  });

  test('filters by status, flag and account, searches label and partial key, and sorts', async ({ app }) => {
    await expect(app.getByTestId('key-row')).toHaveCount(8);
    await app.getByTestId('search').fill('STAGING');
    await expect(app.getByTestId('key-row')).toHaveCount(2);
    const partial = (
      (await row(app, 'Staging CI deploys').locator('[role=gridcell]').nth(2).textContent()) ?? ''
    ).replace('…', '');
    await app.getByTestId('search').fill(partial);
    await expect(app.getByTestId('key-row')).toHaveCount(1);
    await app.getByTestId('search').fill('');

    await selectFilter(app, 'filter-status', 'revoked');
    await expect(app.getByTestId('key-row')).toHaveCount(1);
    await expect(app.getByTestId('key-row')).toContainText('Legacy reporting export');
    await app.getByTestId('filter-status').hover();
    await selectFilter(app, 'filter-status', 'active');
    // The flags are the audit's rules (the seed's keys are new, so nothing is never-used yet).
    await selectFilter(app, 'filter-flag', 'Vague label');
    await expect(app.getByTestId('key-row')).toHaveCount(1);
    await expect(app.getByTestId('key-row')).toContainText('Test');
    await selectFilter(app, 'filter-flag', 'Expiring soon');
    await expect(app.getByTestId('key-row')).toHaveCount(2);

    await showAccounts(app);
    await app.getByTestId('account-node').filter({ hasText: 'Staging' }).click();
    await expect(app.getByTestId('key-row')).toHaveCount(1);
    await expect(app.getByTestId('key-row')).toContainText('Staging load tests');
    await app.getByTestId('account-all').click();

    await app.getByTestId('sort-label').click();
    await expect(app.getByTestId('key-row').first()).toContainText('Production webhooks');
    await app.getByTestId('sort-label').click();
    await expect(app.getByTestId('key-row').first()).toContainText('Staging load tests');
  });

  test('remembers the view of the connection across a restart of the window', async ({ app, harness }) => {
    await app.getByTestId('search').fill('production');
    await app.getByTestId('sort-label').click();
    await expect(app.getByTestId('key-row')).toHaveCount(3);
    // Saved shortly after the last change: once main holds it, the window may go.
    await expect.poll(async () => (await savedView(harness))?.search).toBe('production');
    await app.reload();
    await expect(app.getByTestId('search')).toHaveValue('production');
    await expect(app.getByTestId('key-row')).toHaveCount(3);
    await expect(app.getByTestId('key-row').first()).toContainText('Production billing worker');
  });
});

test.describe('key details', () => {
  test.use({ seed: { run: seedInventory } });

  test('the usage chart has a count axis and reads out each day, by pointer and by keyboard', async ({ app }) => {
    await app.getByTestId('key-row').filter({ hasText: 'Production billing worker' }).click();
    const chart = app.getByTestId('usage-chart');
    await expect(chart).toBeVisible();
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    // One call today, the busiest day: the axis reads 0 and 1.
    await expect(chart.getByTestId('usage-tick')).toHaveText(['0', '1']);
    const readout = chart.getByTestId('usage-readout');
    await expect(readout).toContainText('1 call in the last 30 days');
    // By keyboard: the chart is one tab stop; End, then ← walk the days.
    await chart.getByRole('slider').focus();
    await app.keyboard.press('End');
    await expect(readout).toHaveText(`${today}: 1 call`);
    await app.keyboard.press('ArrowLeft');
    await expect(readout).toHaveText(`${yesterday}: 0 calls`);
    // By pointer: the last bar.
    const box = await chart.getByRole('slider').boundingBox();
    if (!box) throw new Error('the chart has no box');
    await app.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await expect(readout).toHaveText(`${today}: 1 call`);
  });
});
