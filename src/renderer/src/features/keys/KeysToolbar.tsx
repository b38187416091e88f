import { Group, NativeSelect, TextInput } from '@mantine/core';
import { memo } from 'react';
import { RULES } from '../../../../shared/audit';
import type { Filters } from '../../../../shared/key-index';
import { RULE_TITLES } from '../../../../shared/report/rule-titles';
import { KEY_STATUSES } from '../../../../shared/statuses';
import { KEY_SEARCH_ID } from '../../shell/shortcuts';
import { useUiStore } from '../../stores/ui-store';
import { useViewStore } from '../../stores/view-store';
import { PlatformButton } from './PlatformButton';

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
    <Group gap="sm" wrap="wrap" style={{ flex: 1 }}>
      <SearchBox />
      <FilterSelect field="status" label="Status" width={140} options={STATUS_OPTIONS} />
      <FilterSelect field="flag" label="Flag" width={230} options={FLAG_OPTIONS} />
      <CreateButton />
    </Group>
  );
}

function SearchBox() {
  const search = useViewStore((state) => state.filters.search);
  const setFilters = useViewStore((state) => state.setFilters);
  return (
    <TextInput
      id={KEY_SEARCH_ID}
      placeholder="Search label or sk-…  ( / )"
      aria-label="Search keys"
      data-testid="search"
      w={240}
      value={search}
      onChange={(event) => setFilters({ search: event.currentTarget.value })}
    />
  );
}

/**
 * A select bound to one filter of the store; memoized, so it re-renders only when that filter
 * changes. Native: the OS's own list, and far cheaper for the first screen than a combobox.
 */
const FilterSelect = memo(function FilterSelect({
  field,
  label,
  width,
  options,
}: {
  field: 'status' | 'flag';
  label: string;
  width: number;
  options: Array<{ value: string; label: string }>;
}) {
  const value = useViewStore((state) => state.filters[field]);
  const setFilters = useViewStore((state) => state.setFilters);
  return (
    <NativeSelect
      aria-label={label}
      data-testid={`filter-${field}`}
      w={width}
      data={[{ value: '', label: `Any ${label.toLowerCase()}` }, ...options]}
      value={value ?? ''}
      // The options come from the field's own list, so the value is one of its type ('' is "any").
      onChange={(event) => setFilters({ [field]: event.currentTarget.value || null } as Partial<Filters>)}
    />
  );
});

const CreateButton = memo(function CreateButton() {
  const open = useUiStore((state) => state.open);
  return (
    <PlatformButton ml="auto" onClick={() => open({ wizardOpen: true })} data-testid="create-key">
      Create key
    </PlatformButton>
  );
});
