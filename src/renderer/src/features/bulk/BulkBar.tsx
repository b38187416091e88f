// The actions on a selection of keys (the Audit page's findings, the key table's ticked rows): each
// opens the dry run in BulkActionModal.
import { Button, Group, Paper, Text } from '@mantine/core';
import type { BulkAction } from '../../../../shared/bulk-plan';

const BUTTONS: Array<{ action: BulkAction; label: string; color: string }> = [
  { action: 'revoke', label: 'Revoke…', color: 'orange' },
  { action: 'reactivate', label: 'Reactivate…', color: 'teal' },
  { action: 'extend', label: 'Extend…', color: 'blue' },
  { action: 'delete', label: 'Delete…', color: 'red' },
];

export function BulkBar(props: {
  count: number;
  /** Why keys cannot change here (offline, an imported file), or null. */
  readOnly: string | null;
  onAction: (action: BulkAction) => void;
  onClear: () => void;
}) {
  const { count, readOnly, onAction, onClear } = props;
  return (
    <Paper withBorder p="xs" data-testid="bulk-bar">
      <Group gap="xs">
        <Text size="sm" fw={600} data-testid="selected-count">
          {count} {count === 1 ? 'key' : 'keys'} selected
        </Text>
        {BUTTONS.map(({ action, label, color }) => (
          <Button
            key={action}
            size="xs"
            variant="light"
            color={color}
            disabled={count === 0 || readOnly !== null}
            title={readOnly ?? undefined}
            onClick={() => onAction(action)}
            data-testid={`bulk-${action}`}
          >
            {label}
          </Button>
        ))}
        <Button size="xs" variant="subtle" disabled={count === 0} onClick={onClear} data-testid="bulk-clear">
          Clear selection
        </Button>
        {readOnly && (
          <Text size="xs" c="dimmed">
            {readOnly}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
