// The create wizard's and the edit dialog's expiration choices, as data: presets and the instant
// each gives.
import { type AuditPolicy, environmentFromLabel } from '../../../../shared/audit';
import { DAY_MS } from '../../lib/format';
import { currentTime } from '../../stores/clock-store';

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
export function expiryFrom(preset: ExpiryPreset, date: string, now = currentTime()): string | null | 'invalid' {
  if (preset === 'none') return null;
  if (preset === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'invalid';
    const at = Date.parse(`${date}T23:59:59Z`);
    return Number.isNaN(at) || at <= now ? 'invalid' : new Date(at).toISOString();
  }
  return new Date(now + Number(preset) * DAY_MS).toISOString();
}

/**
 * The expiration the policy advises for a key so labelled: its environment's rotation period, as a
 * preset when one matches, else as the date it gives. None when the label names no environment.
 */
export function suggestedExpiry(
  label: string,
  policy: AuditPolicy,
  now = currentTime(),
): { preset: ExpiryPreset; date: string } | null {
  const environment = environmentFromLabel(label);
  if (environment === null) return null;
  const days = policy.rotationDays[environment];
  const preset = EXPIRY_PRESETS.find((choice) => choice.value === String(days));
  return preset
    ? { preset: preset.value, date: '' }
    : { preset: 'date', date: new Date(now + days * DAY_MS).toISOString().slice(0, 10) };
}
