// Key actions as the window runs them: call main, update the table at once, say what happened.
import { notifications } from '@mantine/notifications';
import type { ApiKey } from '../../../../shared/domain';
import { API_KEY_ENV } from '../../../../shared/env-names';
import { errorMessage, ipc } from '../../ipc';
import { afterKeyRelease } from '../../lib/after-key-release';
import { useInventoryStore } from '../../stores/inventory-store';
import { showClipboardCountdown } from './clipboard-countdown';
import { showUndo } from './undo-toast';

const ref = (key: ApiKey) => ({ account_id: key.account_id, key_id: key.id });
const name = (key: ApiKey) => `“${key.label}” (${key.partial_key})`;

function failed(title: string, error: unknown): void {
  notifications.show({ color: 'red', title, message: errorMessage(error), autoClose: 8000 });
}

function done(title: string, message: string): void {
  notifications.show({ color: 'teal', title, message });
}

/**
 * The focus on a key's row (its ⋯ button), when the row is on screen: where an undone action
 * leaves it, instead of on the page once its toast is gone.
 */
function focusKeyRow(keyId: string): void {
  // Once the Enter that pressed Undo is up: it must not also press the button it lands on.
  afterKeyRelease(() =>
    document.querySelector<HTMLElement>(`[data-key-id="${CSS.escape(keyId)}"] button[aria-haspopup="menu"]`)?.focus(),
  );
}

/** Revokes (after the window's confirmation) and offers Undo: reactivation, for 10 seconds. */
export async function revokeKey(key: ApiKey): Promise<boolean> {
  try {
    const revoked = await ipc.keys.revoke(ref(key));
    useInventoryStore.getState().upsertKey(revoked);
    showUndo('Key revoked', `${name(key)} stopped working: requests with it get 401.`, async () => {
      await reactivateKey(revoked);
      focusKeyRow(key.id);
    });
    return true;
  } catch (error) {
    failed('Could not revoke the key', error);
    return false;
  }
}

export async function reactivateKey(key: ApiKey): Promise<void> {
  try {
    const updated = await ipc.keys.reactivate(ref(key));
    useInventoryStore.getState().upsertKey(updated);
    done('Key reactivated', `${name(key)} is ${updated.status} again.`);
  } catch (error) {
    failed('Could not reactivate the key', error);
  }
}

export async function updateKey(
  key: ApiKey,
  patch: { label?: string; expires_at?: string | null; deletes_at?: string | null },
): Promise<boolean> {
  try {
    const updated = await ipc.keys.update({ ...ref(key), ...patch });
    useInventoryStore.getState().upsertKey(updated);
    const changes = [
      patch.label !== undefined && `label “${updated.label}”`,
      patch.expires_at !== undefined &&
        (updated.expires_at === null
          ? 'no expiration'
          : `expires ${updated.expires_at.slice(0, 16).replace('T', ' ')} UTC`),
      patch.deletes_at !== undefined &&
        (updated.deletes_at === null ? 'no deletion scheduled' : `deletion on ${updated.deletes_at.slice(0, 10)}`),
    ].filter(Boolean);
    done('Key updated', `${updated.partial_key} now has ${changes.join(' and ')}.`);
    return true;
  } catch (error) {
    failed('Could not update the key', error);
    return false;
  }
}

export async function deleteKey(key: ApiKey): Promise<boolean> {
  try {
    const { keychain_entry_removed } = await ipc.keys.delete(ref(key));
    useInventoryStore.getState().removeKey(key.id);
    done(
      'Key deleted',
      `${name(key)} is gone for good${keychain_entry_removed ? ', and so is its keychain entry' : ''}.`,
    );
    return true;
  } catch (error) {
    failed('Could not delete the key', error);
    return false;
  }
}

export async function copySecret(key: Pick<ApiKey, 'id' | 'label'>, format: 'plain' | 'env'): Promise<void> {
  try {
    const { clears_in_seconds } = await ipc.secrets.copy({ key_id: key.id, format });
    showClipboardCountdown(format === 'env' ? `Copied as ${API_KEY_ENV}=…` : 'Key copied', clears_in_seconds);
  } catch (error) {
    failed('Could not copy the key', error);
  }
}

export async function forgetSecret(key: ApiKey): Promise<void> {
  try {
    await ipc.secrets.forget({ key_id: key.id });
    useInventoryStore.getState().setInKeychain(key.id, false);
    done('Removed from the keychain', `The OS keychain no longer holds ${name(key)}. The key itself still works.`);
  } catch (error) {
    failed('Could not remove the keychain entry', error);
  }
}
