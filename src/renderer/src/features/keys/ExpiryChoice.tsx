import { SegmentedControl, Stack, TextInput } from '@mantine/core';
import { DAY_MS } from '../../lib/format';

export type ExpiryPreset = 'none' | '30' | '90' | '180' | '365' | 'date';

export const EXPIRY_PRESETS: Array<{ value: ExpiryPreset; label: string }> = [
  { value: 'none', label: 'None' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
  { value: '180', label: '180 days' },
  { value: '365', label: '365 days' },
  { value: 'date', label: 'A date' },
];

/** The chosen expiration as an ISO instant (end of the chosen UTC day for a date), null for none. */
export function expiryFrom(preset: ExpiryPreset, date: string, now = Date.now()): string | null | 'invalid' {
  if (preset === 'none') return null;
  if (preset === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'invalid';
    const at = Date.parse(`${date}T23:59:59Z`);
    return Number.isNaN(at) || at <= now ? 'invalid' : new Date(at).toISOString();
  }
  return new Date(now + Number(preset) * DAY_MS).toISOString();
}

export function ExpiryChoice(props: {
  preset: ExpiryPreset;
  date: string;
  onPreset: (preset: ExpiryPreset) => void;
  onDate: (date: string) => void;
}) {
  const invalid = props.preset === 'date' && expiryFrom('date', props.date) === 'invalid';
  return (
    <Stack gap="xs">
      <SegmentedControl
        data={EXPIRY_PRESETS}
        value={props.preset}
        onChange={(value) => props.onPreset(value as ExpiryPreset)}
        data-testid="expiry-preset"
      />
      {props.preset === 'date' && (
        <TextInput
          type="date"
          label="Expires at the end of (UTC)"
          value={props.date}
          onChange={(event) => props.onDate(event.currentTarget.value)}
          error={invalid && props.date ? 'Pick a day in the future' : undefined}
          data-testid="expiry-date"
        />
      )}
    </Stack>
  );
}
