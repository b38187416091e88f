// Account actions as the window runs them: call main, update the tree at once, say what happened.
import { notifications } from '@mantine/notifications';
import type { Account } from '../../../../shared/domain';
import { errorMessage, ipc } from '../../ipc';
import { useAppStore } from '../../stores/app-store';
import { selectReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { useViewStore } from '../../stores/view-store';

function accepted(account: Account, title: string, message: string): Account {
  useInventoryStore.getState().upsertAccount(account);
  notifications.show({ color: 'teal', title, message });
  return account;
}

/** Where "New subaccount" puts one: under the account the Keys page shows, else under the root. */
export const newSubaccountParent = (shownAccountId: string | null, accounts: Account[]): Account | undefined =>
  accounts.find((account) => (shownAccountId === null ? account.parent_id === null : account.id === shownAccountId));

/** "New subaccount" (the tree's button, the palette): its dialog on the Keys page, unless keys cannot change. */
export function startNewSubaccount(): void {
  const inventory = useInventoryStore.getState();
  const parent = newSubaccountParent(useViewStore.getState().filters.account_id, inventory.accounts);
  useAppStore.getState().setPage('keys');
  if (parent && !selectReadOnly(inventory)) {
    useUiStore.getState().open({ accountDialog: { kind: 'create', parentId: parent.id } });
  }
}

/** Resolves to the account, or to the error's message for the dialog to show. */
export async function createSubaccount(parentId: string, name: string): Promise<Account | string> {
  try {
    const account = await ipc.accounts.create({ parent_id: parentId, name });
    return accepted(account, 'Subaccount created', `“${account.name}” is ready for keys.`);
  } catch (error) {
    return errorMessage(error);
  }
}

export async function renameAccount(account: Account, name: string): Promise<Account | string> {
  try {
    const renamed = await ipc.accounts.update({ account_id: account.id, name });
    return accepted(renamed, 'Account renamed', `“${account.name}” is now “${renamed.name}”.`);
  } catch (error) {
    return errorMessage(error);
  }
}

export async function setAccountStatus(account: Account, status: Account['status']): Promise<Account | string> {
  try {
    const changed = await ipc.accounts.update({ account_id: account.id, status });
    return accepted(
      changed,
      status === 'inactive' ? 'Account deactivated' : 'Account activated',
      status === 'inactive'
        ? `Keys that reach “${changed.name}” answer 403 until you activate it again.`
        : `Keys that reach “${changed.name}” work again.`,
    );
  } catch (error) {
    return errorMessage(error);
  }
}
