// The key table at the widths admins use: the label, the flags and the actions stay on screen
// while the rest scrolls; columns hide and resize, and the connection remembers it after a reload.
import type { Locator, Page } from '@playwright/test';
import { expect, screenshotPath, test } from './support/fixtures';
import { auditSeed } from './support/inventory';
import { row } from './support/key-rows';

test.use({ seed: auditSeed() });

const box = async (locator: Locator) => (await locator.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };

/** Is the element wholly inside the table's visible area? */
async function inView(app: Page, cell: Locator): Promise<boolean> {
  const table = await box(app.getByTestId('keys-table'));
  const it = await box(cell);
  return it.width > 0 && it.x >= table.x - 1 && it.x + it.width <= table.x + table.width + 1;
}

test('at 1280 px the label, flags and actions stay in view while the table scrolls sideways', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  const billing = row(app, 'Production billing worker');
  await expect(billing).toBeVisible();
  const label = billing.getByRole('cell').filter({ hasText: 'Production billing worker' });
  const flags = billing.getByTestId('key-flag').first();
  const actions = billing.getByRole('button', { name: 'Actions for Production billing worker' });
  await app.screenshot({ path: screenshotPath('keys-1280x800') });

  const body = app.getByTestId('keys-table').locator('> div').first();
  const scrollable = await body.evaluate((element) => element.scrollWidth > element.clientWidth);
  expect(scrollable).toBe(true); // the point of the test: not everything fits at this width
  for (const to of ['end', 'start'] as const) {
    await body.evaluate((element, where) => {
      element.scrollLeft = where === 'end' ? element.scrollWidth : 0;
    }, to);
    for (const cell of [label, flags, actions]) expect(await inView(app, cell)).toBe(true);
  }

  await app.setViewportSize({ width: 1920, height: 1080 });
  await expect(billing).toBeVisible();
  expect(await body.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(false);
  await app.screenshot({ path: screenshotPath('keys-1920x1080') });
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

  // Label wider by the keyboard (3 × 16 px), Account by dragging its edge.
  const labelWidth = (await box(header('label'))).width;
  await app.getByTestId('resize-label').focus();
  for (let press = 0; press < 3; press++) await app.keyboard.press('ArrowRight');
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
