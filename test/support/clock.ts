import type { Clock, Timers } from '../../src/shared/clock';

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

/** Timers the test fires by hand: `runDue` runs what would have run by then. */
export class ManualTimers implements Timers {
  private time = 0;
  private next = 0;
  private readonly pending = new Map<number, { at: number; every: number | null; run: () => void }>();

  after(ms: number, run: () => void): () => void {
    return this.add(ms, null, run);
  }

  every(ms: number, run: () => void): () => void {
    return this.add(ms, ms, run);
  }

  get count(): number {
    return this.pending.size;
  }

  /** Moves the timers' own time on by `ms`, running each timer as often as it falls due. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, timer] = due;
      this.time = timer.at;
      if (timer.every === null) this.pending.delete(id);
      else timer.at += timer.every;
      timer.run();
    }
    this.time = until;
  }

  private add(ms: number, every: number | null, run: () => void): () => void {
    const id = this.next++;
    this.pending.set(id, { at: this.time + ms, every, run });
    return () => this.pending.delete(id);
  }
}
