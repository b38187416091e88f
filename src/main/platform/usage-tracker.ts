// Write-behind for last-used times and daily counts: a verification only touches memory; the
// batch goes to SQLite in one transaction at least every second and on close.
import { utcDay } from '../../shared/key-rules';
import type { UsageBatchEntry, UsageRepo } from '../store/usage-repo';

export class UsageTracker {
  private pending = new Map<string, UsageBatchEntry>();
  // The UTC day string changes once a day; computing it per call would dominate the hot path.
  private dayStart = 0;
  private dayEnd = 0;
  private day = '';

  constructor(private readonly repo: UsageRepo) {}

  record(keyId: string, at: number): void {
    if (at >= this.dayEnd || at < this.dayStart) {
      this.day = utcDay(at);
      this.dayStart = Date.parse(`${this.day}T00:00:00Z`);
      this.dayEnd = this.dayStart + 86_400_000;
    }
    let entry = this.pending.get(keyId);
    if (!entry) {
      entry = { keyId, lastUsedAt: at, days: new Map() };
      this.pending.set(keyId, entry);
    } else if (at > entry.lastUsedAt) {
      entry.lastUsedAt = at;
    }
    entry.days.set(this.day, (entry.days.get(this.day) ?? 0) + 1);
  }

  /** The newest use not yet on disk, so reads never look older than the truth. */
  pendingLastUsed(keyId: string): number | undefined {
    return this.pending.get(keyId)?.lastUsedAt;
  }

  forget(keyId: string): void {
    this.pending.delete(keyId);
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.repo.write(batch.values());
  }
}
