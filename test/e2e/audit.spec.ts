// The Audit page in Chromium on the real services: findings grouped and filtered, the key table's
// flags from the same engine, bulk revoke through its dry run, exports (the HTML report opened in
// the browser with its charts), an export imported back as a read-only inventory, the policy in
// Settings, and an expiry notice that opens its key.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';
import { axeFindings } from './support/axe';
import { expect, screenshotPath, shootBothThemes, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { flagsOf } from './support/key-rows';
import { dataFilesContaining } from './support/keychain';

test.use({ seed: auditSeed(), viewport: { width: 1600, height: 900 } });

const group = (app: Page, rule: string) => app.locator(`[data-testid="finding-group"][data-rule="${rule}"]`);
const row = (app: Page, label: string) =>
  app.getByTestId('key-row').filter({ has: app.getByText(label, { exact: true }) });

async function exportFile(app: Page, format: 'csv' | 'json' | 'html' | 'ics') {
  await app.getByTestId('export').click();
  const downloading = app.waitForEvent('download');
  await app.getByTestId(`export-${format}`).click();
  const download = await downloading;
  const path = (await download.path()) as string;
  return { name: download.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}

test('groups findings by severity and rule, filters them, and agrees with the key table', async ({ app }) => {
  await expect(app.getByTestId('key-row')).toHaveCount(10);
  // The table's flags are the audit's rules, for the same keys.
  await expect.poll(() => flagsOf(row(app, 'Deploy bot'))).toEqual(['no expiry · parent', 'never used']);
  await expect.poll(() => flagsOf(row(app, 'Test'))).toEqual(['never used', 'vague label']);
  await expect.poll(() => flagsOf(row(app, 'prod search'))).toEqual(['no expiry · prod']);
  await expect(app).toHaveTitle('Keyhold — 2 keys expire soon');
  await expect(app.getByTestId('audit-critical-count')).toHaveText('2');

  await app.getByTestId('nav-audit').click();
  await expect(app.getByTestId('summary-critical')).toContainText('2');
  await expect(app.getByTestId('summary-warning')).toContainText('6');
  await expect(app.getByTestId('summary-info')).toContainText('4');
  const groups = app.getByTestId('finding-group');
  await expect(groups).toHaveCount(10);
  await expect(groups.first()).toHaveAttribute('data-severity', 'critical');
  await expect(group(app, 'no_expiration_parent')).toContainText('“Deploy bot”');
  await expect(group(app, 'duplicate_label').getByTestId('group-count')).toHaveText('2');
  await shootBothThemes(app, 'audit');

  await app.getByTestId('filter-severity').getByText('Info').click();
  await expect(groups).toHaveCount(3);
  await app.getByTestId('filter-severity').getByText('All').click();
  await app.getByTestId('filter-rule').click();
  await app.getByRole('option', { name: 'Expiring soon' }).click();
  await expect(groups).toHaveCount(2); // critical (today) and warning (5 days)
  await app.getByTestId('audit-search').fill('webhooks');
  await expect(app.getByTestId('finding')).toHaveCount(1);
  await expect(app.getByTestId('finding')).toContainText('“Production webhooks”');

  // A finding opens its key, whose drawer lists the same findings and sets its environment.
  await app
    .getByTestId('finding')
    .getByText(/Production webhooks/)
    .click();
  await expect(app.getByTestId('key-details')).toBeVisible();
  // Over the audit, which stays where it was (the drawer is mounted once, in the shell).
  await expect(app.getByTestId('nav-audit')).toHaveAttribute('aria-current', 'page');
  await expect(app.getByTestId('key-finding')).toHaveCount(1);
  await expect(app.getByTestId('key-finding')).toContainText('expires in 5 days');
});

test('bulk revoke: a dry run that changes nothing, then the run and its summary', async ({ app, dataDir }) => {
  await app.getByTestId('nav-audit').click();
  await group(app, 'never_used').getByTestId('group-select').check();
  await group(app, 'unused').getByTestId('group-select').check();
  await expect(app.getByTestId('selected-count')).toHaveText('3 keys selected');
  await app.getByTestId('bulk-revoke').click();

  const preview = app.getByTestId('bulk-preview');
  await expect(preview).toContainText('Dry run: nothing has changed yet. 3 keys will change:');
  await expect(preview.getByTestId('bulk-change')).toHaveText([
    /“Test” sk-[0-9a-f]{8}US productionactive → revoked/,
    /“Reporting export” sk-[0-9a-f]{8}US productionactive → revoked/,
    /“Deploy bot” sk-[0-9a-f]{8}Root accountactive → revoked/,
  ]);
  await shootBothThemes(app, 'audit-bulk-dry-run');
  // The dry run wrote nothing.
  const read = async () => {
    const engine = openSqliteEngine(join(dataDir, 'platform.db'));
    try {
      const root = await engine.ensureRootAccount();
      const revoked = await engine.listKeys(root.id, { include_subaccounts: true, status: 'revoked', limit: 100 });
      return revoked.data.map((k) => k.label).sort();
    } finally {
      await engine.close();
    }
  };
  expect(await read()).toEqual(['Legacy reporting export']);

  await app.getByTestId('bulk-apply').click();
  await expect(app.getByTestId('bulk-result')).toBeVisible();
  await expect(app.getByTestId('bulk-succeeded')).toHaveText('3 succeeded');
  await expect(app.getByTestId('bulk-failed')).toHaveText('0 failed');
  await shootBothThemes(app, 'audit-bulk-result');
  expect(await read()).toEqual(['Deploy bot', 'Legacy reporting export', 'Reporting export', 'Test']);
  await app.getByTestId('bulk-done').click();
  // The audit follows: no more never-used or unused findings, and nothing selected.
  await expect(group(app, 'never_used')).toHaveCount(0);
  await expect(group(app, 'unused')).toHaveCount(0);
  await expect(app.getByTestId('selected-count')).toHaveText('0 keys selected');

  // A key the action cannot apply to is skipped, with the reason.
  await group(app, 'revoked_stale').getByTestId('group-select').check();
  await app.getByTestId('bulk-revoke').click();
  await expect(app.getByTestId('bulk-preview')).toContainText('No selected key can take this action.');
  await expect(app.getByTestId('bulk-skipped')).toHaveText([/“Legacy reporting export”.*skipped: already revoked/]);
  await expect(app.getByTestId('bulk-apply')).toBeDisabled();
  await app.keyboard.press('Escape');
  await app.getByRole('button', { name: 'Clear selection' }).click();

  // Extend: the new date in the preview, then in the platform.
  await group(app, 'expiring').first().getByTestId('group-select').check();
  await app.getByTestId('bulk-extend').click();
  await expect(app.getByTestId('bulk-change')).toHaveText([
    /“Staging load tests”.*expires \d{4}-\d\d-\d\d → expires \d{4}-\d\d-\d\d/,
  ]);
  await app.getByTestId('bulk-apply').click();
  await expect(app.getByTestId('bulk-succeeded')).toHaveText('1 succeeded');
  await app.getByTestId('bulk-done').click();
  // Deploy bot is revoked and the load tests have 90 more days: nothing critical is left.
  await expect(app.getByTestId('summary-critical')).toContainText('0');
});

test('bulk delete: typed confirmation; a key deleted elsewhere meanwhile fails with the reason', async ({
  app,
  dataDir,
}) => {
  await app.getByTestId('nav-audit').click();
  await group(app, 'duplicate_label').getByTestId('group-select').check();
  await group(app, 'revoked_stale').getByTestId('group-select').check();
  await app.getByTestId('bulk-delete').click();
  await expect(app.getByTestId('bulk-change')).toHaveCount(3);
  await expect(app.getByTestId('bulk-apply')).toBeDisabled();
  await app.getByTestId('bulk-confirm-text').fill('delete 3');
  await expect(app.getByTestId('bulk-apply')).toBeEnabled();

  // Someone else deletes one of them on the platform before the run.
  const engine = openSqliteEngine(join(dataDir, 'platform.db'));
  const root = await engine.ensureRootAccount();
  const legacy = (await engine.listKeys(root.id, { q: 'Legacy reporting export' })).data[0];
  await engine.deleteKey(null, legacy?.id as string, { kind: 'user', name: 'someone else' });
  await engine.close();

  await app.getByTestId('bulk-apply').click();
  await expect(app.getByTestId('bulk-succeeded')).toHaveText('2 succeeded');
  await expect(app.getByTestId('bulk-failed')).toHaveText('1 failed');
  await expect(app.locator('[data-testid="bulk-outcome"][data-ok="false"]')).toContainText(
    /“Legacy reporting export”.*No key key_\w+/,
  );
  await app.getByTestId('bulk-done').click();
  await expect(group(app, 'duplicate_label')).toHaveCount(0);
  await expect(group(app, 'revoked_stale')).toHaveCount(0); // gone from the platform, so from the window too
  await app.getByTestId('nav-keys').click();
  await expect(app.getByTestId('key-row')).toHaveCount(7);
});

test('exports CSV, JSON, a calendar and a printable HTML report with its charts', async ({ app, dataDir, browser }) => {
  await app.getByTestId('nav-audit').click();
  const csv = await exportFile(app, 'csv');
  expect(csv.name).toMatch(/^keyhold-this-computer-\d{4}-\d\d-\d\d\.csv$/);
  expect(csv.text.split('\r\n')[0]).toContain('key_id,partial_key,label,status');
  expect(csv.text.trim().split('\r\n')).toHaveLength(11);
  const json = JSON.parse((await exportFile(app, 'json')).text);
  expect(json.summary).toEqual({ info: 4, warning: 6, critical: 2 });
  expect(json.findings).toHaveLength(12);
  const ics = (await exportFile(app, 'ics')).text;
  expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(7); // every key still to expire, not the revoked one

  const report = await exportFile(app, 'html');
  const html = join(dataDir, report.name); // the download has no extension; the browser needs .html
  copyFileSync(report.path, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  await page.goto(`file://${html}`);
  await expect(page.locator('h1')).toHaveText('API key inventory: This computer');
  await expect(page.locator('figure.chart svg')).toHaveCount(3);
  await expect(page.locator('[data-chart="status"] rect')).toHaveCount(3);
  await expect(page.locator('[data-chart="expiries"] rect')).toHaveCount(13);
  await expect(page.locator('section.rule[data-rule="no_expiration_parent"]')).toContainText('Deploy bot');
  await page.screenshot({ path: screenshotPath('audit-report'), fullPage: true });
  await page.close();

  // No file holds a secret: the exports carry partial keys only.
  for (const text of [csv.text, JSON.stringify(json), ics, report.text])
    expect(text).not.toMatch(/sk-[0-9a-f]{8}\.[0-9A-Za-z]{20,}/);
  expect(dataFilesContaining(dataDir, 'BEGIN:VCALENDAR')).toEqual([]); // exports are built in the window, not stored
});

test('an export opens again as a read-only inventory that audits the same', async ({ app, dataDir }) => {
  await app.getByTestId('nav-audit').click();
  const exported = await exportFile(app, 'json');
  const file = join(dataDir, exported.name);
  copyFileSync(exported.path, file);
  const choosing = app.waitForEvent('filechooser');
  await app.getByTestId('import-file').click();
  await (await choosing).setFiles(file);
  await expect(app.getByTestId('connection-select').locator('option:checked')).toHaveText(
    `${exported.name.replace('.json', '')} (imported)`,
  );
  await expect(app.getByTestId('connection-badge')).toHaveText('Imported');
  await expect(app.getByTestId('audit-source')).toContainText('(imported:');
  await expect(app.getByTestId('audit-read-only')).toBeVisible();
  await expect(app.getByTestId('summary-critical')).toContainText('2');
  await expect(app.getByTestId('summary-warning')).toContainText('6');
  await group(app, 'never_used').getByTestId('group-select').check();
  await expect(app.getByTestId('bulk-revoke')).toBeDisabled();
  await app.getByTestId('nav-keys').click();
  await expect(app.getByTestId('read-only-banner')).toBeVisible();
  await expect(app.getByTestId('create-key')).toBeDisabled();
  await expect(app.getByTestId('key-row')).toHaveCount(10);
  await row(app, 'Deploy bot').getByRole('button', { name: 'Actions for Deploy bot' }).click();
  await expect(app.getByRole('menuitem', { name: 'Revoke…' })).toBeDisabled();
  await app.keyboard.press('Escape');
  await shootBothThemes(app, 'imported-inventory');
});

test('the policy in Settings drives the audit and the flags; reset brings the defaults back', async ({ app }) => {
  await app.getByTestId('nav-settings').click();
  await expect(app.getByTestId('policy-state')).toHaveText('defaults');
  const unused = app.getByTestId('policy-unusedDays');
  await unused.fill('0');
  await app.getByTestId('policy-save').click();
  await expect(app.getByTestId('policy-error')).toHaveText('Unused: flag after (days): must be at least 1');
  await expect(unused).toHaveAttribute('aria-invalid', 'true');
  expect(await axeFindings(app, 'policy with an error', 'moderate')).toEqual([]);
  await unused.fill('1');
  await expect(unused).not.toHaveAttribute('aria-invalid', 'true');
  await app.getByTestId('policy-save').click();
  await expect(app.getByTestId('policy-state')).toHaveText('customized');
  await shootBothThemes(app, 'settings');
  await app.getByTestId('nav-keys').click();
  await expect.poll(() => flagsOf(row(app, 'Production billing worker'), 'rules')).toContain('unused'); // used 2 days ago

  await app.reload(); // kept in the app's database
  await expect.poll(() => flagsOf(row(app, 'Production billing worker'), 'rules')).toContain('unused');
  await app.getByTestId('nav-settings').click();
  await app.getByTestId('policy-reset').click();
  await expect(app.getByTestId('policy-state')).toHaveText('defaults');
  await expect(unused).toHaveValue('90');
  await app.getByTestId('nav-keys').click();
  await expect.poll(() => flagsOf(row(app, 'Production billing worker'), 'rules')).not.toContain('unused');
});

test('a key environment set by hand changes its audit', async ({ app }) => {
  await row(app, 'Reporting export').click();
  await expect(app.getByTestId('key-finding')).toHaveCount(1); // unused
  await app.getByTestId('key-environment').click();
  await app.getByRole('option', { name: 'production', exact: true }).click();
  // 200 days old: past production's 90-day rotation.
  await expect(app.getByTestId('key-finding')).toHaveCount(2);
  await expect(app.getByTestId('key-finding').nth(1)).toContainText('production keys are rotated every 90 days');
  await app.keyboard.press('Escape');
  await expect.poll(() => flagsOf(row(app, 'Reporting export'), 'rules')).toContain('rotation_overdue');
});

test('an expiry notice at start; clicking it opens the key', async ({ app, harness }) => {
  const notices = harness.notifier.shown.map((shown) => shown.notice);
  expect(notices.map((notice) => notice.body.match(/^“([^”]+)”/)?.[1]).sort()).toEqual([
    'Production webhooks',
    'Staging load tests',
  ]);
  expect(notices.find((notice) => notice.body.includes('Production webhooks'))?.title).toBe(
    'API key expires in 5 days',
  );
  await app.getByTestId('nav-settings').click();
  harness.notifier.shown.find((shown) => shown.notice.body.includes('Staging load tests'))?.click();
  await expect(app.getByTestId('key-details')).toBeVisible();
  await expect(app.getByRole('dialog', { name: 'Staging load tests' })).toBeVisible();
});
