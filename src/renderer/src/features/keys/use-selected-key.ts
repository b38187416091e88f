import type { ApiKey } from '../../../../shared/domain';
import { positionOf, useInventoryStore } from '../../stores/inventory-store';

/** The key a dialog is about, as the table currently has it. */
export function useKey(keyId: string | null): ApiKey | null {
  return useInventoryStore((state) => {
    if (keyId === null) return null;
    const at = positionOf(state.entries, keyId);
    return at === undefined ? null : (state.entries[at]?.key ?? null);
  });
}
