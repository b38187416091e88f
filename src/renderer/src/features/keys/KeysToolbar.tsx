import { Button, Group, Select, TextInput } from '@mantine/core';
import { memo } from 'react';
import { RULES, type RuleId } from '../../../../shared/audit';
import { KEY_STATUSES, type KeyStatus } from '../../../../shared/domain';
import { RULE_TITLES } from '../../../../shared/report/rule-titles';
import { selectReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';

const STATUS_OPTIONS = KEY_STATUSES.map((status) => ({ value: status, label: status }));
// Rules about a single key: the account-wide one cannot flag a row.
const FLAG_OPTIONS = RULES.filter((rule) => rule !== 'too_many_keys').map((rule) => ({
  value: rule,
  label: RULE_TITLES[rule],
}));

// Each control reads only its own filter, so a keystroke in the search re-renders the search box
// and the rows, not the selects (bench:ui times a search from keystroke to rows).
export function KeysToolbar() {
  return (
    <Group gap="sm" wrap="wrap">
      <SearchBox />
      <StatusFilter />
      <FlagFilter />
      <CreateButton />
    </Group>
  );
}

function SearchBox() {
  const search = useInventoryStore((state) => state.filters.search);
  const setFilters = useInventoryStore((state) => state.setFilters);
  return (
    <TextInput
      placeholder="Search label or sk-…"
      aria-label="Search keys"
      data-testid="search"
      w={240}
      value={search}
      onChange={(event) => setFilters({ search: event.currentTarget.value })}
    />
  );
}

const StatusFilter = memo(function StatusFilter() {
  const status = useInventoryStore((state) => state.filters.status);
  const setFilters = useInventoryStore((state) => state.setFilters);
  return (
    <Select
      aria-label="Status"
      placeholder="Any status"
      data-testid="filter-status"
      w={140}
      clearable
      data={STATUS_OPTIONS}
      value={status}
      onChange={(value) => setFilters({ status: (value as KeyStatus | null) ?? null })}
    />
  );
});

const FlagFilter = memo(function FlagFilter() {
  const flag = useInventoryStore((state) => state.filters.flag);
  const setFilters = useInventoryStore((state) => state.setFilters);
  return (
    <Select
      aria-label="Flag"
      placeholder="Any flag"
      data-testid="filter-flag"
      w={230}
      clearable
      data={FLAG_OPTIONS}
      value={flag}
      onChange={(value) => setFilters({ flag: (value as RuleId | null) ?? null })}
    />
  );
});

const CreateButton = memo(function CreateButton() {
  const readOnly = useInventoryStore(selectReadOnly);
  const open = useUiStore((state) => state.open);
  return (
    <Button ml="auto" onClick={() => open({ wizardOpen: true })} disabled={readOnly} data-testid="create-key">
      Create key
    </Button>
  );
});
