import type { ApiKey } from '../../../../shared/domain';
import { positionOf, selectShown, useInventoryStore } from '../../stores/inventory-store';

/** The key a dialog is about, as the table currently has it. */
export function useKey(keyId: string | null): ApiKey | null {
  return useInventoryStore((state) => {
    if (keyId === null) return null;
    const shown = selectShown(state);
    const at = positionOf(shown, keyId);
    return at === undefined ? null : (shown[at]?.key ?? null);
  });
}
