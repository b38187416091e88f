// A bulk action in three steps: the dry run (exactly what will change, and what is skipped and
// why), the run with its progress, and the result (what succeeded, what failed and why).
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Progress,
  ScrollArea,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { type RefObject, useEffect, useMemo, useRef, useState } from 'react';
import { type BulkAction, planBulk } from '../../../../shared/bulk-plan';
import type { ApiKey } from '../../../../shared/domain';
import { ReturnFocus } from '../../lib/return-focus';
import { currentTime } from '../../stores/clock-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { usePolicyStore } from '../../stores/policy-store';
import { type BulkOutcome, runBulk } from './bulk-run';

const VERB: Record<BulkAction, { title: string; button: string; color: string }> = {
  revoke: { title: 'Revoke keys', button: 'Revoke', color: 'orange' },
  reactivate: { title: 'Reactivate keys', button: 'Reactivate', color: 'teal' },
  delete: { title: 'Delete keys for good', button: 'Delete', color: 'red' },
  extend: { title: 'Extend expirations', button: 'Extend', color: 'blue' },
};

interface BulkActionModalProps {
  action: BulkAction | null;
  keys: ApiKey[];
  onClose(finished: boolean): void;
}

export function BulkActionModal(props: BulkActionModalProps) {
  const extendDefault = usePolicyStore((state) => state.policy.extendDays);
  const accounts = useInventoryStore((state) => state.accounts);
  const names = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  // What runs: the caller's action, until Undo turns a finished revoke into its reactivation.
  const [undo, setUndo] = useState<ApiKey[] | null>(null);
  const action = undo ? 'reactivate' : props.action;
  const keys = undo ?? props.keys;
  const [extendDays, setExtendDays] = useState<number | string>(extendDefault);
  const days = typeof extendDays === 'number' && extendDays >= 1 && extendDays <= 3650 ? extendDays : null;
  const plan = useMemo(
    () => (action ? planBulk(action, keys, days ?? extendDefault, currentTime()) : null),
    [action, keys, days, extendDefault],
  );
  const [progress, setProgress] = useState<number | null>(null);
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [typed, setTyped] = useState('');
  const applyButton = useRef<HTMLButtonElement>(null);
  const doneButton = useRef<HTMLButtonElement>(null);
  // The dialog swaps the dry run for the result and back: the focus goes to the next button to
  // press (once it is on screen) instead of falling out of the dialog with the one pressed.
  const focusNext = useRef<RefObject<HTMLButtonElement | null> | null>(null);
  useEffect(() => {
    if (!focusNext.current?.current) return;
    focusNext.current.current.focus();
    focusNext.current = null;
  });
  if (!action || !plan) return null;
  const verb = VERB[action];
  const count = plan.changes.length;
  const confirmWord = `delete ${count}`;
  const close = () => {
    const finished = outcomes !== null;
    setProgress(null);
    setOutcomes(null);
    setTyped('');
    setUndo(null);
    setExtendDays(extendDefault);
    props.onClose(finished);
  };
  const undoRevoke = () => {
    setUndo((outcomes ?? []).flatMap((outcome) => (outcome.ok && outcome.after ? [outcome.after] : [])));
    setOutcomes(null);
    setProgress(null);
    focusNext.current = applyButton;
  };
  const run = async () => {
    setProgress(0);
    const result = await runBulk(plan, setProgress);
    focusNext.current = doneButton;
    setOutcomes(result);
  };
  const running = progress !== null && outcomes === null;
  const failed = outcomes?.filter((outcome) => !outcome.ok) ?? [];

  return (
    <>
      <ReturnFocus />
      <Modal opened onClose={running ? () => {} : close} title={verb.title} size="xl" closeOnClickOutside={!running}>
        {outcomes ? (
          <Stack data-testid="bulk-result">
            <Group gap="xs">
              <Badge color="teal" size="lg" variant="light" data-testid="bulk-succeeded">
                {outcomes.length - failed.length} succeeded
              </Badge>
              <Badge color={failed.length ? 'red' : 'gray'} size="lg" variant="light" data-testid="bulk-failed">
                {failed.length} failed
              </Badge>
            </Group>
            <ScrollArea.Autosize mah={360}>
              <Table>
                <Table.Tbody>
                  {outcomes.map((outcome) => (
                    <Table.Tr key={outcome.key.id} data-testid="bulk-outcome" data-ok={outcome.ok}>
                      <Table.Td w={24}>{outcome.ok ? '✓' : '✗'}</Table.Td>
                      <KeyCell keyRecord={outcome.key} />
                      <Table.Td c={outcome.ok ? undefined : 'red'}>{outcome.detail}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            <Group justify="flex-end">
              {action === 'revoke' && outcomes.length > failed.length && (
                <Button variant="default" onClick={undoRevoke} data-testid="bulk-undo">
                  Undo: reactivate {outcomes.length - failed.length}
                </Button>
              )}
              <Button ref={doneButton} onClick={close} data-testid="bulk-done">
                Done
              </Button>
            </Group>
          </Stack>
        ) : (
          <Stack data-testid="bulk-preview">
            {action === 'extend' && (
              <NumberInput
                label="Extend by (days)"
                description="From each key’s current expiration, or from now when it has passed"
                min={1}
                max={3650}
                value={extendDays}
                onChange={setExtendDays}
                error={days === null ? 'A whole number of days from 1 to 3650' : undefined}
                w={320}
                data-testid="bulk-extend-days"
              />
            )}
            <Text size="sm">
              Dry run: nothing has changed yet.{' '}
              {count === 0
                ? 'No selected key can take this action.'
                : `${count} ${count === 1 ? 'key' : 'keys'} will change:`}
            </Text>
            <ScrollArea.Autosize mah={320}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Account</Table.Th>
                    <Table.Th>Change</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {plan.changes.map(({ key, change }) => (
                    <Table.Tr key={key.id} data-testid="bulk-change">
                      <KeyCell keyRecord={key} />
                      <Table.Td>{names.get(key.account_id) ?? key.account_id}</Table.Td>
                      <Table.Td>{change}</Table.Td>
                    </Table.Tr>
                  ))}
                  {plan.skipped.map(({ key, reason }) => (
                    <Table.Tr key={key.id} data-testid="bulk-skipped" c="dimmed">
                      <KeyCell keyRecord={key} />
                      <Table.Td>{names.get(key.account_id) ?? key.account_id}</Table.Td>
                      <Table.Td>skipped: {reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
            {action === 'delete' && count > 0 && (
              <Alert color="red" title="Deleting cannot be undone">
                The keys stop working at once. Type <b>{confirmWord}</b> to confirm.
                <TextInput
                  mt="xs"
                  aria-label="Confirmation"
                  data-testid="bulk-confirm-text"
                  value={typed}
                  onChange={(event) => setTyped(event.currentTarget.value)}
                />
              </Alert>
            )}
            {running && (
              <Progress value={(100 * (progress ?? 0)) / Math.max(count, 1)} animated data-testid="bulk-progress" />
            )}
            {running && (
              <Text size="sm" c="dimmed">
                {progress} of {count} done…
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close} disabled={running}>
                Cancel
              </Button>
              <Button
                ref={applyButton}
                color={verb.color}
                onClick={() => void run()}
                loading={running}
                disabled={count === 0 || days === null || (action === 'delete' && typed.trim() !== confirmWord)}
                data-testid="bulk-apply"
              >
                {verb.button} {count} {count === 1 ? 'key' : 'keys'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function KeyCell({ keyRecord }: { keyRecord: ApiKey }) {
  return (
    <Table.Td>
      “{keyRecord.label}”{' '}
      <Text span ff="monospace" size="xs">
        {keyRecord.partial_key}
      </Text>
    </Table.Td>
  );
}
