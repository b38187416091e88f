// Saves a view (filters and sort) for the active connection through the window's own API, as
// the app does when the admin changes them; the next load opens on it.
import type { Page } from '@playwright/test';
import type { SavedView } from '../../../src/shared/ipc/window-data';

export async function saveViewOfActiveConnection(
  page: Page,
  view: Pick<SavedView, 'search' | 'sort'> & Partial<SavedView>,
): Promise<void> {
  const full: SavedView = {
    page: 'keys',
    account_id: null,
    include_subaccounts: true,
    status: null,
    flag: null,
    ...view,
  };
  await page.evaluate(async (saved) => {
    const listed = (await window.keyhold.connections.list({})) as unknown as { data: { active_id: string } };
    await window.keyhold.connections.saveView({ id: listed.data.active_id, view: saved });
  }, full);
}
