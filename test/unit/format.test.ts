// The table's relative times are written out by hand (lib/format.ts) to spare the window's start
// the locale data of Intl.RelativeTimeFormat; they must read exactly as it would.
import { describe, expect, it } from 'vitest';
import { formatCount, relativeTime, shortRelativeTime } from '../../src/renderer/src/lib/format';

const NOW = Date.parse('2026-06-15T12:00:00.000Z');
const MINUTE = 60_000;
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', MINUTE],
];
const intl = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** The same choice of unit and rounding, said by Intl. */
function byIntl(delta: number): string {
  for (const [unit, size] of UNITS) if (Math.abs(delta) >= size) return intl.format(Math.round(delta / size), unit);
  return delta >= 0 ? 'in a moment' : 'just now';
}

describe('formatCount', () => {
  it('writes counts as toLocaleString en-US does', () => {
    const counts = [0, 7, 999, 1000, 12_345, 100_000, 999_999, 1_000_000, 123_456_789, 2 ** 31];
    for (let n = 1; n < 1e12; n = n * 7 + 3) counts.push(n);
    for (const count of counts) expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
  });
});

describe('relativeTime', () => {
  it('reads as Intl.RelativeTimeFormat (en, numeric auto) from minutes to thousands of years, both ways', () => {
    const deltas: number[] = [];
    for (let minutes = 1; minutes < 60 * 24 * 365 * 2000; minutes = Math.ceil(minutes * 1.07) + 1) {
      deltas.push(minutes * MINUTE, -minutes * MINUTE, minutes * MINUTE + 29_999, -(minutes * MINUTE + 30_001));
    }
    for (const [, size] of UNITS) deltas.push(size, -size, size * 1.5, -size * 1.5, size * 1.49, -size * 2.5);
    for (const delta of deltas) {
      expect(relativeTime(new Date(NOW + delta).toISOString(), NOW), String(delta)).toBe(byIntl(delta));
    }
  });

  it('says never, in a moment and just now', () => {
    expect(relativeTime(null, NOW)).toBe('never');
    expect(relativeTime(null, NOW, 'no expiry')).toBe('no expiry');
    expect(relativeTime(new Date(NOW + 30_000).toISOString(), NOW)).toBe('in a moment');
    expect(relativeTime(new Date(NOW - 30_000).toISOString(), NOW)).toBe('just now');
  });
});

describe('shortRelativeTime', () => {
  it('says what relativeTime says, in at most 10 characters up to 99 years', () => {
    const longUnit: Record<string, string> = { y: 'year', mo: 'month', d: 'day', h: 'hour', min: 'minute' };
    for (let minutes = 1; minutes < 60 * 24 * 365 * 99; minutes = Math.ceil(minutes * 1.07) + 1) {
      for (const delta of [minutes * MINUTE, -minutes * MINUTE, -(minutes * MINUTE + 30_001)]) {
        const iso = new Date(NOW + delta).toISOString();
        const short = shortRelativeTime(iso, NOW);
        expect(short.length, short).toBeLessThanOrEqual(10);
        const [, ahead, count, unit] = /^(in )?(\d+) (y|mo|d|h|min)( ago)?$/.exec(short) ?? [];
        const long = relativeTime(iso, NOW);
        // relativeTime says "tomorrow", "last month" for one unit; its number otherwise.
        const longCount = /\d[\d,]*/.exec(long)?.[0]?.replace(/,/g, '') ?? '1';
        expect(count, `${short} vs ${long}`).toBe(longCount);
        expect(long, short).toContain(
          longUnit[unit as string] === 'day' && count === '1'
            ? ahead
              ? 'tomorrow'
              : 'yesterday'
            : (longUnit[unit as string] as string),
        );
        expect(Boolean(ahead)).toBe(delta > 0);
      }
    }
    expect(shortRelativeTime(null, NOW)).toBe('never');
    expect(shortRelativeTime(new Date(NOW + 10_000).toISOString(), NOW)).toBe('now');
  });
});
