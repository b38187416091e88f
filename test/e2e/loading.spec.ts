// A saved view that filters and sorts, on an inventory that arrives after its first slice: the table
// never shows a partial answer (it would read as "no matches"); its first rows are the true result.
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
  await expect(app.getByTestId('keys-count')).toHaveText(
    `${KEYS.toLocaleString('en-US')} of ${KEYS.toLocaleString('en-US')} keys`,
  );
  // Words in any order: the hundred tagged keys, sorted by label, descending.
  await saveViewOfActiveConnection(app, { search: 'service tail', sort: { column: 'label', direction: 'desc' } });
  // Every text the count ever shows after the reload, from the very first.
  await app.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { countsSeen: string[] }).countsSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="keys-count"]')?.textContent;
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await app.reload();
  await expect(app.getByTestId('search')).toHaveValue('service tail');
  await expect(app.getByTestId('keys-count')).toHaveText(`100 of ${KEYS.toLocaleString('en-US')} keys`);
  const seen = await app.evaluate(() => (window as unknown as { countsSeen: string[] }).countsSeen);
  expect(seen).toEqual([`100 of ${KEYS.toLocaleString('en-US')} keys`]);
  await expect(app.getByTestId('key-row').first()).toContainText(`tail service ${KEYS - 1}`);
});
