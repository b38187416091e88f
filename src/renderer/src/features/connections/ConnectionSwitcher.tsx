import { ActionIcon, Badge, Group, Select, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { errorMessage } from '../../api';
import { useConnectionStore } from '../../stores/connection-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';

export function ConnectionSwitcher() {
  const { connections, activeId, switchTo } = useConnectionStore();
  const offline = useInventoryStore((state) => state.offline);
  const open = useUiStore((state) => state.open);
  const active = connections.find((c) => c.id === activeId);
  return (
    <Group gap="xs" wrap="nowrap">
      <Select
        aria-label="Connection"
        data-testid="connection-select"
        w={220}
        size="xs"
        allowDeselect={false}
        data={connections.map((c) => ({ value: c.id, label: c.kind === 'embedded' ? `${c.name} (embedded)` : c.name }))}
        value={activeId}
        onChange={(id) => {
          if (id && id !== activeId) {
            switchTo(id).catch((error: unknown) =>
              notifications.show({ color: 'red', title: 'Could not switch', message: errorMessage(error) }),
            );
          }
        }}
      />
      <Badge
        variant="light"
        color={offline ? 'orange' : active?.kind === 'remote' ? 'blue' : 'gray'}
        data-testid="connection-badge"
      >
        {offline ? 'Offline' : active?.kind === 'remote' ? 'Remote' : 'Embedded'}
      </Badge>
      <Tooltip label="Add a remote platform">
        <ActionIcon
          variant="default"
          aria-label="Add a remote platform"
          onClick={() => open({ addConnectionOpen: true })}
          data-testid="add-connection"
        >
          +
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
