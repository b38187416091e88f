// A saved view that filters and sorts, on an inventory that arrives after its first slice: main
// answers the view's first rows and count over every key, so the table's first rows and count are the
// true result from the first paint (never a partial answer, which would read as "no matches").
import type { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store';
import { expect, test } from './support/fixtures';
import { saveViewOfActiveConnection } from './support/saved-view';

const KEYS = 12_600; // the first slice of 200, then every key in one transfer

test.use({
  seed: {
    run: (engine, rootId) =>
      (engine.store as SqliteStore).batch(async () => {
        // The last hundred are tagged: only the last page holds them.
        for (let i = 0; i < KEYS; i++) {
          await engine.createKey(
            rootId,
            { label: i >= KEYS - 100 ? `tail service ${i}` : `service ${i}` },
            { kind: 'system' },
          );
        }
      }),
  },
});

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
  // Every key's transfer is held back (in the harness's transport) until the first screen is checked.
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await app.context().route(/\/__harness\/ipc\/inventory%3Akeys$/, async (route) => {
    await released;
    await route.continue();
  });
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
