// Account actions as the window runs them: call main, update the tree at once, say what happened.
import { notifications } from '@mantine/notifications';
import type { Account } from '../../../../shared/domain';
import { errorMessage, ipc } from '../../ipc';
import { useInventoryStore } from '../../stores/inventory-store';

function accepted(account: Account, title: string, message: string): Account {
  useInventoryStore.getState().upsertAccount(account);
  notifications.show({ color: 'teal', title, message });
  return account;
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
