import { Group, Text } from '@mantine/core';
import type { DailyUsage } from '../../../../shared/domain';
import { formatCount } from '../../lib/format';

/**
 * Calls per day as bars; plain SVG, no charting library needed for ninety bars. Days from
 * `highlightFrom` (YYYY-MM-DD, an incident's suspected exposure) on are drawn in red.
 */
export function UsageChart({ usage, highlightFrom }: { usage: DailyUsage[]; highlightFrom?: string | null }) {
  const width = 520;
  const height = 120;
  const max = Math.max(1, ...usage.map((day) => day.count));
  const bar = width / Math.max(1, usage.length);
  const total = usage.reduce((sum, day) => sum + day.count, 0);
  return (
    <figure style={{ margin: 0 }} data-testid="usage-chart">
      <svg
        viewBox={`0 0 ${width} ${height + 18}`}
        width="100%"
        role="img"
        aria-label={`${total} calls in ${usage.length} days`}
      >
        {usage.map((day, i) => {
          const h = (day.count / max) * height;
          return (
            <rect
              key={day.day}
              x={i * bar + 1}
              y={height - h}
              width={bar - 2}
              height={Math.max(h, day.count > 0 ? 2 : 0)}
              rx={2}
              fill={
                highlightFrom && day.day >= highlightFrom ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-teal-6)'
              }
              data-exposed={highlightFrom && day.day >= highlightFrom ? true : undefined}
            >
              <title>{`${day.day}: ${day.count} calls${day.rate_limited > 0 ? `, ${day.rate_limited} refused by the rate limit` : ''}${highlightFrom && day.day >= highlightFrom ? ' (after the suspected exposure)' : ''}`}</title>
            </rect>
          );
        })}
        <line x1={0} y1={height} x2={width} y2={height} stroke="var(--mantine-color-default-border)" />
      </svg>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {usage[0]?.day}
        </Text>
        <Text size="xs" c="dimmed">
          {usage.at(-1)?.day}
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {formatCount(total)} call{total === 1 ? '' : 's'} in the last {usage.length} days (UTC), busiest day{' '}
        {max === 1 && total === 0 ? 0 : max}
      </Text>
    </figure>
  );
}
