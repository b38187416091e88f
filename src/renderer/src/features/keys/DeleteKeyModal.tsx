import { Alert, Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ReturnFocus } from '../../lib/return-focus';
import { useUiStore } from '../../stores/ui-store';
import { deleteKey } from './key-commands';
import { useKey } from './use-selected-key';

export function DeleteKeyModal() {
  const keyId = useUiStore((state) => state.deleteKeyId);
  const close = useUiStore((state) => state.close);
  const keyRecord = useKey(keyId);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  // A fresh confirmation for every key the dialog opens on.
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyId is the trigger, not an input
  useEffect(() => setTyped(''), [keyId]);
  if (!keyRecord) return null;

  const confirm = async () => {
    setBusy(true);
    const ok = await deleteKey(keyRecord);
    setBusy(false);
    if (ok) close('delete');
  };

  return (
    <>
      <ReturnFocus />
      <Modal opened={keyId !== null} onClose={() => close('delete')} title={`Delete “${keyRecord.label}”?`}>
        <Stack>
          <Alert color="red">
            {keyRecord.partial_key} stops working at once and cannot be restored; its history stays. Revoking instead
            keeps the key and lets you reactivate it. Its OS keychain entry is removed too.
          </Alert>
          <TextInput
            label={`Type the label to confirm: ${keyRecord.label}`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            data-testid="delete-confirm-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close('delete')}>
              Cancel
            </Button>
            <Button
              color="red"
              disabled={typed !== keyRecord.label}
              loading={busy}
              onClick={() => void confirm()}
              data-testid="delete-confirm"
            >
              Delete key
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
