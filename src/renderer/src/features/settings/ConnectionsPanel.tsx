import { Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../ipc';
import { SyncedAgo } from '../../lib/SyncedAgo';
import { useConnectionStore } from '../../stores/connection-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { removeConnection } from '../connections/connection-commands';

export function ConnectionsPanel() {
  const { connections, activeId } = useConnectionStore();
  const activeSyncedAt = useInventoryStore((state) => state.syncedAt);
  const open = useUiStore((state) => state.open);
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Connections</Text>
          <Button size="xs" variant="default" onClick={() => open({ addConnectionOpen: true })}>
            Add a remote platform
          </Button>
        </Group>
        <Table data-testid="connections-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Where</Table.Th>
              <Table.Th>Last synced</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {connections.map((connection) => (
              <Table.Tr key={connection.id}>
                <Table.Td>
                  {connection.name} {connection.id === activeId ? '(active)' : ''}
                </Table.Td>
                <Table.Td>
                  {connection.kind === 'embedded'
                    ? 'This computer (SQLite in the data folder)'
                    : connection.kind === 'imported'
                      ? `Imported file: ${connection.source}`
                      : connection.base_url}
                </Table.Td>
                <Table.Td>
                  {connection.kind === 'remote' ? (
                    // The active connection's time comes from the inventory, which a sync updates.
                    <SyncedAgo at={connection.id === activeId ? activeSyncedAt : connection.last_synced_at} />
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>
                  {connection.kind !== 'embedded' && (
                    <Button
                      size="xs"
                      color="red"
                      variant="subtle"
                      onClick={() =>
                        removeConnection(connection.id).catch((error: unknown) =>
                          notifications.show({ color: 'red', title: 'Could not remove', message: errorMessage(error) }),
                        )
                      }
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          Removing a connection deletes its API key from the OS keychain. Secrets of keys you created through it stay in
          the keychain.
        </Text>
      </Stack>
    </Paper>
  );
}
