import { Button, Menu, Switch, Text } from '@mantine/core';
import { memo, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Account } from '../../../../shared/domain';
import { afterKeyRelease } from '../../lib/after-key-release';
import { MenuAnchorBox } from '../../lib/menu-anchor';
import { TEXT_TONE } from '../../lib/text-tones';
import { selectComplete, selectWhyReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { type AccountDialog, useUiStore } from '../../stores/ui-store';
import { useViewStore } from '../../stores/view-store';
import { newSubaccountParent, startNewSubaccount } from '../accounts/account-commands';
import classes from './AccountTree.module.css';
import { AccountDialogs } from './dialog-parts';

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
    for (const child of (children.get(parent) ?? []).sort((a, b) =>
      a.name.localeCompare(b.name, undefined, { numeric: true }),
    )) {
      out.push(child);
      visit(child.id);
    }
  };
  visit(null);
  return out;
}

/** Where each arrow key moves in the tree (every account is shown: the tree has no collapsed parts). */
function moveTarget(key: string, ordered: Account[], index: number): number | null {
  const current = ordered[index];
  switch (key) {
    case 'ArrowDown':
      return Math.min(index + 1, ordered.length - 1);
    case 'ArrowUp':
      return Math.max(index - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return ordered.length - 1;
    case 'ArrowRight':
      // The first child comes right after its parent in tree order.
      return ordered[index + 1]?.parent_id === current?.id ? index + 1 : null;
    case 'ArrowLeft': {
      const parent = ordered.findIndex((account) => account.id === current?.parent_id);
      return parent >= 0 ? parent : null;
    }
    default:
      return null;
  }
}

// No props: memo keeps a search keystroke (which re-renders the page) from redrawing the tree. Its
// rows are plain elements (AccountTree.module.css), with one actions menu for all of them.
// The accounts are an ARIA tree: one Tab stop (the focused account), arrows to move, Enter or
// Space to show an account's keys, Shift+F10 or the context-menu key for its actions.
export const AccountTree = memo(function AccountTree() {
  const { accounts, entries, complete } = useInventoryStore(
    useShallow((state) => ({ accounts: state.accounts, entries: state.entries, complete: selectComplete(state) })),
  );
  const { accountId, withSubaccounts, setFilters } = useViewStore(
    useShallow((state) => ({
      accountId: state.filters.account_id,
      withSubaccounts: state.filters.include_subaccounts,
      setFilters: state.setFilters,
    })),
  );
  const readOnly = useInventoryStore(selectWhyReadOnly);
  const ordered = useMemo(() => treeOrder(accounts), [accounts]);
  const depth = useMemo(() => depths(ordered), [ordered]);
  // Counted once every key is in (no count beats a count of the first rows).
  const counts = useMemo(() => {
    if (!complete) return null;
    const count = new Map<string, number>();
    for (const { key } of entries) count.set(key.account_id, (count.get(key.account_id) ?? 0) + 1);
    return count;
  }, [entries, complete]);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [menu, setMenu] = useState<MenuAnchor | null>(null);
  const items = useRef(new Map<string, HTMLElement>());
  // The Tab stop: the account last focused, else the selected one, else the first.
  const tabStop = [focusId, accountId, ordered[0]?.id].find((id) => id && ordered.some((a) => a.id === id));

  const focusAccount = (id: string | undefined) => {
    if (id) items.current.get(id)?.focus();
  };
  // The one menu opens at the right end of the account's row (where its ⋯ button is).
  const openMenu = (account: Account) => {
    const row = items.current.get(account.id)?.parentElement;
    if (!row) return;
    const { left, top, width, height } = row.getBoundingClientRect();
    AccountDialogs.preload(); // what its items open
    setMenu({ account, rect: { left, top, width, height } });
  };
  const onKeyDown = (event: React.KeyboardEvent, index: number, account: Account) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setFilters({ account_id: account.id });
    } else if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
      event.preventDefault();
      // Once the keys are up: the menu, made now, would take this very keydown for a press outside it.
      afterKeyRelease(() => openMenu(account));
    } else {
      const target = moveTarget(event.key, ordered, index);
      if (target === null) return;
      event.preventDefault();
      focusAccount(ordered[target]?.id);
    }
  };

  return (
    <nav aria-label="Accounts" data-testid="account-tree">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mb={4} id="accounts-heading">
        Accounts
      </Text>
      <div className={classes.list}>
        <button
          type="button"
          className={classes.item}
          data-active={accountId === null || undefined}
          aria-pressed={accountId === null}
          onClick={() => setFilters({ account_id: null })}
          data-testid="account-all"
        >
          <span className={`${classes.label} ${classes.name}`}>All accounts</span>
          {counts && <span className={classes.count}>{entries.length}</span>}
        </button>
        <div role="tree" aria-labelledby="accounts-heading">
          {ordered.map((account, index) => (
            <div
              key={account.id}
              role="none"
              className={classes.row}
              data-inactive={account.status === 'inactive' || undefined}
              data-testid="account-row"
            >
              <div
                role="treeitem"
                className={classes.item}
                style={{ '--indent': `${12 + (depth.get(account.id) ?? 0) * 14}px` } as React.CSSProperties}
                aria-level={(depth.get(account.id) ?? 0) + 1}
                aria-selected={accountId === account.id}
                aria-haspopup="menu"
                tabIndex={account.id === tabStop ? 0 : -1}
                ref={(element) => {
                  if (element) items.current.set(account.id, element);
                  else items.current.delete(account.id);
                }}
                onFocus={() => setFocusId(account.id)}
                onKeyDown={(event) => onKeyDown(event, index, account)}
                data-active={accountId === account.id || undefined}
                onClick={() => setFilters({ account_id: account.id })}
                data-testid="account-node"
                data-account-id={account.id}
              >
                <span className={classes.label}>
                  <span className={classes.name}>{account.name}</span>
                  {account.status === 'inactive' && (
                    <span className={classes.description}>inactive: its keys answer 403</span>
                  )}
                </span>
                {counts && <span className={classes.count}>{counts.get(account.id) ?? 0}</span>}
              </div>
              {/* For the mouse: the keyboard opens the menu from the account (Shift+F10), so the
                  button is no Tab stop and not in the tree that screen readers walk. */}
              <button
                type="button"
                className={classes.menuButton}
                tabIndex={-1}
                aria-hidden
                aria-label={`Actions for ${account.name}`}
                onClick={() => openMenu(account)}
                data-testid="account-menu"
              >
                ⋯
              </button>
            </div>
          ))}
        </div>
      </div>
      <AccountMenu
        anchor={menu}
        readOnly={readOnly}
        onClose={() => {
          // Back to the account the menu was opened from (by key or by the ⋯ button).
          focusAccount(menu?.account.id);
          setMenu(null);
        }}
      />
      <Button
        mt="xs"
        size="xs"
        variant="light"
        fullWidth
        disabled={readOnly !== null || ordered.length === 0}
        title={readOnly ?? `Under ${newSubaccountParent(accountId, accounts)?.name ?? ''}`}
        onClick={startNewSubaccount}
        data-testid="new-subaccount"
      >
        New subaccount
      </Button>
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

interface MenuAnchor {
  account: Account;
  rect: { left: number; top: number; width: number; height: number };
}

/**
 * New subaccount, rename, deactivate or activate: refused with the reason where keys cannot change.
 * One instance serves the whole tree, anchored at the account's row, so the tree's rows stay cheap
 * to render (a menu each was a floating element each to set up on the first screen).
 */
function AccountMenu({
  anchor,
  readOnly,
  onClose,
}: {
  anchor: MenuAnchor | null;
  readOnly: string | null;
  onClose(): void;
}) {
  if (!anchor) return null;
  const { account } = anchor;
  const open = (accountDialog: AccountDialog) => useUiStore.getState().open({ accountDialog });
  return (
    <Menu opened onChange={(opened) => !opened && onClose()} position="bottom-end" withinPortal>
      <Menu.Target>
        <MenuAnchorBox rect={anchor.rect} />
      </Menu.Target>
      <Menu.Dropdown>
        {readOnly && <Menu.Label>{readOnly}</Menu.Label>}
        <Menu.Item
          disabled={readOnly !== null}
          onClick={() => open({ kind: 'create', parentId: account.id })}
          data-testid="account-new-sub"
        >
          New subaccount
        </Menu.Item>
        <Menu.Item
          disabled={readOnly !== null}
          onClick={() => open({ kind: 'rename', accountId: account.id })}
          data-testid="account-rename"
        >
          Rename
        </Menu.Item>
        <Menu.Item
          disabled={readOnly !== null || account.parent_id === null}
          c={account.status === 'active' ? TEXT_TONE.red : undefined}
          onClick={() => open({ kind: 'status', accountId: account.id })}
          title={
            account.parent_id === null
              ? 'The root account cannot be deactivated: it would lock out every key'
              : undefined
          }
          data-testid="account-status"
        >
          {account.status === 'active' ? 'Deactivate…' : 'Activate…'}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
