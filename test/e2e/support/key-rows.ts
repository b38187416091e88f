// Finding a key's row in the table and choosing from its actions menu, as the specs do.
import type { Page } from '@playwright/test';

export const row = (app: Page, label: string) => app.getByTestId('key-row').filter({ hasText: label });

export async function keyMenu(app: Page, label: string, item: string): Promise<void> {
  await row(app, label)
    .first()
    .getByRole('button', { name: `Actions for ${label}` })
    .click();
  await app.getByRole('menuitem', { name: item }).click();
}
