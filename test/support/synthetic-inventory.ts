// Large inventories made in memory, for tests and benchmarks that need many keys fast: every key
// active and never used, created on one day, with an account of its own or all in one.
import type { Account, ApiKey } from '../../src/shared/domain';
import type { InventorySnapshot } from '../../src/shared/report/inventory-file';
import { keyOf } from './api-key';

export interface SyntheticOptions {
  keys: number;
  /** Each key in an account of its own (default), or every key in one root account. */
  accountPerKey?: boolean;
  /** The parent of account i (default: none; every account a root). */
  parentOf?: (i: number, accounts: Account[]) => string | null;
  label?: (i: number) => string;
  at?: string;
}

export function syntheticInventory(options: SyntheticOptions): InventorySnapshot {
  const at = options.at ?? '2026-01-01T00:00:00.000Z';
  const perKey = options.accountPerKey ?? true;
  const accounts: Account[] = [];
  const keys: ApiKey[] = [];
  const account = (i: number) => {
    const id = `acc_${i.toString(16).padStart(16, '0')}`;
    accounts.push({
      id,
      name: `Account ${i}`,
      parent_id: options.parentOf?.(i, accounts) ?? null,
      status: 'active',
      created_at: at,
      updated_at: at,
    });
    return id;
  };
  const shared = perKey ? null : account(0);
  for (let i = 0; i < options.keys; i++) {
    const key = keyOf(
      i.toString(16).padStart(16, '0'),
      options.label?.(i) ?? `Service key ${i}`,
      shared ?? account(i),
      at,
    );
    keys.push({ ...key, partial_key: `sk-${i.toString(16).padStart(8, '0')}` });
  }
  return {
    source: { name: 'synthetic', kind: 'embedded', base_url: null, synced_at: at },
    exported_at: at,
    accounts,
    keys,
    environments: {},
  };
}
