// Finding a key's row in the table and choosing from its actions menu, as the specs do.
import { expect, type Locator, type Page } from '@playwright/test';

export const row = (app: Page, label: string) => app.getByTestId('key-row').filter({ hasText: label });

export async function keyMenu(app: Page, label: string, item: string): Promise<void> {
  await row(app, label)
    .first()
    .getByRole('button', { name: `Actions for ${label}` })
    .click();
  await app.getByRole('menuitem', { name: item }).click();
}

/**
 * A row's flags, most pressing first, as words or as rule ids: the badge shown and those behind
 * its "+N" (KeyTableRow's Flags). Poll it: `await expect.poll(() => flagsOf(row)).toEqual([...])`.
 */
export function flagsOf(keyRow: Locator, as: 'words' | 'rules' = 'words'): Promise<string[]> {
  return keyRow.first().evaluate((element, want) => {
    const shown = element.querySelector<HTMLElement>('[data-testid="key-flag"]');
    const more = element.querySelector<HTMLElement>('[data-testid="key-flag-more"]');
    if (!shown) return [];
    if (want === 'rules') return [shown.dataset.rule ?? '', ...(more?.dataset.rules?.split(' ') ?? [])];
    return [shown.textContent ?? '', ...(more?.title.split('\n') ?? [])];
  }, as);
}

/** Opens the account panel beside the table if it is folded (it is, at first, below 1600 px). */
export async function showAccounts(app: Page): Promise<void> {
  const toggle = app.getByTestId('account-panel-toggle');
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
}
