// Times for people: relative in the table ("3 days ago", "in 5 days"), exact on hover.
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function relativeTime(iso: string | null, now: number, never = 'never'): string {
  if (iso === null) return never;
  const delta = Date.parse(iso) - now;
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size) return relative.format(Math.round(delta / size), unit);
  }
  return delta >= 0 ? 'in a moment' : 'just now';
}

export const exactTime = (iso: string | null): string => (iso === null ? '' : `${exact.format(new Date(iso))} UTC`);

export const DAY_MS = 86_400_000;
