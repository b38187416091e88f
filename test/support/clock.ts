import type { Clock } from '../../src/shared/clock';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2026-06-01T12:00:00.000Z')) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
  advanceDays(days: number): void {
    this.time += days * 86_400_000;
  }
  set(iso: string): void {
    this.time = Date.parse(iso);
  }
}
