// The key table at the widths admins use: the label, the flags and the actions stay on screen
// while the rest scrolls; columns hide and resize, and the connection remembers it after a reload.
import type { Locator, Page } from '@playwright/test';
import { HIDEABLE_COLUMNS } from '../../src/shared/ipc/window-data';
import { expect, screenshotPath, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { row } from './support/key-rows';

const box = async (locator: Locator) => (await locator.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };

/** Is the element wholly inside the table's visible area? */
async function inView(app: Page, cell: Locator): Promise<boolean> {
  const table = await box(app.getByTestId('keys-table'));
  const it = await box(cell);
  return it.width > 0 && it.x >= table.x - 1 && it.x + it.width <= table.x + table.width + 1;
}

const LONG_LABEL = 'Payment webhooks for the EU web shops'; // 37 characters
const seed = auditSeed();
test.use({
  seed: {
    clock: seed.clock,
    run: async (engine, rootId) => {
      await seed.run(engine, rootId);
      await engine.createKey(rootId, { label: LONG_LABEL }, { kind: 'user', name: 'seed' });
    },
  },
});

/** Does the table's body scroll sideways (some column off screen)? */
const scrollsSideways = (app: Page) =>
  app
    .getByTestId('keys-table')
    .locator('> div')
    .first()
    .evaluate((element) => element.scrollWidth > element.clientWidth);

test('at 1280 px every column is on screen and a long label reads whole; the account panel folds and unfolds', async ({
  app,
}) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await app.reload(); // the panel's first state follows the window's width
  const long = row(app, LONG_LABEL);
  await expect(long).toBeVisible();
  // Folded below 1440 px: the table has the width.
  const toggle = app.getByTestId('account-panel-toggle');
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toHaveText(/Accounts: all/);
  await expect(app.getByTestId('account-tree')).toHaveCount(0);
  expect(await scrollsSideways(app)).toBe(false);
  for (const column of ['label', ...HIDEABLE_COLUMNS, 'flags']) {
    expect(await inView(app, app.locator(`[role="columnheader"][data-column="${column}"]`)), column).toBe(true);
  }
  // The label wraps rather than cut: every character is drawn, within two lines.
  const label = long.locator('[class*="labelText"]');
  const drawn = await label.evaluate((element) => ({
    text: element.textContent,
    clipped: element.scrollHeight > element.clientHeight + 1,
  }));
  expect(drawn).toEqual({ text: LONG_LABEL, clipped: false });
  // One flag and a count of the rest: no badge cut in half.
  const deploy = row(app, 'Deploy bot');
  await expect(deploy.getByTestId('key-flag-more')).toHaveText('+1');
  await expect(deploy.getByTestId('key-flag-more')).toHaveAttribute('aria-label', 'also: never used');
  const flagsCell = await box(deploy.locator('[role="gridcell"]:has([data-testid="key-flag"])'));
  for (const badge of [deploy.getByTestId('key-flag'), deploy.getByTestId('key-flag-more')]) {
    const it = await box(badge);
    expect(it.x >= flagsCell.x && it.x + it.width <= flagsCell.x + flagsCell.width).toBe(true);
  }
  await app.screenshot({ path: screenshotPath('keys-1280x800') });

  // Unfolded: the tree is back, the table scrolls sideways, label, flags and actions stay pinned.
  await toggle.click();
  await expect(app.getByTestId('account-tree')).toBeVisible();
  await expect(toggle).toHaveText(/^.?\s*Accounts$/);
  const billing = row(app, 'Production billing worker');
  const pinned = [
    billing.getByRole('gridcell').filter({ hasText: 'Production billing worker' }),
    billing.getByTestId('key-flag').first(),
    billing.getByRole('button', { name: 'Actions for Production billing worker' }),
  ];
  expect(await scrollsSideways(app)).toBe(true);
  const body = app.getByTestId('keys-table').locator('> div').first();
  for (const to of ['end', 'start'] as const) {
    await body.evaluate((element, where) => {
      element.scrollLeft = where === 'end' ? element.scrollWidth : 0;
    }, to);
    for (const cell of pinned) expect(await inView(app, cell)).toBe(true);
  }
  // The choice is kept: after a reload the panel is as the admin left it.
  await app.reload();
  await expect(app.getByTestId('account-tree')).toBeVisible();
  await app.getByTestId('account-panel-toggle').click();
  await expect(app.getByTestId('account-tree')).toHaveCount(0);

  // Left to the window: open from 1600 px, where the table still has the width for every column.
  await app.evaluate(() => localStorage.removeItem('keyhold.account-panel'));
  for (const [width, height, open] of [
    [1440, 900, false],
    [1920, 1080, true],
  ] as const) {
    await app.setViewportSize({ width, height });
    await app.reload();
    await expect(long).toBeVisible();
    await expect(app.getByTestId('account-panel-toggle')).toHaveAttribute('aria-expanded', String(open));
    expect(await scrollsSideways(app)).toBe(false);
    await app.screenshot({ path: screenshotPath(`keys-${width}x${height}`) });
  }
});

test('columns hide and resize (mouse or keyboard) and the connection remembers them', async ({ app, harness }) => {
  await app.setViewportSize({ width: 1440, height: 900 });
  await expect(row(app, 'Deploy bot')).toBeVisible();
  const header = (column: string) => app.locator(`[role="columnheader"][data-column="${column}"]`);

  // Hide Created and Key from the Columns menu: header and rows lose them.
  await app.getByTestId('columns-menu').click();
  await app.getByTestId('column-created_at').click();
  await app.getByTestId('column-partial_key').click();
  await expect(app.getByTestId('column-created_at')).toHaveAttribute('aria-checked', 'false');
  await app.keyboard.press('Escape');
  await expect(header('created_at')).toHaveCount(0);
  await expect(header('partial_key')).toHaveCount(0);
  await expect(row(app, 'Deploy bot')).not.toContainText('sk-');

  // Label wider by the keyboard (Shift+→ on its header, 3 × 16 px), Account by dragging its edge.
  const labelWidth = (await box(header('label'))).width;
  await app.getByTestId('sort-label').focus();
  for (let press = 0; press < 3; press++) await app.keyboard.press('Shift+ArrowRight');
  await expect(app.getByTestId('sort-label')).toBeFocused();
  await expect.poll(async () => Math.round((await box(header('label'))).width)).toBe(Math.round(labelWidth) + 48);
  const edge = await box(app.getByTestId('resize-account'));
  const accountWidth = (await box(header('account'))).width;
  await app.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await app.mouse.down();
  await app.mouse.move(edge.x + 80, edge.y + edge.height / 2, { steps: 4 });
  await app.mouse.up();
  // The drag started at the handle's middle: the column grows by 80 px less half the handle.
  await expect
    .poll(async () => Math.abs((await box(header('account'))).width - (accountWidth + 80 - edge.width / 2)))
    .toBeLessThan(1.5);
  const widths = { label: (await box(header('label'))).width, account: (await box(header('account'))).width };

  // Saved with the connection's view: a reload brings the same columns back.
  // Saved 400 ms after the last change: once main holds these widths, the window may go.
  const saved = async () => {
    const { connections } = await harness.app.handlers['connections:list']({});
    return connections.find((connection) => connection.kind === 'embedded')?.last_view?.columns?.widths ?? {};
  };
  await expect.poll(async () => Math.abs(((await saved()).account ?? 0) - widths.account)).toBeLessThan(1.5);
  await app.reload();
  await expect(row(app, 'Deploy bot')).toBeVisible();
  await expect(header('created_at')).toHaveCount(0);
  expect((await box(header('label'))).width).toBeCloseTo(widths.label, 0);
  expect((await box(header('account'))).width).toBeCloseTo(widths.account, 0);

  await app.getByTestId('columns-menu').click();
  await app.getByTestId('columns-reset').click();
  await app.keyboard.press('Escape');
  await expect(header('created_at')).toHaveCount(1);
  await expect(header('partial_key')).toHaveCount(1);

  // The header's select-all takes the rows shown now (after a search, only those).
  await app.getByTestId('search').fill('staging');
  await app.getByTestId('select-shown').check();
  await expect(app.getByTestId('selected-count')).toHaveText('3 keys selected');
});
