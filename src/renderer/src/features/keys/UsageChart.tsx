import { Group, Text } from '@mantine/core';
import { type KeyboardEvent, type MouseEvent, useId, useState } from 'react';
import type { DailyUsage } from '../../../../shared/domain';
import { formatCount } from '../../lib/format';

const WIDTH = 520;
const EMPTY_DAY: DailyUsage = { day: '', count: 0, rate_limited: 0 };
const HEIGHT = 120;
/** Room on the left for the count axis. */
const AXIS = 40;

/** What a day's bar says, in the readout under the chart and in the bar's own tooltip. */
function describeDay(day: DailyUsage, exposed: boolean): string {
  const refused = day.rate_limited > 0 ? `, ${formatCount(day.rate_limited)} refused by the rate limit` : '';
  return `${day.day}: ${formatCount(day.count)} call${day.count === 1 ? '' : 's'}${refused}${exposed ? ' (after the suspected exposure)' : ''}`;
}

/**
 * Calls per day as bars over a count axis; plain SVG, no charting library needed for ninety bars.
 * Pointing at a day, or moving through the days with the arrow keys once the chart has focus,
 * reads that day out under it. Days from `highlightFrom` (YYYY-MM-DD, an incident's suspected
 * exposure) on are drawn in red.
 */
export function UsageChart({ usage, highlightFrom }: { usage: DailyUsage[]; highlightFrom?: string | null }) {
  const [selected, setSelected] = useState<number | null>(null);
  const readout = useId();
  const max = Math.max(1, ...usage.map((day) => day.count));
  const bar = (WIDTH - AXIS) / Math.max(1, usage.length);
  const total = usage.reduce((sum, day) => sum + day.count, 0);
  const exposed = (day: DailyUsage) => Boolean(highlightFrom && day.day >= highlightFrom);
  const ticks = max >= 2 ? [0, Math.round(max / 2), max] : [0, max];
  const chosen = selected === null ? undefined : usage[selected];
  const focusDay = chosen ?? usage.at(-1);

  const pointAt = (event: MouseEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * WIDTH - AXIS;
    setSelected(x < 0 ? null : Math.min(usage.length - 1, Math.max(0, Math.floor(x / bar))));
  };
  const step = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = usage.length - 1;
    const next: Record<string, number> = {
      ArrowLeft: Math.max(0, (selected ?? last + 1) - 1),
      ArrowRight: Math.min(last, (selected ?? -1) + 1),
      Home: 0,
      End: last,
    };
    if (!(event.key in next) || last < 0) return;
    event.preventDefault();
    setSelected(next[event.key] as number);
  };

  return (
    <figure style={{ margin: 0 }} data-testid="usage-chart">
      {/* A slider over the days: one tab stop, the arrow keys move it, and each day's calls are
          its value as text, so a screen reader reads the chart day by day. */}
      <div
        role="slider"
        aria-label={`Calls per day: ${formatCount(total)} in ${usage.length} days, at most ${formatCount(max === 1 && total === 0 ? 0 : max)} a day`}
        aria-valuemin={0}
        aria-valuemax={Math.max(0, usage.length - 1)}
        aria-valuenow={selected ?? Math.max(0, usage.length - 1)}
        aria-valuetext={describeDay(focusDay ?? EMPTY_DAY, Boolean(focusDay && exposed(focusDay)))}
        aria-describedby={readout}
        tabIndex={0}
        onMouseMove={pointAt}
        onMouseLeave={() => setSelected(null)}
        onKeyDown={step}
        onBlur={() => setSelected(null)}
        style={{ outlineOffset: 2 }}
      >
        <svg viewBox={`0 -8 ${WIDTH} ${HEIGHT + 16}`} width="100%" aria-hidden="true" style={{ display: 'block' }}>
          {ticks.map((tick) => {
            const y = HEIGHT - (tick / max) * HEIGHT;
            return (
              <g key={tick} data-testid="usage-tick">
                <line
                  x1={AXIS}
                  y1={y}
                  x2={WIDTH}
                  y2={y}
                  stroke="var(--mantine-color-default-border)"
                  strokeDasharray={tick === 0 ? undefined : '3 3'}
                />
                <text x={AXIS - 6} y={y + 4} textAnchor="end" fontSize={11} fill="var(--mantine-color-dimmed)">
                  {formatCount(tick)}
                </text>
              </g>
            );
          })}
          {usage.map((day, i) => {
            const h = (day.count / max) * HEIGHT;
            return (
              <rect
                key={day.day}
                x={AXIS + i * bar + 1}
                y={HEIGHT - h}
                width={bar - 2}
                height={Math.max(h, day.count > 0 ? 2 : 0)}
                rx={2}
                fill={exposed(day) ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-teal-6)'}
                stroke={i === selected ? 'var(--mantine-color-text)' : undefined}
                data-exposed={exposed(day) || undefined}
              >
                <title>{describeDay(day, exposed(day))}</title>
              </rect>
            );
          })}
          {selected !== null && (
            <rect
              x={AXIS + selected * bar}
              y={0}
              width={bar}
              height={HEIGHT}
              fill="var(--mantine-color-default-hover)"
              opacity={0.5}
              pointerEvents="none"
            />
          )}
        </svg>
      </div>
      <Group justify="space-between" pl={`${(AXIS / WIDTH) * 100}%`}>
        <Text size="xs" c="dimmed">
          {usage[0]?.day}
        </Text>
        <Text size="xs" c="dimmed">
          {usage[Math.floor(usage.length / 2)]?.day}
        </Text>
        <Text size="xs" c="dimmed">
          {usage.at(-1)?.day}
        </Text>
      </Group>
      <Text size="xs" id={readout} data-testid="usage-readout" aria-live="polite">
        {chosen
          ? describeDay(chosen, exposed(chosen))
          : `${formatCount(total)} call${total === 1 ? '' : 's'} in the last ${usage.length} days (UTC). Point at a day, or focus the chart and use ← →, to read it.`}
      </Text>
    </figure>
  );
}
