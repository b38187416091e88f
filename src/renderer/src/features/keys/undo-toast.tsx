// A toast that says what just happened and offers to undo it for a while.
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

export const UNDO_MS = 10_000;

export function showUndo(title: string, message: string, undo: () => Promise<unknown>): void {
  const id = notifications.show({
    color: 'orange',
    autoClose: UNDO_MS,
    // Undo beside the title, so the message has the toast's whole width: the toast stays as short
    // as a plain one and covers no more of the table under it.
    title: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <span>{title}</span>
        <Button
          size="compact-sm"
          variant="light"
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
    message: <Text size="sm">{message}</Text>,
  });
}
