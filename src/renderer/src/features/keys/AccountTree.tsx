import { Badge, NavLink, ScrollArea, Switch, Text } from '@mantine/core';
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Account } from '../../../../shared/domain';
import { useInventoryStore } from '../../stores/inventory-store';
import { useViewStore } from '../../stores/view-store';

/** Depth of each account, parents arriving before children. */
function depths(accounts: Account[]): Map<string, number> {
  const depth = new Map<string, number>();
  for (const account of accounts)
    depth.set(account.id, account.parent_id ? (depth.get(account.parent_id) ?? 0) + 1 : 0);
  return depth;
}

/** Parents first, each followed by its subtree, siblings by name. */
function treeOrder(accounts: Account[]): Account[] {
  const children = new Map<string | null, Account[]>();
  const ids = new Set(accounts.map((a) => a.id));
  for (const account of accounts) {
    const parent = account.parent_id && ids.has(account.parent_id) ? account.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), account]);
  }
  const out: Account[] = [];
  const visit = (parent: string | null) => {
    for (const child of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(child);
      visit(child.id);
    }
  };
  visit(null);
  return out;
}

// No props: memo keeps a search keystroke (which re-renders the page) from redrawing the tree.
export const AccountTree = memo(function AccountTree() {
  const { accounts, entries } = useInventoryStore(
    useShallow((state) => ({ accounts: state.accounts, entries: state.entries })),
  );
  const { accountId, withSubaccounts, setFilters } = useViewStore(
    useShallow((state) => ({
      accountId: state.filters.account_id,
      withSubaccounts: state.filters.include_subaccounts,
      setFilters: state.setFilters,
    })),
  );
  const ordered = useMemo(() => treeOrder(accounts), [accounts]);
  const depth = useMemo(() => depths(ordered), [ordered]);
  const counts = useMemo(() => {
    const count = new Map<string, number>();
    for (const { key } of entries) count.set(key.account_id, (count.get(key.account_id) ?? 0) + 1);
    return count;
  }, [entries]);

  return (
    <nav aria-label="Accounts" data-testid="account-tree">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4}>
        Accounts
      </Text>
      <ScrollArea.Autosize mah="calc(100vh - 260px)">
        <NavLink
          label="All accounts"
          active={accountId === null}
          onClick={() => setFilters({ account_id: null })}
          rightSection={
            <Badge size="xs" variant="light">
              {entries.length}
            </Badge>
          }
          data-testid="account-all"
        />
        {ordered.map((account) => (
          <NavLink
            key={account.id}
            label={account.name}
            description={account.status === 'inactive' ? 'inactive' : undefined}
            pl={12 + (depth.get(account.id) ?? 0) * 14}
            active={accountId === account.id}
            onClick={() => setFilters({ account_id: account.id })}
            rightSection={
              <Badge size="xs" variant="light" color="gray">
                {counts.get(account.id) ?? 0}
              </Badge>
            }
            data-testid="account-node"
            data-account-id={account.id}
          />
        ))}
      </ScrollArea.Autosize>
      <Switch
        mt="sm"
        size="xs"
        label="Include subaccounts"
        checked={withSubaccounts}
        onChange={(event) => setFilters({ include_subaccounts: event.currentTarget.checked })}
        disabled={accountId === null}
      />
    </nav>
  );
});
