// What every command shares: usage errors (exit 2) and reading option values.
export class UsageError extends Error {}

/** Exit codes: a CI pipeline tells "found something" (1) from "called wrongly" (2). */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export function number(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < min)
    throw new UsageError(`--${name} must be a number >= ${min}, got "${value}"`);
  return parsed;
}

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d`, `12h`, `2w` in milliseconds. */
export function duration(value: string, name: string): number {
  const match = /^(\d{1,5})([hdw])$/.exec(value.trim());
  if (!match || Number(match[1]) === 0)
    throw new UsageError(
      `--${name} must be a positive whole number of hours, days or weeks such as 90d, 12h or 2w, got "${value}"`,
    );
  return Number(match[1]) * (UNITS[match[2] as string] as number);
}
