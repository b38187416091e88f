// Rotations and incidents, under way and done, newest first: resume one, or export an incident's
// summary again.
import { Badge, Button, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect } from 'react';
import { currentStep, STEP_TITLES, stepsOf, type Workflow } from '../../../../shared/workflows';
import { ipc } from '../../ipc';
import { exactTime } from '../../lib/format';
import { saveFile } from '../../lib/save-file';
import { useConnectionStore } from '../../stores/connection-store';
import { useUiStore } from '../../stores/ui-store';
import { useWorkflowStore } from '../../stores/workflow-store';
import { failed } from './workflow-commands';

const STATUS_COLOR: Record<Workflow['status'], string> = { in_progress: 'blue', done: 'teal', cancelled: 'gray' };

function where(workflow: Workflow): string {
  if (workflow.status !== 'in_progress') return workflow.status === 'done' ? 'done' : 'cancelled';
  const step = currentStep(workflow);
  return `step ${workflow.step + 1} of ${stepsOf(workflow.kind).length}: ${step ? STEP_TITLES[step] : ''}`;
}

async function exportSummary(workflow: Workflow): Promise<void> {
  try {
    const { markdown } = await ipc.workflows.summary({ id: workflow.id });
    saveFile(`incident-${workflow.old_key.partial_key}.md`, markdown, 'text/markdown');
  } catch (error) {
    failed('Could not export the summary', error);
  }
}

export function WorkflowsPage() {
  const workflows = useWorkflowStore((state) => state.workflows);
  const connections = useConnectionStore((state) => state.connections);
  const activeId = useConnectionStore((state) => state.activeId);
  const open = useUiStore((state) => state.open);
  useEffect(() => {
    void useWorkflowStore.getState().load();
  }, []);
  const names = new Map(connections.map((connection) => [connection.id, connection.name]));

  return (
    <Stack>
      <Title order={1} size="h2">
        Rotations and incidents
      </Title>
      <Text size="sm" c="dimmed">
        Start one from a key’s menu (Rotate…, Compromised…) or from an audit finding that suggests a rotation. Each step
        is saved as you go.
      </Text>
      {workflows.length === 0 ? (
        <Paper withBorder p="xl">
          <Text c="dimmed" data-testid="workflows-empty">
            No rotation or incident yet.
          </Text>
        </Paper>
      ) : (
        <Table striped data-testid="workflows-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>What</Table.Th>
              <Table.Th>Key</Table.Th>
              <Table.Th>Connection</Table.Th>
              <Table.Th>Where</Table.Th>
              <Table.Th>Updated (UTC)</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {workflows.map((workflow) => (
              <Table.Tr key={workflow.id} data-testid="workflow-row" data-status={workflow.status}>
                <Table.Td>{workflow.kind === 'rotation' ? 'Rotation' : 'Compromised key'}</Table.Td>
                <Table.Td>
                  “{workflow.old_key.label}”{' '}
                  <Text span ff="monospace" size="xs">
                    {workflow.old_key.partial_key}
                  </Text>
                  {workflow.new_key && (
                    <Text size="xs" c="dimmed">
                      → {workflow.new_key.partial_key}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{names.get(workflow.connection_id) ?? workflow.connection_id}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[workflow.status]} variant="light">
                    {where(workflow)}
                  </Badge>
                  {workflow.deletion_due_at && (
                    <Text size="xs" c="dimmed">
                      delete on {workflow.deletion_due_at.slice(0, 10)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{exactTime(workflow.updated_at)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant={workflow.status === 'in_progress' ? 'filled' : 'default'}
                      disabled={workflow.status === 'in_progress' && workflow.connection_id !== activeId}
                      title={workflow.connection_id !== activeId ? 'Switch to its connection to go on' : undefined}
                      onClick={() => open({ workflowId: workflow.id })}
                      data-testid="workflow-open"
                    >
                      {workflow.status === 'in_progress' ? 'Resume' : 'Open'}
                    </Button>
                    {workflow.kind === 'incident' && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => void exportSummary(workflow)}
                        data-testid="workflow-export"
                      >
                        Export summary
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
