// The admin's guided jobs in Chromium on the real services: a rotation interrupted after its
// second step and resumed after the window restarts, through to the scheduled deletion; and the
// compromised-key response with its summary saved as a file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { KeyEngine } from '../../src/platform/engine';
import { openSqliteEngine } from '../../src/platform/store/sqlite/open-engine';
import { buildServer } from '../../src/server/server';
import { platformIdOf } from '../support/platform-id';
import { axeFindings } from './support/axe';
import { expect, shootBothThemes, test } from './support/fixtures';
import { seedInventory } from './support/inventory';
import { keyMenu, row } from './support/key-rows';
import { dataFilesContaining, secretToolLookup } from './support/keychain';

test.use({ seed: { run: seedInventory } });

test('a rotation: replacement, .env file, a restart of the window, test, revoke, deletion scheduled', async ({
  app,
  harness,
  dataDir,
}) => {
  await keyMenu(app, 'Production billing worker', 'Rotate…');
  const dialog = app.getByTestId('workflow-dialog');
  await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
  await expect(app.getByTestId('replace-label')).toHaveValue(/^Production billing worker \(\d{4}-\d{2}\)$/);
  await expect(app.getByTestId('replace-days')).toHaveValue('90'); // a production key under the policy
  await shootBothThemes(app, 'rotation-replace');
  await app.getByTestId('replace-create').click();

  // Step 2: the replacement to the clipboard and into a .env file of a git repository.
  await expect(app.getByTestId('workflow-step-update')).toBeVisible();
  const created = await app.evaluate(() => document.body.textContent.match(/replacement (sk-[0-9a-f]{8})/)?.[1] ?? '');
  expect(created).toMatch(/^sk-[0-9a-f]{8}$/);
  await app.getByTestId('update-copy-env').click();
  await expect.poll(() => harness.clipboard.readText()).toMatch(new RegExp(`^ITELLICO_API_KEY=${created}\\.`));
  const secret = (await harness.clipboard.readText()).slice('ITELLICO_API_KEY='.length);
  const repo = join(dataDir, 'billing-service');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  // A file it must not write: refused in the dialog, naming the file, nothing written.
  const readOnly = join(repo, '.env.production');
  writeFileSync(readOnly, 'A=1\n', { mode: 0o444 });
  await app.getByTestId('update-env-path').fill(readOnly);
  await app.getByTestId('update-env-write').click();
  await expect(app.getByTestId('update-env-error')).toContainText(
    `path: ${readOnly} is read-only: nothing was written`,
  );
  expect(readFileSync(readOnly, 'utf8')).toBe('A=1\n');
  // A name that is not an env file's: the admin has to say so first.
  await app.getByTestId('update-env-path').fill(join(repo, 'config.yaml'));
  await expect(app.getByTestId('update-env-write')).toBeDisabled();
  await expect(app.getByTestId('update-env-confirm-name')).toBeVisible();
  await app.getByTestId('update-env-confirm-name').check();
  await expect(app.getByTestId('update-env-write')).toBeEnabled();
  const env = join(repo, '.env');
  await app.getByTestId('update-env-path').fill(readOnly);
  await app.getByTestId('update-env-write').click();
  await shootBothThemes(app, 'rotation-update-refused');
  await app.getByTestId('update-env-path').fill(join(repo, 'config.yaml'));
  // The clipboard's toasts come and go while they fade (axe reads a fading one's contrast): closed first.
  await expect(app.getByTestId('clipboard-settled')).toBeVisible();
  await app.getByTestId('clipboard-settled').getByRole('button', { name: 'Dismiss' }).click();
  await expect(app.locator('.mantine-Notification-root')).toHaveCount(0);
  expect(await axeFindings(app, 'rotation update: a refusal and the name confirmation', 'moderate')).toEqual([]);
  await app.getByTestId('update-env-path').fill(env);
  await expect(app.getByTestId('update-env-confirm-name')).toHaveCount(0);
  await app.getByTestId('update-env-write').click();
  await expect(app.getByTestId('update-env-result')).toHaveAttribute('data-git', 'not_ignored');
  await expect(app.getByTestId('update-env-result')).toContainText('add it to .gitignore');
  await expect(app.getByTestId('update-env-error')).toHaveCount(0);
  expect(readFileSync(env, 'utf8')).toBe(`ITELLICO_API_KEY=${secret}\n`);
  await shootBothThemes(app, 'rotation-update');
  // A refusal after a success replaces it: the dialog never shows both.
  await app.getByTestId('update-env-path').fill(readOnly);
  await app.getByTestId('update-env-write').click();
  await expect(app.getByTestId('update-env-error')).toContainText('is read-only: nothing was written');
  await expect(app.getByTestId('update-env-result')).toHaveCount(0);
  await app.getByTestId('workflow-next').click();
  await expect(app.getByTestId('workflow-step-test')).toBeVisible();

  // The window closes mid-rotation; the rotation waits in Rotations.
  await app.reload();
  await app.getByTestId('nav-rotations').click();
  const listed = app.getByTestId('workflow-row').filter({ hasText: 'Production billing worker' });
  await expect(listed).toContainText('step 3 of 5: Test');
  await shootBothThemes(app, 'rotations-list');
  await listed.getByTestId('workflow-open').click();
  await expect(app.getByTestId('test-new')).toContainText('has not been used yet');
  await expect(app.getByTestId('test-old')).toContainText(
    /The old key (has not been used for \d+ minutes?|was used less than a minute ago)/,
  );

  // The application starts using the replacement: the step sees it within its next check.
  const engine = openSqliteEngine(join(dataDir, 'platform.db'));
  expect((await engine.verify(secret)).ok).toBe(true);
  await engine.close();
  await expect(app.getByTestId('test-new')).toContainText('was first seen in use', { timeout: 15_000 });
  await app.getByTestId('workflow-next').click();

  await app.getByTestId('revoke-old').click();
  await expect(app.getByTestId('revoke-old-confirm')).toHaveText(/Yes, revoke sk-[0-9a-f]{8}/);
  await app.getByTestId('revoke-old-confirm').click();
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await expect(app.getByTestId('schedule-deletion')).toHaveText(`Schedule deletion on ${due}`);
  await app.getByTestId('schedule-deletion').click();
  await expect(app.getByTestId('workflow-done')).toContainText(`due for deletion on ${due}`);
  await app.getByTestId('workflow-close').click();
  await expect(dialog).toBeHidden();

  await app.getByTestId('nav-keys').click();
  const old = row(app, 'Production billing worker').filter({ hasText: 'revoked' });
  await expect(old.locator('[data-rule="delete_scheduled"]')).toHaveText(`delete on ${due}`);
  await expect(row(app, 'Production billing worker (')).toContainText('active');
  expect(
    secretToolLookup(
      `${platformIdOf(join(dataDir, 'platform.db'))}/${(await row(app, 'Production billing worker (').getAttribute('data-key-id')) ?? ''}`,
    ),
  ).toBe(secret);
  expect(dataFilesContaining(dataDir, secret)).toEqual([]);

  // The platform holds the deletion: the old key's details say when, and can cancel it.
  await old.getByRole('button', { name: /^Actions for / }).click();
  await app.getByRole('menuitem', { name: 'Details' }).click();
  await expect(app.getByTestId('key-details')).toContainText(/Deletion.*, by the platform/);
  await app.getByTestId('details-cancel-deletion').click();
  await expect(old.locator('[data-rule="delete_scheduled"]')).toHaveCount(0);
  await expect(app.getByTestId('details-cancel-deletion')).toHaveCount(0);
  await expect(app.getByTestId('key-details')).toContainText('Deletionnot scheduled');
});

test('a compromised key: revoke first, replace, review its use, save the summary, investigate', async ({
  app,
  dataDir,
}) => {
  await keyMenu(app, 'Production search indexer', 'Compromised…');
  await expect(app.getByTestId('workflow-step-revoke')).toBeVisible();
  await app.getByTestId('revoke-old').click();
  await app.getByTestId('revoke-old-confirm').click();
  await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
  await app.getByTestId('replace-create').click();
  await expect(app.getByTestId('workflow-step-update')).toBeVisible();
  await app.getByTestId('workflow-next').click();

  await expect(app.getByTestId('workflow-step-review')).toBeVisible();
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 16);
  await app.getByTestId('review-exposed').fill(yesterday);
  await expect(app.getByTestId('review-after')).toContainText('1 call since the suspected exposure');
  await expect(app.getByTestId('review-events')).toContainText('revoked');
  await shootBothThemes(app, 'incident-review');
  await app.getByTestId('workflow-next').click();

  await expect(app.getByTestId('incident-summary')).toContainText('# Incident: API key sk-');
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByTestId('incident-save').click()]);
  const saved = join(dataDir, 'summary.md');
  await download.saveAs(saved);
  const summary = readFileSync(saved, 'utf8');
  expect(summary).toMatch(/^# Incident: API key sk-[0-9a-f]{8} compromised/);
  expect(summary).toContain('Account: US production');
  expect(summary).toContain('Suspected exposure: ');
  expect(summary).not.toMatch(/sk-[0-9a-f]{8}\.[0-9A-Za-z]/); // no full key, ever
  await shootBothThemes(app, 'incident-notify');
  // Six steps, one line: the stepper's labels are short, the step's heading says it in full.
  const tops = await app
    .locator('.mantine-Stepper-step')
    .evaluateAll((steps) => steps.map((step) => Math.round(step.getBoundingClientRect().top)));
  expect(tops).toHaveLength(6);
  expect(new Set(tops).size).toBe(1);
  await app.getByTestId('workflow-next').click();

  await app.getByTestId('investigate-check').first().check();
  await app.getByTestId('investigate-how').fill('Pasted in a support ticket');
  await app.getByTestId('investigate-prevention').fill('Redact keys in the ticket system');
  await app.getByTestId('investigate-prevention').blur();
  await app.getByTestId('workflow-next').click();
  await expect(app.getByTestId('workflow-done')).toContainText('Incident closed');
  await app.getByTestId('workflow-close').click();

  await app.getByTestId('nav-rotations').click();
  const listed = app.getByTestId('workflow-row').filter({ hasText: 'Production search indexer' });
  await expect(listed).toHaveAttribute('data-status', 'done');
  const [again] = await Promise.all([app.waitForEvent('download'), listed.getByTestId('workflow-export').click()]);
  await again.saveAs(saved);
  expect(readFileSync(saved, 'utf8')).toContain('How it leaked: Pasted in a support ticket');
});

test.describe('the review of a compromised key used over HTTP', () => {
  // `keyhold serve` on the app's own database, as an admin may run it: the key is used from two
  // clients (one creates a subaccount with it) before the incident, and once after its revocation.
  let searchSecret = '';
  const serveOn = async (engine: KeyEngine, requests: (url: string) => Promise<void>) => {
    const server = await buildServer({ engine, log: () => {} });
    await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      await requests(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}`);
    } finally {
      await server.close();
    }
  };
  const as = (secret: string, agent: string) => ({ authorization: `Bearer ${secret}`, 'user-agent': agent });
  test.use({
    seed: {
      run: async (engine, rootId) => {
        searchSecret = (await seedInventory(engine, rootId)).get('Production search indexer') ?? '';
        await serveOn(engine, async (url) => {
          for (let i = 0; i < 2; i++)
            await fetch(`${url}/v1/accounts/me`, { headers: as(searchSecret, 'indexer/2.1') });
          await fetch(`${url}/v1/accounts/me/subaccounts`, {
            method: 'POST',
            headers: { ...as(searchSecret, 'curl/8.5.0'), 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'Shadow' }),
          });
        });
      },
    },
  });

  test('shows who used it, its requests, the attempts after revocation and what it did', async ({ app, dataDir }) => {
    // The key's details say where its last use came from.
    await row(app, 'Production search indexer').click();
    await expect(app.getByTestId('key-details')).toContainText(
      'from 127.0.0.1 (curl/8.5.0), POST /v1/accounts/:accountId/subaccounts',
    );
    await app.keyboard.press('Escape');
    await keyMenu(app, 'Production search indexer', 'Compromised…');
    await app.getByTestId('revoke-old').click();
    await app.getByTestId('revoke-old-confirm').click();
    await expect(app.getByTestId('workflow-step-replace')).toBeVisible();
    const served = openSqliteEngine(join(dataDir, 'platform.db'));
    await serveOn(served, async (url) => {
      expect((await fetch(`${url}/v1/accounts/me`, { headers: as(searchSecret, 'indexer/2.1') })).status).toBe(401);
    });
    await served.close();
    await app.getByTestId('replace-create').click();
    await app.getByTestId('workflow-next').click();
    await expect(app.getByTestId('workflow-step-review')).toBeVisible();
    await app.getByTestId('review-exposed').fill(new Date(Date.now() - 86_400_000).toISOString().slice(0, 16));

    await expect(app.getByTestId('review-source')).toHaveCount(2);
    await expect(app.getByTestId('review-source-new')).toHaveCount(2);
    await expect(app.getByTestId('review-sources')).toContainText('indexer/2.1');
    await expect(app.getByTestId('review-after-revoke')).toContainText('1 attempt with the key after it was revoked');
    await expect(app.getByTestId('review-request')).toHaveCount(4);
    await app.getByTestId('review-filter-outcome').selectOption('revoked');
    await expect(app.getByTestId('review-request')).toHaveCount(1);
    await expect(app.getByTestId('review-request')).toContainText('401 revoked');
    await app.getByTestId('review-filter-outcome').selectOption('');
    await app.getByTestId('review-filter-source').selectOption({ label: '127.0.0.1 · curl/8.5.0' });
    await expect(app.getByTestId('review-request')).toHaveCount(1);
    await expect(app.getByTestId('review-request')).toContainText('POST /v1/accounts/:accountId/subaccounts');
    await expect(app.getByTestId('review-actions')).toContainText('created account “Shadow”');
    expect(await axeFindings(app, 'incident review with requests', 'moderate')).toEqual([]);
    await app.getByTestId('review-sources').scrollIntoViewIfNeeded();
    await shootBothThemes(app, 'incident-review-requests');
    await app.getByTestId('review-filter-source').selectOption(''); // the exports hold what the filters select
    await expect(app.getByTestId('review-request')).toHaveCount(4);
    const [exported] = await Promise.all([app.waitForEvent('download'), app.getByTestId('review-export-json').click()]);
    const reviewFile = join(dataDir, 'review.json');
    await exported.saveAs(reviewFile);
    const review = JSON.parse(readFileSync(reviewFile, 'utf8'));
    expect(review.sources).toHaveLength(2);
    expect(review.requests.map((r: { outcome: string }) => r.outcome)).toContain('revoked');
    expect(review.actions[0]).toMatchObject({ subject: 'account', action: 'created', name: 'Shadow' });
    expect(readFileSync(reviewFile, 'utf8')).not.toContain(searchSecret.slice(12));
    const [csv] = await Promise.all([app.waitForEvent('download'), app.getByTestId('review-export-csv').click()]);
    const csvFile = join(dataDir, 'requests.csv');
    await csv.saveAs(csvFile);
    expect(readFileSync(csvFile, 'utf8').split('\r\n')[0]).toBe(
      'at,method,route,status,outcome,account_id,address,user_agent,request_id',
    );
    await app.getByTestId('workflow-next').click();
    const summary = app.getByTestId('incident-summary');
    await expect(summary).toContainText('## Who used it');
    await expect(summary).toContainText('127.0.0.1 · curl/8.5.0: 1 request');
    await expect(summary).toContainText('Attempts after revocation: 1 (something still holds the key).');
    await expect(summary).toContainText('created account “Shadow”');
  });

  test('the audit flags its new source, then the attempts after its revocation', async ({ app, dataDir }) => {
    const finding = (rule: string) => app.locator(`[data-testid="finding-group"][data-rule="${rule}"]`);
    await app.getByTestId('nav-audit').click();
    await expect(app.getByTestId('audit-activity')).toContainText('1 key with logged use');
    await expect(finding('new_source')).toContainText('“Production search indexer”');
    await expect(finding('refused_attempts')).toHaveCount(0);

    await app.getByTestId('nav-keys').click();
    await keyMenu(app, 'Production search indexer', 'Revoke…');
    await app.getByTestId('revoke-confirm').click();
    await expect(row(app, 'Production search indexer').getByTestId('status-badge')).toHaveText('revoked');
    const served = openSqliteEngine(join(dataDir, 'platform.db'));
    await serveOn(served, async (url) => {
      for (let i = 0; i < 3; i++)
        expect((await fetch(`${url}/v1/accounts/me`, { headers: as(searchSecret, 'indexer/2.1') })).status).toBe(401);
    });
    await served.close();

    await app.getByTestId('nav-audit').click();
    await expect(finding('refused_attempts')).toContainText('“Production search indexer” (sk-');
    await expect(finding('refused_attempts')).toContainText('was presented 3 times after its revocation or expiry');
    await expect(finding('new_source')).toHaveCount(0); // a revoked key's sources are refused attempts now
    expect(await axeFindings(app, 'audit with activity findings', 'moderate')).toEqual([]);
    await app.getByRole('button', { name: 'Dismiss' }).click(); // the revoke's toast, over the findings
    await expect(app.getByTestId('undo')).toHaveCount(0);
    await finding('refused_attempts').scrollIntoViewIfNeeded();
    await shootBothThemes(app, 'audit-activity');
  });
});

test.describe('the review of a key with a long request log', () => {
  // 1,200 requests logged for the key (as `keyhold serve` logs them): more than a page, so the
  // list asks the platform for the next pages as it scrolls, and draws only the rows on screen.
  const REQUESTS = 1200;
  test.use({
    seed: {
      run: async (engine, rootId) => {
        await seedInventory(engine, rootId);
        const key = (await engine.listKeys(null, { q: 'Production search indexer' })).data[0];
        const start = Date.now() - 3600_000;
        for (let i = 0; i < REQUESTS; i++) {
          engine.logRequest({
            at: start + i * 1000,
            keyId: key?.id as string,
            accountId: null,
            method: 'GET',
            route: '/v1/accounts/:accountId/api-keys',
            status: i % 10 === 0 ? 429 : 200,
            outcome: i % 10 === 0 ? 'rate_limited' : 'ok',
            address: `198.51.100.${i % 3}`,
            userAgent: 'indexer/2.1',
            requestId: `req_${i}`,
          });
        }
      },
    },
  });

  test('pages through every request as the list scrolls, filtered by the platform', async ({ app }) => {
    await keyMenu(app, 'Production search indexer', 'Compromised…');
    await app.getByTestId('revoke-old').click();
    await app.getByTestId('revoke-old-confirm').click();
    await app.getByTestId('replace-create').click();
    await app.getByTestId('workflow-next').click();
    await expect(app.getByTestId('workflow-step-review')).toBeVisible();
    const count = app.getByTestId('review-request-count');
    await expect(count).toHaveText('500 requests so far: scroll for more.');
    const list = app.getByTestId('review-requests');
    // Only the rows on screen are drawn, whatever has been loaded.
    expect(await app.getByTestId('review-request').count()).toBeLessThan(40);
    await expect(app.getByTestId('review-request').first()).toContainText(`198.51.100.${(REQUESTS - 1) % 3}`);
    for (const loaded of ['1,000 requests so far: scroll for more.', '1,200 requests.']) {
      await list.evaluate((element) => element.scrollTo(0, element.scrollHeight));
      await expect(count).toHaveText(loaded);
    }
    await expect(app.getByTestId('review-request').last()).toContainText('198.51.100.0'); // the oldest, request 0
    expect(await app.getByTestId('review-request').count()).toBeLessThan(40);
    // The keyboard scrolls the list too.
    await list.evaluate((element) => element.scrollTo(0, 0));
    await list.focus();
    await app.keyboard.press('End');
    await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);

    await app.getByTestId('review-filter-outcome').selectOption('rate_limited');
    await expect(count).toHaveText('120 requests.');
    await expect(app.getByTestId('review-request').first()).toContainText('429 rate_limited');
    await app.getByTestId('review-filter-source').selectOption({ label: '198.51.100.1 · indexer/2.1' });
    await expect(count).toHaveText('40 requests.');
    expect(await axeFindings(app, 'review with a long request log', 'moderate')).toEqual([]);
  });
});
