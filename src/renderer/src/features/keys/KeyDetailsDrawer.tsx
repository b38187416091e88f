import { Alert, Badge, Button, Drawer, Group, Loader, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { KeyDetails } from '../../../../shared/ipc/window-data';
import type { LastUse } from '../../../../shared/request-log';
import { errorMessage, ipc } from '../../ipc';
import { exactTime } from '../../lib/format';
import { useReturnFocusAfterExit } from '../../lib/return-focus';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { KeyAuditPanel } from '../audit/KeyAuditPanel';
import { startWorkflow } from '../workflows/workflow-commands';
import { StatusBadge } from './badges';
import { copySecret, reactivateKey, updateKey } from './key-commands';
import { PlatformButton } from './PlatformButton';
import { UsageChart } from './UsageChart';
import { useKey } from './use-selected-key';

/** "3 minutes ago from 203.0.113.7 (curl/8.5.0), GET /v1/…": where the request log knows it. */
function lastUsed(at: string | null, use: LastUse | null): string {
  if (!at) return 'never';
  const when = exactTime(at);
  return use ? `${when} from ${use.address} (${use.user_agent || 'no user agent'}), ${use.method} ${use.route}` : when;
}

export function KeyDetailsDrawer() {
  const keyId = useUiStore((state) => state.detailsKeyId);
  const { close, open } = useUiStore();
  const keyRecord = useKey(keyId);
  const inKeychain = useInventoryStore((state) => (keyId ? state.keychainIds.has(keyId) : false));
  const accountName = useInventoryStore((state) => state.accounts.find((a) => a.id === keyRecord?.account_id)?.name);
  const readOnlyReason = useInventoryStore((state) => state.readOnlyReason);
  const [details, setDetails] = useState<KeyDetails | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Reload when the key changes (an action in the drawer updates the table's copy).
  useEffect(() => {
    setDetails(null);
    setError(null);
    if (!keyRecord || readOnlyReason) return;
    let current = true;
    ipc.keys
      .details({ account_id: keyRecord.account_id, key_id: keyRecord.id })
      .then((loaded) => current && setDetails(loaded))
      .catch((failure: unknown) => current && setError(errorMessage(failure)));
    return () => {
      current = false;
    };
  }, [keyRecord, readOnlyReason]);

  const opened = keyId !== null && keyRecord !== null;
  const returnFocus = useReturnFocusAfterExit(opened, '.mantine-Drawer-root');

  return (
    <Drawer
      opened={opened}
      onClose={() => close('details')}
      onExitTransitionEnd={returnFocus}
      position="right"
      size="xl"
      title={<Title order={3}>{keyRecord?.label}</Title>}
    >
      {keyRecord && (
        <Stack data-testid="key-details">
          <Group>
            <StatusBadge status={keyRecord.status} />
            <Text ff="monospace">{keyRecord.partial_key}…</Text>
            {inKeychain && <Badge variant="light">in OS keychain</Badge>}
          </Group>
          <Table>
            <Table.Tbody>
              {[
                ['Account', accountName ?? keyRecord.account_id],
                ['Key id', keyRecord.id],
                ['Created', exactTime(keyRecord.created_at)],
                ['Updated', exactTime(keyRecord.updated_at)],
                ['Last used', lastUsed(keyRecord.last_used_at, details?.last_use ?? null)],
                ['Expires', keyRecord.expires_at ? exactTime(keyRecord.expires_at) : 'never'],
                ['Revoked', keyRecord.revoked_at ? exactTime(keyRecord.revoked_at) : '—'],
                [
                  'Deletion',
                  keyRecord.deletes_at ? `${exactTime(keyRecord.deletes_at)}, by the platform` : 'not scheduled',
                ],
              ].map(([name, value]) => (
                <Table.Tr key={name}>
                  <Table.Th w={120}>{name}</Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <KeyAuditPanel keyRecord={keyRecord} />
          {readOnlyReason ? (
            <Alert color="violet" data-testid="details-read-only">
              {readOnlyReason} Usage and history are not part of an export.
            </Alert>
          ) : (
            <Group gap="xs">
              <PlatformButton size="xs" variant="default" onClick={() => open({ editKeyId: keyRecord.id })}>
                Edit
              </PlatformButton>
              {keyRecord.status === 'revoked' ? (
                <PlatformButton size="xs" variant="default" onClick={() => void reactivateKey(keyRecord)}>
                  Reactivate
                </PlatformButton>
              ) : (
                <PlatformButton
                  size="xs"
                  variant="default"
                  color="orange"
                  onClick={() => open({ revokeKeyId: keyRecord.id })}
                  data-testid="details-revoke"
                >
                  Revoke…
                </PlatformButton>
              )}
              <PlatformButton
                size="xs"
                variant="default"
                onClick={() => void startWorkflow('rotation', keyRecord)}
                data-testid="details-rotate"
              >
                Rotate…
              </PlatformButton>
              <PlatformButton
                size="xs"
                variant="default"
                color="red"
                onClick={() => void startWorkflow('incident', keyRecord)}
              >
                Compromised…
              </PlatformButton>
              {inKeychain && (
                <Button size="xs" variant="default" onClick={() => void copySecret(keyRecord, 'plain')}>
                  Copy key
                </Button>
              )}
              {keyRecord.deletes_at && (
                <PlatformButton
                  size="xs"
                  variant="default"
                  onClick={() => void updateKey(keyRecord, { deletes_at: null })}
                  data-testid="details-cancel-deletion"
                >
                  Cancel deletion
                </PlatformButton>
              )}
              <PlatformButton size="xs" color="red" variant="light" onClick={() => open({ deleteKeyId: keyRecord.id })}>
                Delete
              </PlatformButton>
            </Group>
          )}
          {error && <Alert color="red">{error}</Alert>}
          {!details && !error && !readOnlyReason && <Loader size="sm" />}
          {details && (
            <>
              <Title order={4}>Usage, last 30 days</Title>
              <UsageChart usage={details.usage} />
              <Title order={4}>History</Title>
              <Timeline active={details.events.length} bulletSize={14} lineWidth={2} data-testid="key-events">
                {[...details.events].reverse().map((event) => (
                  <Timeline.Item key={event.id} title={event.type}>
                    <Text size="xs" c="dimmed">
                      {exactTime(event.at)} by {event.actor}
                    </Text>
                    {event.changes?.label && (
                      <Text size="xs">
                        label: “{event.changes.label.from}” → “{event.changes.label.to}”
                      </Text>
                    )}
                    {event.changes?.expires_at && (
                      <Text size="xs">
                        expires: {event.changes.expires_at.from ? exactTime(event.changes.expires_at.from) : 'never'} →{' '}
                        {event.changes.expires_at.to ? exactTime(event.changes.expires_at.to) : 'never'}
                      </Text>
                    )}
                  </Timeline.Item>
                ))}
              </Timeline>
            </>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
