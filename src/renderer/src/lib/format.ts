// Times for people: relative in the table ("3 days ago", "in 5 days"), exact on hover.
// Each unit with its short form, for a table's narrow columns ("3 d ago").
const UNITS: Array<[unit: string, ms: number, lastNext: boolean, short: string]> = [
  ['year', 365 * 86_400_000, true, 'y'],
  ['month', 30 * 86_400_000, true, 'mo'],
  ['day', 86_400_000, false, 'd'],
  ['hour', 3_600_000, false, 'h'],
  ['minute', 60_000, false, 'min'],
];

/**
 * What Intl.RelativeTimeFormat('en', { numeric: 'auto' }) says for a whole number of units other
 * than 0, written out: making that formatter cost the window's start ~15 ms (its locale data),
 * for five English units (test/unit/format.test.ts holds the two to the same text).
 */
function relativeUnits(count: number, unit: string, lastNext: boolean): string {
  if (count === 1) return unit === 'day' ? 'tomorrow' : lastNext ? `next ${unit}` : `in 1 ${unit}`;
  if (count === -1) return unit === 'day' ? 'yesterday' : lastNext ? `last ${unit}` : `1 ${unit} ago`;
  const text = formatCount(Math.abs(count));
  return count > 0 ? `in ${text} ${unit}s` : `${text} ${unit}s ago`;
}

/**
 * A count (a whole number, not negative) as `toLocaleString('en-US')` writes it ("100,000"),
 * written out: its first call loads the locale's number data, ~20-30 ms of the window's first
 * render (the key count).
 */
export function formatCount(count: number): string {
  const digits = String(count);
  const head = digits.length % 3 || 3;
  let out = digits.slice(0, head);
  for (let at = head; at < digits.length; at += 3) out += `,${digits.slice(at, at + 3)}`;
  return out;
}

export function relativeTime(iso: string | null, now: number, never = 'never'): string {
  if (iso === null) return never;
  const delta = Date.parse(iso) - now;
  for (const [unit, size, lastNext] of UNITS) {
    if (Math.abs(delta) >= size) return relativeUnits(Math.round(delta / size), unit, lastNext);
  }
  return delta >= 0 ? 'in a moment' : 'just now';
}

/** relativeTime in a table's narrow column: "3 d ago", "in 11 mo", "now" (at most 10 characters). */
export function shortRelativeTime(iso: string | null, now: number, never = 'never'): string {
  if (iso === null) return never;
  const delta = Date.parse(iso) - now;
  for (const [, size, , unit] of UNITS) {
    if (Math.abs(delta) >= size) {
      const count = Math.round(delta / size); // rounded as relativeTime rounds
      return count > 0 ? `in ${count} ${unit}` : `${-count} ${unit} ago`;
    }
  }
  return 'now';
}

let exact: Intl.DateTimeFormat | undefined; // made when first needed: never on the first screen
export const exactTime = (iso: string | null): string => {
  exact ??= new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return iso === null ? '' : `${exact.format(new Date(iso))} UTC`;
};

export const DAY_MS = 86_400_000;
