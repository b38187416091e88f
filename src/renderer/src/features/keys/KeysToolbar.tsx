import { Button, Group, Select, TextInput } from '@mantine/core';
import { useShallow } from 'zustand/react/shallow';
import { KEY_FLAGS, KEY_STATUSES, type KeyFlag, type KeyStatus } from '../../../../shared/domain';
import { useInventoryStore } from '../../stores/inventory-store';
import { useUiStore } from '../../stores/ui-store';
import { FLAG_LABELS } from './badges';

export function KeysToolbar() {
  const { filters, setFilters, offline } = useInventoryStore(
    useShallow((state) => ({ filters: state.filters, setFilters: state.setFilters, offline: state.offline })),
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
        w={200}
        clearable
        data={KEY_FLAGS.map((flag: KeyFlag) => ({ value: flag, label: FLAG_LABELS[flag] }))}
        value={filters.flag}
        onChange={(value) => setFilters({ flag: (value as KeyFlag | null) ?? null })}
      />
      <Button ml="auto" onClick={() => open({ wizardOpen: true })} disabled={offline} data-testid="create-key">
        Create key
      </Button>
    </Group>
  );
}
