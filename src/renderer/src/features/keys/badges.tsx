import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { KeyFlag, KeyStatus } from '../../../../shared/domain';
import { DAY_MS, exactTime, relativeTime } from '../../lib/format';

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

const FLAG_COLOR: Record<KeyFlag, string> = {
  never_used: 'grape',
  unused: 'orange',
  expiring: 'yellow',
  expired: 'red',
  no_expiration: 'blue',
};

export function FlagBadges({ flags }: { flags: KeyFlag[] }) {
  return (
    <Group gap={4} wrap="nowrap">
      {flags.map((flag) => (
        <Badge key={flag} color={FLAG_COLOR[flag]} variant="outline" size="xs">
          {FLAG_LABELS[flag]}
        </Badge>
      ))}
    </Group>
  );
}

export function TimeCell({ iso, now, never = 'never' }: { iso: string | null; now: number; never?: string }) {
  return (
    <Tooltip label={exactTime(iso)} disabled={iso === null} openDelay={300}>
      <Text size="sm" c={iso === null ? 'dimmed' : undefined} truncate>
        {relativeTime(iso, now, never)}
      </Text>
    </Tooltip>
  );
}

/** Expiry, coloured as it nears: red once past or within 7 days, orange within 30. */
export function ExpiryCell({ iso, now }: { iso: string | null; now: number }) {
  const left = iso === null ? null : Date.parse(iso) - now;
  const color = left === null ? 'dimmed' : left <= 7 * DAY_MS ? 'red' : left <= 30 * DAY_MS ? 'orange' : undefined;
  return (
    <Tooltip label={exactTime(iso)} disabled={iso === null} openDelay={300}>
      <Text size="sm" c={color} fw={left !== null && left <= 7 * DAY_MS ? 600 : undefined} truncate>
        {relativeTime(iso, now, 'never')}
      </Text>
    </Tooltip>
  );
}
