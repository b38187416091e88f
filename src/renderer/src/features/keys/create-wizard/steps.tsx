// The wizard's steps, one component each; they show the state and dispatch edits, nothing more.
import { Alert, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { type Dispatch, type ReactNode, useEffect } from 'react';
import { type AuditPolicy, environmentFromLabel } from '../../../../../shared/audit';
import type { Account } from '../../../../../shared/domain';
import { exactTime } from '../../../lib/format';
import { ExpiryChoice } from '../ExpiryChoice';
import { suggestedExpiry } from '../expiry';
import type { WizardAction, WizardState } from './wizard-state';

interface StepProps {
  state: WizardState;
  dispatch: Dispatch<WizardAction>;
  warnings: ReactNode;
}

export function LabelStep({ state, dispatch, warnings }: StepProps) {
  return (
    <Stack mt="md">
      <TextInput
        label="Label"
        description="Where and what the key is for, e.g. “Staging CI deploys”"
        value={state.label}
        onChange={(event) => dispatch({ type: 'edit', patch: { label: event.currentTarget.value } })}
        maxLength={100}
        data-autofocus
        data-testid="wizard-label"
      />
      {warnings}
    </Stack>
  );
}

export function AccountStep({ state, dispatch, warnings, accounts }: StepProps & { accounts: Account[] }) {
  return (
    <Stack mt="md">
      <Select
        label="Account"
        description="A key reaches its account and every subaccount below it"
        data={accounts.map((account) => ({ value: account.id, label: account.name }))}
        value={state.accountId}
        onChange={(accountId) => dispatch({ type: 'edit', patch: { accountId } })}
        allowDeselect={false}
        data-testid="wizard-account"
      />
      {warnings}
    </Stack>
  );
}

export function ExpirationStep({ state, dispatch, policy }: Omit<StepProps, 'warnings'> & { policy: AuditPolicy }) {
  const { production, staging, development } = policy.rotationDays;
  const environment = environmentFromLabel(state.label);
  // What the hint says is what is chosen, until the admin chooses otherwise.
  useEffect(() => {
    const suggested = suggestedExpiry(state.label, policy);
    if (suggested) dispatch({ type: 'suggestExpiry', ...suggested });
  }, [state.label, policy, dispatch]);
  return (
    <Stack mt="md">
      <Text size="sm" c="dimmed" data-testid="wizard-rotation-hint">
        Rotate production keys every {production} days, staging {staging}, development {development}.
        {environment && ` “${state.label.trim()}” reads as ${environment}: ${policy.rotationDays[environment]} days.`}
      </Text>
      <ExpiryChoice
        preset={state.preset}
        date={state.date}
        onPreset={(preset) => dispatch({ type: 'edit', patch: { preset, expiryChosen: true } })}
        onDate={(date) => dispatch({ type: 'edit', patch: { date, expiryChosen: true } })}
      />
    </Stack>
  );
}

export function ReviewStep(props: {
  state: WizardState;
  accountName: string;
  expiresAt: string | null | 'invalid';
  warnings: ReactNode;
}) {
  const { state, accountName, expiresAt, warnings } = props;
  return (
    <Stack mt="md">
      <Table data-testid="wizard-review">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th>Label</Table.Th>
            <Table.Td>{state.label.trim()}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Account</Table.Th>
            <Table.Td>{accountName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>Expires</Table.Th>
            <Table.Td>{expiresAt === null ? 'never' : expiresAt === 'invalid' ? '—' : exactTime(expiresAt)}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {warnings}
      {state.error && (
        <Alert color="red" title="The key was not created">
          {state.error}
        </Alert>
      )}
    </Stack>
  );
}
