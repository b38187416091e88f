// Findings grouped by severity and rule, each group with a checkbox that selects its keys. Rows
// are built only for what is shown: a group lists its first rows and grows on request.
import { Badge, Button, Checkbox, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { AuditResult } from '../../../../shared/audit';
import type { ApiKey } from '../../../../shared/domain';
import { RULE_TITLES } from '../../../../shared/report/rule-titles';
import { selectReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { startWorkflow } from '../workflows/workflow-commands';
import type { FindingGroup } from './audit-view';
import { SEVERITY_COLOR } from './severity';

const PAGE = 25;

interface FindingGroupsProps {
  groups: FindingGroup[];
  result: AuditResult;
  keys: ApiKey[];
  accountNames: Map<string, string>;
  selected: Set<string>;
  onSelect(keyIds: string[], selected: boolean): void;
  onOpenKey(key: ApiKey): void;
}

export function FindingGroups(props: FindingGroupsProps) {
  return (
    <Stack gap="sm" data-testid="finding-groups">
      {props.groups.map((group) => (
        <FindingGroupCard key={`${group.severity}/${group.rule}`} group={group} {...props} />
      ))}
    </Stack>
  );
}

function FindingGroupCard({
  group,
  result,
  keys,
  accountNames,
  selected,
  onSelect,
  onOpenKey,
}: FindingGroupsProps & { group: FindingGroup }) {
  const readOnly = useInventoryStore(selectReadOnly);
  const [shown, setShown] = useState(PAGE);
  const keyIds = useMemo(
    () =>
      group.findings
        .map((i) => result.keyIndex(i))
        .filter((at) => at >= 0)
        .map((at) => (keys[at] as ApiKey).id),
    [group, result, keys],
  );
  const chosen = keyIds.filter((id) => selected.has(id)).length;
  const first = result.at(group.findings[0] as number);
  return (
    <Paper withBorder p="sm" data-testid="finding-group" data-rule={group.rule} data-severity={group.severity}>
      <Group gap="sm" wrap="nowrap">
        <Checkbox
          aria-label={`Select every key in ${RULE_TITLES[group.rule]}`}
          data-testid="group-select"
          disabled={keyIds.length === 0}
          checked={keyIds.length > 0 && chosen === keyIds.length}
          indeterminate={chosen > 0 && chosen < keyIds.length}
          onChange={(event) => onSelect(keyIds, event.currentTarget.checked)}
        />
        <Badge color={SEVERITY_COLOR[group.severity]} variant="light">
          {group.severity}
        </Badge>
        <Text fw={600}>{RULE_TITLES[group.rule]}</Text>
        <Badge color="gray" variant="outline" data-testid="group-count">
          {group.findings.length}
        </Badge>
        <Text size="sm" c="dimmed" ml="auto">
          Suggested: {first.action.replace('_', ' ')}
        </Text>
      </Group>
      <Stack gap={4} mt="xs">
        {group.findings.slice(0, shown).map((i) => {
          const at = result.keyIndex(i);
          const key = at >= 0 ? (keys[at] as ApiKey) : null;
          const finding = result.at(i);
          return (
            <Group key={i} gap="sm" wrap="nowrap" data-testid="finding" data-key-id={key?.id ?? ''}>
              <Checkbox
                size="xs"
                aria-label={key ? `Select “${key.label}”` : 'An account-wide finding'}
                disabled={!key}
                checked={key ? selected.has(key.id) : false}
                onChange={(event) => key && onSelect([key.id], event.currentTarget.checked)}
              />
              {key ? (
                <UnstyledButton onClick={() => onOpenKey(key)} style={{ flex: 1 }}>
                  <Text size="sm">{finding.message}</Text>
                </UnstyledButton>
              ) : (
                <Text size="sm" style={{ flex: 1 }}>
                  {finding.message}
                </Text>
              )}
              <Text size="xs" c="dimmed" w={160} truncate>
                {accountNames.get(finding.account_id) ?? finding.account_id}
              </Text>
              {key && finding.action === 'rotate' && (
                <Button
                  size="compact-xs"
                  variant="light"
                  disabled={readOnly}
                  onClick={() => void startWorkflow('rotation', key)}
                  data-testid="finding-rotate"
                >
                  Rotate…
                </Button>
              )}
            </Group>
          );
        })}
        {group.findings.length > shown && (
          <Button variant="subtle" size="xs" onClick={() => setShown(shown + PAGE * 4)} data-testid="group-more">
            Show more ({group.findings.length - shown} left)
          </Button>
        )}
      </Stack>
    </Paper>
  );
}
