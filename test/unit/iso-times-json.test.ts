import { describe, expect, it } from 'vitest';
import { isoTimesJson } from '../../src/platform/iso-times-json';

const expected = (times: (number | null)[]) =>
  JSON.stringify(times.map((ms) => (ms === null ? null : new Date(ms).toISOString())));

describe('isoTimesJson', () => {
  it('writes what Date#toISOString writes, on the edges of days, months, leap years and the range', () => {
    const edges = [
      0,
      1,
      999,
      86_399_999,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999), // a leap day of a year divisible by 400
      Date.UTC(2100, 2, 1), // 2100 is not a leap year
      Date.UTC(2026, 11, 31, 23, 59, 59, 999),
      Date.UTC(2027, 0, 1),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), // the last instant with a four-digit year
    ];
    expect(isoTimesJson(edges)).toBe(expected(edges));
  });

  it('agrees with toISOString on 100,000 random instants, nulls among them', () => {
    const times = Array.from({ length: 100_000 }, (_, i) =>
      i % 7 === 0 ? null : Math.floor(Math.random() * Date.UTC(9999, 11, 31, 23, 59, 59, 999)),
    );
    expect(isoTimesJson(times)).toBe(expected(times));
  });

  it('falls back to toISOString outside years 0000–9999, and writes an empty list', () => {
    const odd = [-1, Date.UTC(-1, 0, 1), Date.UTC(10_000, 0, 1)];
    expect(isoTimesJson(odd)).toBe(expected(odd));
    expect(isoTimesJson([])).toBe('[]');
  });
});
