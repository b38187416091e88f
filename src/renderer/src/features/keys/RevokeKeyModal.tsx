// Revoke asks first, naming the key and what stops working; the toast that follows offers Undo.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { useState } from 'react';
import { ReturnFocus } from '../../lib/return-focus';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { revokeKey } from './key-commands';
import { useKey } from './use-selected-key';

export function RevokeKeyModal() {
  const keyId = useUiStore((state) => state.revokeKeyId);
  const close = useUiStore((state) => state.close);
  const keyRecord = useKey(keyId);
  const accountName = useInventoryStore(
    (state) => state.accounts.find((account) => account.id === keyRecord?.account_id)?.name ?? '',
  );
  const [busy, setBusy] = useState(false);
  if (!keyRecord) return null;

  const confirm = async () => {
    setBusy(true);
    const ok = await revokeKey(keyRecord);
    setBusy(false);
    if (ok) close('revoke');
  };

  return (
    <>
      <ReturnFocus />
      <Modal opened={keyId !== null} onClose={() => close('revoke')} title={`Revoke “${keyRecord.label}”?`}>
        <Stack>
          <Alert color="orange" data-testid="revoke-consequence">
            Every request with {keyRecord.partial_key} (account {accountName}) is refused with 401 at once: whatever
            uses it stops working. The key, its history and its audit trail stay, and it can be reactivated.
          </Alert>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close('revoke')}>
              Cancel
            </Button>
            <Button
              color="orange"
              loading={busy}
              onClick={() => void confirm()}
              data-autofocus
              data-testid="revoke-confirm"
            >
              Revoke {keyRecord.partial_key}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
