// One key as the platform answers it, for tests that write their keys by hand.
import type { ApiKey } from '../../src/shared/domain';

/** An active key `key_<hex>` of `account_id`, created at `at`, never used, never expiring. */
export const keyOf = (hex: string, label: string, account_id: string, at: string): ApiKey => ({
  id: `key_${hex}`,
  account_id,
  label,
  partial_key: `sk-${hex}`,
  status: 'active',
  created_at: at,
  updated_at: at,
  last_used_at: null,
  expires_at: null,
  revoked_at: null,
  deletes_at: null,
});
