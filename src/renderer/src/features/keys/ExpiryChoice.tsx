import { SegmentedControl, Stack, TextInput } from '@mantine/core';
import { EXPIRY_PRESETS, type ExpiryPreset, expiryFrom } from './expiry';

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
