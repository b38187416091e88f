// A toast that says what just happened and offers to undo it for a while.
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

export const UNDO_MS = 10_000;

export function showUndo(title: string, message: string, undo: () => Promise<unknown>): void {
  const id = notifications.show({
    color: 'orange',
    title,
    autoClose: UNDO_MS,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-sm"
          variant="light"
          // Never squeezed by a long message: it is the toast's one action.
          style={{ flexShrink: 0 }}
          onClick={() => {
            notifications.hide(id);
            void undo();
          }}
          data-testid="undo"
        >
          Undo
        </Button>
      </Group>
    ),
  });
}
