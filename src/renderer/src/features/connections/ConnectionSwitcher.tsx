import { ActionIcon, Badge, Group, NativeSelect, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConnectionInfo } from '../../../../shared/ipc/window-data';
import { errorMessage } from '../../ipc';
import { useConnectionStore } from '../../stores/connection-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { switchConnection } from './connection-commands';

const BADGE: Record<ConnectionInfo['kind'], { label: string; color: string }> = {
  embedded: { label: 'Embedded', color: 'gray' },
  remote: { label: 'Remote', color: 'blue' },
  imported: { label: 'Imported', color: 'violet' },
};

export function ConnectionSwitcher() {
  const { connections, activeId } = useConnectionStore();
  const offline = useInventoryStore((state) => state.offline);
  const open = useUiStore((state) => state.open);
  const active = connections.find((c) => c.id === activeId);
  return (
    <Group gap="xs" wrap="nowrap">
      {/* A native select: opens and reads as the OS's own, and costs the first screen far less
          than a combobox. */}
      <NativeSelect
        aria-label="Connection"
        data-testid="connection-select"
        w={220}
        size="xs"
        data={connections.map((c) => ({ value: c.id, label: c.kind === 'remote' ? c.name : `${c.name} (${c.kind})` }))}
        value={activeId ?? ''}
        onChange={(event) => {
          const id = event.currentTarget.value;
          if (id && id !== activeId) {
            switchConnection(id).catch((error: unknown) =>
              notifications.show({ color: 'red', title: 'Could not switch', message: errorMessage(error) }),
            );
          }
        }}
      />
      <Badge
        variant="light"
        color={offline ? 'orange' : active ? BADGE[active.kind].color : 'gray'}
        data-testid="connection-badge"
      >
        {offline ? 'Offline' : active ? BADGE[active.kind].label : ''}
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
