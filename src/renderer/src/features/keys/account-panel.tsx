// The account panel beside the key table: folded, the table has the width for every column at
// 1280 and 1440 px. It starts open on windows at least WIDE_PX wide and folded below, until the
// admin chooses; the choice is kept (localStorage) for the next start.
import { Button } from '@mantine/core';
import { useState } from 'react';
import { useInventoryStore } from '../../stores/inventory-store';
import { useViewStore } from '../../stores/view-store';

const STORAGE_KEY = 'keyhold.account-panel';
const WIDE_PX = 1600;
export const ACCOUNT_PANEL_ID = 'account-panel';

/** Whether the panel is open, and a setter that remembers the admin's choice. */
export function useAccountPanel(): [boolean, (open: boolean) => void] {
  const [open, setOpen] = useState(() => {
    const saved = localStorage.getItem(STORAGE_KEY);
    return saved === null ? window.innerWidth >= WIDE_PX : saved === 'open';
  });
  const choose = (next: boolean) => {
    localStorage.setItem(STORAGE_KEY, next ? 'open' : 'closed');
    setOpen(next);
  };
  return [open, choose];
}

/** Opens and folds the panel; folded, it names the account the table shows. */
export function AccountPanelToggle({ open, onToggle }: { open: boolean; onToggle(open: boolean): void }) {
  const accountId = useViewStore((state) => state.filters.account_id);
  const accountName = useInventoryStore((state) => state.accounts.find((account) => account.id === accountId)?.name);
  return (
    <Button
      variant="default"
      aria-expanded={open}
      aria-controls={ACCOUNT_PANEL_ID}
      onClick={() => onToggle(!open)}
      data-testid="account-panel-toggle"
      maw={220}
      styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}
    >
      <span aria-hidden>{open ? '◂' : '▸'}&nbsp;</span>
      {open ? 'Accounts' : `Accounts: ${accountName ?? 'all'}`}
    </Button>
  );
}
