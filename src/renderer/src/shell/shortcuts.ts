// The window's keyboard shortcuts, in one place: what they do and how the `?` panel lists them.
// Single keys never fire while typing in a field, nor while a dialog is open (it has the keys).
import { useHotkeys } from '@mantine/hooks';
import { useAppStore } from '../stores/app-store';
import { selectReadOnly, useInventoryStore } from '../stores/inventory-store';
import { anyDialogOpen, useUiStore } from '../stores/ui-store';

export const KEY_SEARCH_ID = 'key-search';

const isMac = () => navigator.userAgent.includes('Mac');
// Open, or asked for and still loading: a letter typed at once into a dialog about to appear (the
// "n" of "Staging") is not a shortcut.
const dialogOpen = () =>
  anyDialogOpen(useUiStore.getState()) || document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

/** The Keys page's search, focused (the page is shown first if need be). */
export function focusKeySearch(): void {
  useAppStore.getState().setPage('keys');
  // The Keys page may only render on the next frame.
  requestAnimationFrame(() => document.getElementById(KEY_SEARCH_ID)?.focus());
}

/** The create-key wizard, unless the inventory cannot change (the wizard's button says why). */
export function startCreateKey(): void {
  useAppStore.getState().setPage('keys');
  if (!selectReadOnly(useInventoryStore.getState())) useUiStore.getState().open({ wizardOpen: true });
}

/** What the `?` panel lists: global shortcuts, then the keys of the table, the tree and dialogs. */
export function shortcutList(): Array<{ group: string; keys: string[]; does: string }> {
  const palette = isMac() ? '⌘ K' : 'Ctrl K';
  return [
    { group: 'Anywhere', keys: [palette], does: 'Command palette: jump to a key, an account, a page or an action' },
    { group: 'Anywhere', keys: ['/'], does: 'Search keys' },
    { group: 'Anywhere', keys: ['N'], does: 'Create a key' },
    { group: 'Anywhere', keys: ['?'], does: 'This list' },
    { group: 'Key table', keys: ['Tab'], does: 'Into the table (one stop: the cell last active) and out again' },
    { group: 'Key table', keys: ['↑', '↓', '←', '→'], does: 'Move between cells; the header is the first row' },
    { group: 'Key table', keys: ['Home', 'End'], does: 'First or last cell of the row' },
    { group: 'Key table', keys: ['Ctrl Home', 'Ctrl End'], does: 'First or last key' },
    { group: 'Key table', keys: ['PgUp', 'PgDn'], does: 'A screen of keys up or down' },
    { group: 'Key table', keys: ['Enter'], does: 'Open the key’s details (on ⋯: its actions; in the header: sort)' },
    { group: 'Key table', keys: ['Space'], does: 'Tick the key (in the header: every key shown)' },
    { group: 'Key table', keys: ['Shift F10'], does: 'The key’s actions' },
    { group: 'Key table', keys: ['Shift ←', 'Shift →'], does: 'Narrower or wider (on a column’s header)' },
    { group: 'Accounts', keys: ['↑', '↓'], does: 'Previous or next account' },
    { group: 'Accounts', keys: ['←', '→'], does: 'Parent account, or first subaccount' },
    { group: 'Accounts', keys: ['Home', 'End'], does: 'First or last account' },
    { group: 'Accounts', keys: ['Enter'], does: 'Show the account’s keys' },
    { group: 'Accounts', keys: ['Shift F10'], does: 'The account’s actions' },
    { group: 'Dialogs', keys: ['Enter'], does: 'Next step of a wizard, when the step is complete' },
    { group: 'Dialogs', keys: ['Esc'], does: 'Close; the focus goes back where it was' },
  ];
}

/** `/`, `n` and `?` (Ctrl+K / ⌘K belongs to the command palette). */
export function useGlobalShortcuts(): void {
  const unlessDialog = (run: () => void) => () => {
    if (!dialogOpen()) run();
  };
  useHotkeys([
    ['/', unlessDialog(focusKeySearch)],
    ['n', unlessDialog(startCreateKey)],
    ['shift+?', unlessDialog(() => useUiStore.getState().open({ shortcutsOpen: true }))],
  ]);
}
