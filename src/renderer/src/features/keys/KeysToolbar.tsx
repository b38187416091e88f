import { Button, Group, Select, TextInput } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { RULES, type RuleId } from '../../../../shared/audit';
import { KEY_STATUSES, type KeyStatus } from '../../../../shared/domain';
import { RULE_TITLES } from '../../../../shared/report/rule-titles';
import { selectReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';

/** Rules about a single key: the account-wide one cannot flag a row. */
const KEY_RULES = RULES.filter((rule) => rule !== 'too_many_keys');

export function KeysToolbar() {
  const { filters, setFilters, readOnly } = useInventoryStore(
    useShallow((state) => ({ filters: state.filters, setFilters: state.setFilters, readOnly: selectReadOnly(state) })),
  );
  const open = useUiStore((state) => state.open);
  return (
    <Group gap="sm" wrap="wrap">
      <TextInput
        placeholder="Search label or sk-…"
        aria-label="Search keys"
        data-testid="search"
        w={240}
        value={filters.search}
        onChange={(event) => setFilters({ search: event.currentTarget.value })}
      />
      <Select
        aria-label="Status"
        placeholder="Any status"
        data-testid="filter-status"
        w={140}
        clearable
        data={KEY_STATUSES.map((status) => ({ value: status, label: status }))}
        value={filters.status}
        onChange={(value) => setFilters({ status: (value as KeyStatus | null) ?? null })}
      />
      <Select
        aria-label="Flag"
        placeholder="Any flag"
        data-testid="filter-flag"
        w={230}
        clearable
        data={KEY_RULES.map((rule) => ({ value: rule, label: RULE_TITLES[rule] }))}
        value={filters.flag}
        onChange={(value) => setFilters({ flag: (value as RuleId | null) ?? null })}
      />
      <Button ml="auto" onClick={() => open({ wizardOpen: true })} disabled={readOnly} data-testid="create-key">
        Create key
      </Button>
    </Group>
  );
}
