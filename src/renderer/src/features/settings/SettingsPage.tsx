import { Alert, Code, Paper, SegmentedControl, Stack, Table, Text, Title, useMantineColorScheme } from '@mantine/core';
import { useAppStore } from '../../stores/app-store';
import { ConnectionsPanel } from './ConnectionsPanel';
import { PolicyPanel } from './PolicyPanel';

export function SettingsPage() {
  const { info, infoError } = useAppStore();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Settings
      </Title>
      <ConnectionsPanel />
      <PolicyPanel />
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Text fw={600}>Theme</Text>
          <SegmentedControl
            w={320}
            value={colorScheme}
            onChange={(value) => setColorScheme(value as 'auto' | 'light' | 'dark')}
            data={[
              { value: 'auto', label: 'Follow OS' },
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
            ]}
            data-testid="theme-choice"
          />
        </Stack>
      </Paper>
      <Paper withBorder p="md">
        <Text fw={600} mb="xs">
          About this installation
        </Text>
        {infoError && <Alert color="red">{infoError}</Alert>}
        {info && (
          <Table data-testid="app-info">
            <Table.Tbody>
              <Row label="Version" value={info.version} />
              <Row label="Data folder" value={<Code>{info.dataDir}</Code>} />
              <Row label="Platform" value={`${info.platform} (${info.arch})`} />
              <Row
                label="Running in"
                value={info.host === 'electron' ? `Electron ${info.versions.electron}` : 'Test harness (browser)'}
              />
              <Row label="Node.js" value={info.versions.node} />
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th w={160}>{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
