// Driving the window with the keyboard alone, as the keyboard specs do: Tab to a control, an item
// of an open menu by the arrows, a key's row in the grid by the arrows, and a count of the mouse
// events the page saw (there must be none).
import { expect, type Locator, type Page } from '@playwright/test';
import { row } from './key-rows';

export const focused = (target: Locator) =>
  target.evaluate((element) => element === document.activeElement || element.contains(document.activeElement));

/** Presses Tab (or Shift+Tab) until the target has the focus. */
export async function tabTo(app: Page, target: Locator, back = false): Promise<void> {
  await expect(target).toBeVisible();
  for (let press = 0; press < 120; press++) {
    if (await focused(target)) return;
    await app.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** Arrow keys in an open menu until the wanted item has the focus, then Enter. */
export async function chooseMenuItem(app: Page, name: string): Promise<void> {
  const item = app.getByRole('menuitem', { name });
  await expect(item).toBeVisible();
  for (let press = 0; press < 15 && !(await focused(item)); press++) await app.keyboard.press('ArrowDown');
  await expect(item).toBeFocused();
  await app.keyboard.press('Enter');
}

/** Into the key table (one Tab stop), then ↑ or ↓ to the row of the key with this label. */
export async function gridToRow(app: Page, label: string): Promise<Locator> {
  await tabTo(app, app.getByRole('grid', { name: 'API keys' }));
  const target = row(app, label).first();
  const want = Number(await target.getAttribute('data-grid-row'));
  const at = await app.evaluate(() =>
    Number(document.activeElement?.closest('[data-grid-row]')?.getAttribute('data-grid-row')),
  );
  for (let step = 0; step < Math.abs(want - at); step++) await app.keyboard.press(want > at ? 'ArrowDown' : 'ArrowUp');
  await expect.poll(() => focused(target)).toBe(true);
  return target;
}

/** Counts the page's trusted mouse and pointer presses from now on, reloads included. */
export async function countMousePresses(app: Page): Promise<() => Promise<number>> {
  const install = () => {
    const page = window as unknown as { mousePresses?: number };
    page.mousePresses = 0;
    for (const type of ['mousedown', 'pointerdown', 'click'])
      addEventListener(
        type,
        // A keyboard's Enter or Space on a button makes a click too, with no pointer (detail 0).
        (event) => {
          if (event.isTrusted && (type !== 'click' || (event as MouseEvent).detail > 0))
            page.mousePresses = (page.mousePresses ?? 0) + 1;
        },
        true,
      );
  };
  await app.addInitScript(install);
  await app.evaluate(install);
  return () => app.evaluate(() => (window as unknown as { mousePresses?: number }).mousePresses ?? 0);
}

/** Tab to the control with this test id and press Enter on it. */
export async function pressOn(app: Page, testId: string): Promise<void> {
  await tabTo(app, app.getByTestId(testId));
  await app.keyboard.press('Enter');
}
