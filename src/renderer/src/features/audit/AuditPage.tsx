import { Paper, Stack, Text, Title } from '@mantine/core';

export function AuditPage() {
  return (
    <Stack gap="md">
      <Title order={2}>Audit</Title>
      <Paper withBorder p="xl">
        <Text c="dimmed" data-testid="audit-empty">
          Nothing to audit yet: the inventory is empty.
        </Text>
      </Paper>
    </Stack>
  );
}
