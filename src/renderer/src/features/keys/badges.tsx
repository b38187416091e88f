import { Badge } from '@mantine/core';
import type { KeyFlag, KeyStatus } from '../../../../shared/domain';

const STATUS_COLOR: Record<KeyStatus, string> = { active: 'teal', revoked: 'gray', expired: 'red' };

export function StatusBadge({ status }: { status: KeyStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" size="sm" data-testid="status-badge">
      {status}
    </Badge>
  );
}

export const FLAG_LABELS: Record<KeyFlag, string> = {
  never_used: 'never used',
  unused: 'unused 90+ d',
  expiring: 'expires ≤ 7 d',
  expired: 'expired',
  no_expiration: 'no expiry',
};
