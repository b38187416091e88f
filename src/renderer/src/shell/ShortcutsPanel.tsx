// The `?` panel: every keyboard shortcut, grouped by where it works.
import { Kbd, Modal, Table, Text } from '@mantine/core';
import { useUiStore } from '../stores/ui-store';
import { shortcutList } from './shortcuts';

export function ShortcutsPanel() {
  const opened = useUiStore((state) => state.shortcutsOpen);
  const close = useUiStore((state) => state.close);
  const rows = shortcutList();
  return (
    <Modal opened={opened} onClose={() => close('shortcuts')} title="Keyboard shortcuts" size="lg">
      <Table data-testid="shortcuts-panel">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Where</Table.Th>
            <Table.Th>Keys</Table.Th>
            <Table.Th>Does</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={`${row.group} ${row.keys.join()}`}>
              <Table.Td>
                <Text size="sm" c="dimmed">
                  {row.group}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {row.keys.map((key) => (
                  <Kbd key={key} mr={4}>
                    {key}
                  </Kbd>
                ))}
              </Table.Td>
              <Table.Td>{row.does}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
