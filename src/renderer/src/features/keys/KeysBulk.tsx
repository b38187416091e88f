// Bulk actions on the keys ticked in the table: the same bar, dry run, progress and result as the
// Audit page. Shown only while something is ticked.
import { useMemo, useState } from 'react';
import type { BulkAction } from '../../../../shared/bulk-plan';
import { lazyPart } from '../../lib/lazy-part';
import { selectShown, selectWhyReadOnly, useInventoryStore } from '../../stores/inventory-store';
import { useSelectionStore } from '../../stores/selection-store';
import { BulkBar } from '../bulk/BulkBar';

// Its code loads when the first key is ticked (lib/lazy-part.tsx).
const BulkActionModal = lazyPart(() => import('../bulk/BulkActionModal').then((module) => module.BulkActionModal));

export function KeysBulk() {
  const ids = useSelectionStore((state) => state.ids);
  const clear = useSelectionStore((state) => state.clear);
  const entries = useInventoryStore(selectShown);
  const readOnly = useInventoryStore(selectWhyReadOnly);
  const [action, setAction] = useState<BulkAction | null>(null);
  const keys = useMemo(
    () => (ids.size === 0 ? [] : entries.filter(({ key }) => ids.has(key.id)).map(({ key }) => key)),
    [entries, ids],
  );
  if (keys.length === 0 && action === null) return null;
  return (
    <>
      <BulkBar count={keys.length} readOnly={readOnly} onAction={setAction} onClear={clear} />
      <BulkActionModal
        action={action}
        keys={keys}
        onClose={(finished) => {
          setAction(null);
          if (finished) clear();
        }}
      />
    </>
  );
}
