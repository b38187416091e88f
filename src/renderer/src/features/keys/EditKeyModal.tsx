import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { exactTime } from '../../lib/format';
import { ReturnFocus } from '../../lib/return-focus';
import { useUiStore } from '../../stores/ui-store';
import { ExpiryChoice } from './ExpiryChoice';
import { type ExpiryPreset, expiryFrom } from './expiry';
import { updateKey } from './key-commands';
import { useKey } from './use-selected-key';

type Choice = ExpiryPreset | 'keep';

export function EditKeyModal() {
  const keyId = useUiStore((state) => state.editKeyId);
  const close = useUiStore((state) => state.close);
  const keyRecord = useKey(keyId);
  const [label, setLabel] = useState('');
  const [preset, setPreset] = useState<Choice>('keep');
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (keyRecord) {
      setLabel(keyRecord.label);
      setPreset('keep');
      setDate('');
    }
  }, [keyRecord]);

  if (!keyRecord) return null;
  const expiresAt = preset === 'keep' ? undefined : expiryFrom(preset, date);
  const save = async () => {
    if (expiresAt === 'invalid') return;
    setBusy(true);
    const patch = {
      ...(label.trim() !== keyRecord.label ? { label } : {}),
      ...(expiresAt !== undefined ? { expires_at: expiresAt } : {}),
    };
    const ok = Object.keys(patch).length === 0 || (await updateKey(keyRecord, patch));
    setBusy(false);
    if (ok) close('edit');
  };

  return (
    <>
      <ReturnFocus />
      <Modal opened={keyId !== null} onClose={() => close('edit')} title={`Edit ${keyRecord.partial_key}`} size="lg">
        <Stack>
          <TextInput
            label="Label"
            value={label}
            onChange={(event) => setLabel(event.currentTarget.value)}
            data-testid="edit-label"
          />
          <Text size="sm" fw={500}>
            Expiration: now {keyRecord.expires_at ? exactTime(keyRecord.expires_at) : 'never'}
          </Text>
          <Group>
            <Button size="xs" variant={preset === 'keep' ? 'filled' : 'default'} onClick={() => setPreset('keep')}>
              Keep as is
            </Button>
          </Group>
          <ExpiryChoice
            preset={preset === 'keep' ? ('' as ExpiryPreset) : preset}
            date={date}
            onPreset={setPreset}
            onDate={setDate}
          />
          <Text size="xs" c="dimmed">
            “None” clears the expiration; a preset counts from today. An expired key is active again once its expiration
            is in the future. The key itself and its account cannot change.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close('edit')}>
              Cancel
            </Button>
            <Button
              onClick={() => void save()}
              loading={busy}
              disabled={label.trim() === '' || expiresAt === 'invalid'}
              data-testid="edit-save"
            >
              Save
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
