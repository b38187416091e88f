// What the audit says about one key, in its details drawer: its findings, and the environment the
// audit counts it in (read from the label unless set here; kept in the app, per connection).
import { Badge, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ENVIRONMENTS, type Environment, environmentFromLabel, type Finding } from '../../../../shared/audit';
import type { ApiKey } from '../../../../shared/domain';
import { errorMessage } from '../../ipc';
import { useAuditStore } from '../../stores/audit-store';
import { positionOf, useInventoryStore } from '../../stores/inventory-store';
import { SEVERITY_COLOR } from './severity';

function useKeyFindings(keyId: string): Finding[] {
  const result = useAuditStore((state) => state.result);
  const position = useInventoryStore((state) => positionOf(state.entries, keyId));
  if (!result || position === undefined) return [];
  const findings: Finding[] = [];
  for (let i = 0; i < result.length; i++) if (result.keyIndex(i) === position) findings.push(result.at(i));
  return findings;
}

export function KeyAuditPanel({ keyRecord }: { keyRecord: ApiKey }) {
  const findings = useKeyFindings(keyRecord.id);
  const chosen = useInventoryStore((state) => state.environments[keyRecord.id] ?? null);
  const setEnvironment = useInventoryStore((state) => state.setEnvironment);
  const fromLabel = environmentFromLabel(keyRecord.label);
  return (
    <Stack gap="xs" data-testid="key-audit">
      <Group gap="sm" align="center">
        <Text size="sm" fw={600} w={120}>
          Environment
        </Text>
        <Select
          aria-label="Environment"
          data-testid="key-environment"
          size="xs"
          w={260}
          allowDeselect={false}
          data={[
            { value: 'label', label: `From the label (${fromLabel ?? 'none'})` },
            ...ENVIRONMENTS.map((environment) => ({ value: environment, label: environment })),
          ]}
          value={chosen ?? 'label'}
          onChange={(value) =>
            setEnvironment(keyRecord.id, value === 'label' || value === null ? null : (value as Environment)).catch(
              (error: unknown) =>
                notifications.show({
                  color: 'red',
                  title: 'Could not set the environment',
                  message: errorMessage(error),
                }),
            )
          }
        />
      </Group>
      {findings.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="key-findings-none">
          The audit finds nothing to fix on this key.
        </Text>
      ) : (
        findings.map((finding) => (
          <Group key={finding.rule} gap="xs" wrap="nowrap" align="flex-start" data-testid="key-finding">
            <Badge color={SEVERITY_COLOR[finding.severity]} variant="light" size="sm" miw={70}>
              {finding.severity}
            </Badge>
            <Text size="sm">
              {finding.message}{' '}
              <Text span c="dimmed" size="sm">
                Suggested: {finding.action.replace('_', ' ')}.
              </Text>
            </Text>
          </Group>
        ))
      )}
    </Stack>
  );
}
