// One key's Extend: the bulk dry run on that key, so "N days from its current expiration" reads the
// same here as on the Audit page.
import { useUiStore } from '../../stores/ui-store';
import { BulkActionModal } from '../bulk/BulkActionModal';
import { useKey } from './use-selected-key';

export function ExtendKeyModal() {
  const keyId = useUiStore((state) => state.extendKeyId);
  const close = useUiStore((state) => state.close);
  const keyRecord = useKey(keyId);
  if (!keyRecord) return null;
  return <BulkActionModal action="extend" keys={[keyRecord]} onClose={() => close('extend')} />;
}
