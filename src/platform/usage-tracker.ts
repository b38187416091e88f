// Write-behind for last-used times and daily counts. A verification only bumps two fields on the
// key's cached record (no lookup, no allocation); the dirty records go to SQLite in one
// transaction at least every second, on close, and whenever the UTC day turns, so every pending
// count belongs to the current day.
import { DAY_MS, utcDay } from '../shared/key-rules';
import type { UsageBatchEntry, UsageRepo } from './store/usage-repo';

/** Uses of one key since the last flush; lives on the verifier's cached key. */
export interface PendingUse {
  readonly keyId: string;
  lastUsedAt: number;
  count: number;
  /** Calls refused with 429 since the last flush: counted, but not use. */
  limited: number;
  queued: boolean;
}

export const newPendingUse = (keyId: string): PendingUse => ({
  keyId,
  lastUsedAt: 0,
  count: 0,
  limited: 0,
  queued: false,
});

export class UsageTracker {
  private dirty: PendingUse[] = [];
  private day = '';
  private dayStart = 0;
  private dayEnd = 0;

  constructor(private readonly repo: UsageRepo) {}

  /** A served call: counted, and the key's last use. */
  record(use: PendingUse, at: number): void {
    if (at >= this.dayEnd || at < this.dayStart) this.startDay(at);
    if (at > use.lastUsedAt) use.lastUsedAt = at;
    use.count++;
    this.queue(use);
  }

  /** A call refused by the rate limit: counted apart, and not a use of the key. */
  recordLimited(use: PendingUse, at: number): void {
    if (at >= this.dayEnd || at < this.dayStart) this.startDay(at);
    use.limited++;
    this.queue(use);
  }

  private queue(use: PendingUse): void {
    if (!use.queued) {
      use.queued = true;
      this.dirty.push(use);
    }
  }

  flush(): void {
    if (this.dirty.length === 0) return;
    const batch = this.dirty;
    this.dirty = [];
    const entries: UsageBatchEntry[] = batch.map((use) => {
      const entry = {
        keyId: use.keyId,
        lastUsedAt: use.lastUsedAt,
        day: this.day,
        count: use.count,
        limited: use.limited,
      };
      use.count = 0;
      use.limited = 0;
      use.queued = false;
      return entry;
    });
    this.repo.write(entries);
  }

  private startDay(at: number): void {
    this.flush(); // what was counted so far belongs to the day that just ended
    this.day = utcDay(at);
    this.dayStart = Date.parse(`${this.day}T00:00:00Z`);
    this.dayEnd = this.dayStart + DAY_MS;
  }
}
