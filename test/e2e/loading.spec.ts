// A saved view that filters and sorts, on an inventory that arrives after its first slice: main
// answers the view's first rows and count over every key, so the table's first rows and count are the
// true result from the first paint (never a partial answer, which would read as "no matches").
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store';
import { expect, test } from './support/fixtures';
import { saveViewOfActiveConnection } from './support/saved-view';

const KEYS = 12_600; // the first slice of 200, then every key in one transfer

/** The secret of the first key made: the last in the table's order, so never in its first slice. */
let firstSecret = '';

test.use({
  seed: {
    run: (engine, rootId) =>
      (engine.store as SqliteStore).batch(async () => {
        // The last hundred are tagged: only the last page holds them.
        for (let i = 0; i < KEYS; i++) {
          const { secret } = await engine.createKey(
            rootId,
            { label: i >= KEYS - 100 ? `tail service ${i}` : `service ${i}` },
            { kind: 'system' },
          );
          if (i === 0) firstSecret = secret;
        }
      }),
  },
});

/** Holds back the transfer of every key (in the harness's transport) until the answer is called. */
async function holdEveryKey(app: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await app.context().route(/\/__harness\/ipc\/inventory%3Akeys$/, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('a saved filter shows its true answer from the first paint while the rest loads', async ({ app }) => {
  const total = KEYS.toLocaleString('en-US');
  await expect(app.getByTestId('keys-count')).toHaveText(`${total} of ${total} keys`);
  // Only the rows on screen are drawn, wherever the table is scrolled to: the last key at the bottom.
  // The scroll needs the table to hold every row: the count is drawn by its own component, so it
  // may read 12,600 a frame before the table has its full height (once, in a whole run, the scroll
  // then fell short of the last row).
  await expect(app.getByTestId('keys-table')).toHaveAttribute('aria-rowcount', String(KEYS + 1)); // and the header row
  await app
    .getByTestId('keys-table')
    .locator('> div')
    .evaluate((body) => body.scrollTo(0, body.scrollHeight));
  await expect(app.getByTestId('key-row').filter({ hasText: /service 0(?!\d)/ })).toBeInViewport();
  expect(await app.getByTestId('key-row').count()).toBeLessThan(60);
  // Words in any order: the hundred tagged keys, sorted by label, descending.
  await saveViewOfActiveConnection(app, { search: 'service tail', sort: { column: 'label', direction: 'desc' } });
  // Every key's transfer is held back until the first screen is checked.
  const release = await holdEveryKey(app);
  await app.reload();
  // Main's answer: the view's first rows and its count over every key, before the window has them.
  await expect(app.getByTestId('keys-count')).toHaveText(`100 of ${total} keys (loading…)`);
  await expect(app.getByTestId('key-row').first()).toContainText(`tail service ${KEYS - 1}`);
  await expect(app.getByTestId('search')).toHaveValue('service tail');
  release();
  // Every key in: the window's own answer is the same.
  await expect(app.getByTestId('keys-count')).toHaveText(`100 of ${total} keys`);
  await expect(app.getByTestId('key-row').first()).toContainText(`tail service ${KEYS - 1}`);
});

test('a leak scan that ends before every key is in does not call a key foreign, and grades it once it is in', async ({
  app,
  dataDir,
}) => {
  const folder = join(dataDir, 'worker');
  mkdirSync(folder);
  writeFileSync(join(folder, 'config.ts'), `export const key = '${firstSecret}';\n`);
  const release = await holdEveryKey(app);
  await app.reload();
  await expect(app.getByTestId('keys-count')).toHaveText(/\(loading…\)$/);
  await app.getByTestId('nav-scan').click();
  await app.getByTestId('scan-folders').fill(folder);
  await app.getByTestId('scan-start').click();
  const finding = app.getByTestId('scan-finding');
  await expect(finding.getByTestId('scan-finding-unknown')).toHaveText(
    'not among the keys loaded so far: graded again once every key is in',
  );
  release();
  await expect(finding).toContainText('“service 0” in Root account');
  await expect(finding.getByTestId('scan-finding-unknown')).toHaveCount(0);
});
