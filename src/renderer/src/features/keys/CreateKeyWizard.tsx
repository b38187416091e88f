// Create a key in steps: label, account, expiration, review, done. On creation the main process
// has already put the secret in the OS keychain; the last step reveals or copies it from there.
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { API_KEY_ENV } from '../../../../shared/env-names';
import type { CreateKeyResult } from '../../../../shared/ipc/window-data';
import { sameLabel, vagueLabelReason } from '../../../../shared/label-rules';
import { errorMessage, ipc } from '../../ipc';
import { exactTime } from '../../lib/format';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { ExpiryChoice, type ExpiryPreset, expiryFrom } from './ExpiryChoice';
import { copySecret } from './key-commands';

export function CreateKeyWizard() {
  const opened = useUiStore((state) => state.wizardOpen);
  const close = useUiStore((state) => state.close);
  const { accounts, entries, filterAccount, upsertKey, setInKeychain } = useInventoryStore(
    useShallow((state) => ({
      accounts: state.accounts,
      entries: state.entries,
      filterAccount: state.filters.account_id,
      upsertKey: state.upsertKey,
      setInKeychain: state.setInKeychain,
    })),
  );
  const [step, setStep] = useState(0);
  const [label, setLabel] = useState('');
  const [accountId, setAccountId] = useState<string | null>(null);
  const [preset, setPreset] = useState<ExpiryPreset>('90');
  const [date, setDate] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreateKeyResult | null>(null);
  const [revealed, setRevealed] = useState<string | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const [askConfirm, setAskConfirm] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setStep(0);
    setLabel('');
    setAccountId(filterAccount ?? accounts[0]?.id ?? null);
    setPreset('90');
    setDate('');
    setError(null);
    setCreated(null);
    setRevealed(null);
    setConfirmed(false);
    setAskConfirm(false);
  }, [opened, filterAccount, accounts]);

  const vague = vagueLabelReason(label);
  const duplicate = useMemo(
    () => label.trim() !== '' && entries.some(({ key }) => key.account_id === accountId && sameLabel(key.label, label)),
    [entries, accountId, label],
  );
  const expiresAt = expiryFrom(preset, date);
  const accountName = accounts.find((account) => account.id === accountId)?.name ?? '';

  const create = async () => {
    if (!accountId || expiresAt === 'invalid') return;
    setBusy(true);
    setError(null);
    try {
      const result = await ipc.keys.create({ account_id: accountId, label, expires_at: expiresAt });
      upsertKey(result.key);
      if (result.keychain.stored) setInKeychain(result.key.id, true);
      setCreated(result);
      setStep(4);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  const requestClose = () => {
    if (created && !confirmed) {
      setAskConfirm(true);
      return;
    }
    setRevealed(null);
    close('wizard');
  };

  const toggleReveal = async () => {
    if (revealed || !created) return setRevealed(null);
    try {
      setRevealed((await ipc.secrets.reveal({ key_id: created.key.id })).secret);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  };

  const warnings = (
    <>
      {vague && (
        <Alert color="yellow" data-testid="vague-label-warning">
          {vague}. A label such as “Production billing worker” says where the key lives when you review or rotate it.
        </Alert>
      )}
      {duplicate && (
        <Alert color="yellow" data-testid="duplicate-label-warning">
          {accountName} already has a key labelled “{label.trim()}”. Two keys with one name are hard to tell apart.
        </Alert>
      )}
    </>
  );

  return (
    <Modal opened={opened} onClose={requestClose} title="Create a key" size="lg" closeOnClickOutside={false}>
      <Stepper active={step} size="sm" allowNextStepsSelect={false} onStepClick={(next) => !created && setStep(next)}>
        <Stepper.Step label="Label">
          <Stack mt="md">
            <TextInput
              label="Label"
              description="Where and what the key is for, e.g. “Staging CI deploys”"
              value={label}
              onChange={(event) => setLabel(event.currentTarget.value)}
              maxLength={100}
              data-autofocus
              data-testid="wizard-label"
            />
            {warnings}
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Account">
          <Stack mt="md">
            <Select
              label="Account"
              description="A key reaches its account and every subaccount below it"
              data={accounts.map((account) => ({ value: account.id, label: account.name }))}
              value={accountId}
              onChange={setAccountId}
              allowDeselect={false}
              data-testid="wizard-account"
            />
            {duplicate && warnings}
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Expiration">
          <Stack mt="md">
            <Text size="sm" c="dimmed">
              Rotate production keys every 90 days, staging 180, development 365.
            </Text>
            <ExpiryChoice preset={preset} date={date} onPreset={setPreset} onDate={setDate} />
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Review">
          <Stack mt="md">
            <Table data-testid="wizard-review">
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>Label</Table.Th>
                  <Table.Td>{label.trim()}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Account</Table.Th>
                  <Table.Td>{accountName}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>Expires</Table.Th>
                  <Table.Td>
                    {expiresAt === null ? 'never' : expiresAt === 'invalid' ? '—' : exactTime(expiresAt)}
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
            {warnings}
            {error && (
              <Alert color="red" title="The key was not created">
                {error}
              </Alert>
            )}
          </Stack>
        </Stepper.Step>
        <Stepper.Completed>
          {created && (
            <Stack mt="md" data-testid="wizard-done">
              {created.keychain.stored ? (
                <Alert color="teal" title="Stored in the OS keychain">
                  Service <Code>keyhold</Code>, account{' '}
                  <Code data-testid="keychain-account">{created.keychain.account}</Code>. Copy it from here or later
                  from the key’s menu.
                </Alert>
              ) : (
                <Alert color="red" title="The OS keychain is unavailable" data-testid="keychain-unavailable">
                  {created.keychain.reason} This is the only time the key is shown: select it below and store it now.
                </Alert>
              )}
              <Code block data-testid="created-secret">
                {created.secret ?? revealed ?? `${created.key.partial_key}.${'•'.repeat(49)}`}
              </Code>
              {created.keychain.stored && (
                <Group>
                  <Button variant="default" onClick={() => void toggleReveal()} data-testid="reveal">
                    {revealed ? 'Hide' : 'Reveal'}
                  </Button>
                  <Button variant="default" onClick={() => void copySecret(created.key, 'plain')} data-testid="copy">
                    Copy
                  </Button>
                  <Button variant="default" onClick={() => void copySecret(created.key, 'env')} data-testid="copy-env">
                    Copy as {API_KEY_ENV}=…
                  </Button>
                </Group>
              )}
              {error && <Alert color="red">{error}</Alert>}
              {askConfirm && !confirmed && (
                <Alert color="orange" data-testid="confirm-stored-alert">
                  The full key is not shown again. Confirm that it is stored before closing.
                </Alert>
              )}
              <Checkbox
                label="I have stored this key where my application can read it"
                checked={confirmed}
                onChange={(event) => setConfirmed(event.currentTarget.checked)}
                data-testid="confirm-stored"
              />
            </Stack>
          )}
        </Stepper.Completed>
      </Stepper>
      <Group justify="flex-end" mt="lg">
        {step > 0 && step < 4 && (
          <Button variant="default" onClick={() => setStep(step - 1)}>
            Back
          </Button>
        )}
        {step < 3 && (
          <Button
            onClick={() => setStep(step + 1)}
            disabled={
              (step === 0 && label.trim() === '') ||
              (step === 1 && !accountId) ||
              (step === 2 && expiresAt === 'invalid')
            }
            data-testid="wizard-next"
          >
            Next
          </Button>
        )}
        {step === 3 && (
          <Button onClick={() => void create()} loading={busy} data-testid="wizard-create">
            Create key
          </Button>
        )}
        {step === 4 && (
          <Button onClick={requestClose} disabled={!confirmed} data-testid="wizard-close">
            Done
          </Button>
        )}
      </Group>
    </Modal>
  );
}
