import { Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';

const COLUMNS = ['Label', 'Key', 'Status', 'Account', 'Created', 'Last used', 'Expires', 'Flags'];

export function KeysPage() {
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Keys</Title>
        <TextInput placeholder="Search label or sk-…" aria-label="Search keys" w={280} />
      </Group>
      <Paper withBorder>
        <Table striped highlightOnHover data-testid="keys-table">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((column) => (
                <Table.Th key={column}>{column}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Td colSpan={COLUMNS.length}>
                <Text c="dimmed" ta="center" py="xl" data-testid="keys-empty">
                  No keys yet. Keys you create appear here, with their secret kept in the OS keychain.
                </Text>
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Paper>
    </Stack>
  );
}
