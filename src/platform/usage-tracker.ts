// Write-behind for last-used times and daily counts. A verification only bumps two fields on the
// key's cached record (no lookup, no allocation); the dirty records go to the store in one
// transaction on the engine's timer, on close, whenever the UTC day turns (so every pending count
// belongs to the current day), and as soon as the oldest pending use is older than the age bound:
// a busy event loop delays the timer, never a recorded use, so what a crash can lose is bounded by
// the age of the oldest unflushed use. Writes are increments, so several processes' batches add up.
import { DAY_MS, utcDay } from '../shared/utc-time';
import type { PlatformStore, UsageBatchEntry } from './store/port';

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
  /** The batches being written, one after another: a flush settles once every earlier one is on disk. */
  private writing: Promise<void> = Promise.resolve();
  /** Batches handed to the store and not committed yet. */
  private readonly inFlight = new Set<UsageBatchEntry[]>();
  /** A batch failed and its counts wait in `dirty` again. */
  private failed = false;
  /** When the oldest use in `dirty` was recorded (Infinity while none is). */
  private oldestPendingAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: PlatformStore,
    /** A use older than this is written with the next one recorded, whatever the timer does (0: no bound). */
    private readonly maxAgeMs = 0,
    private readonly onFlushError: (error: unknown) => void = () => {},
  ) {}

  /** A served call: counted, and the key's last use. */
  record(use: PendingUse, at: number): void {
    if (at >= this.dayEnd || at < this.dayStart) this.startDay(at);
    if (at > use.lastUsedAt) use.lastUsedAt = at;
    use.count++;
    this.queue(use, at);
  }

  /** A call refused by the rate limit: counted apart, and not a use of the key. */
  recordLimited(use: PendingUse, at: number): void {
    if (at >= this.dayEnd || at < this.dayStart) this.startDay(at);
    use.limited++;
    this.queue(use, at);
  }

  /**
   * Last-used times not on disk yet (waiting, or being written), by key id: reads merge them, so
   * a key never looks older than the truth, even after the verifier's cache let go of its record.
   */
  pendingLastUsed(): Map<string, number> {
    const times = new Map<string, number>();
    const note = (keyId: string, at: number) => {
      if (at > (times.get(keyId) ?? 0)) times.set(keyId, at);
    };
    for (const batch of this.inFlight)
      for (const entry of batch) if (entry.count > 0) note(entry.keyId, entry.lastUsedAt);
    for (const use of this.dirty) if (use.lastUsedAt > 0) note(use.keyId, use.lastUsedAt);
    return times;
  }

  /** A use recorded at `at` waits in `dirty`; one that makes the oldest too old starts a flush. */
  private queue(use: PendingUse, at: number): void {
    this.markDirty(use);
    if (at < this.oldestPendingAt) this.oldestPendingAt = at;
    else if (this.maxAgeMs > 0 && at - this.oldestPendingAt >= this.maxAgeMs) this.flush().catch(this.onFlushError);
  }

  private markDirty(use: PendingUse): void {
    if (!use.queued) {
      use.queued = true;
      this.dirty.push(use);
    }
  }

  /**
   * Takes every pending use now and writes it after the batches before it. Settles once every use
   * recorded before the call is on disk: a batch that failed puts its counts back on their keys,
   * and they are written again before this settles (it rejects if they cannot be).
   */
  flush(): Promise<void> {
    const written = this.dirty.length === 0 ? this.writing.catch(() => {}) : this.writeDirty();
    return written.then(() => (this.failed ? this.flush() : undefined));
  }

  private writeDirty(): Promise<void> {
    this.failed = false; // whatever a failed batch put back is in this one
    // Each use with its entry, in key order: one lock order for every process, so batches that
    // share keys cannot deadlock on PostgreSQL.
    const taken = this.dirty
      .map((use) => {
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
        return { use, entry };
      })
      .sort((a, b) => (a.entry.keyId < b.entry.keyId ? -1 : a.entry.keyId > b.entry.keyId ? 1 : 0));
    this.dirty = [];
    this.oldestPendingAt = Number.POSITIVE_INFINITY;
    const entries = taken.map(({ entry }) => entry);
    this.inFlight.add(entries);
    const write = this.writing
      .catch(() => {})
      .then(() => this.store.transaction((tx) => tx.usage.write(entries)))
      .catch((error: unknown) => {
        this.putBack(taken);
        throw error;
      })
      .finally(() => this.inFlight.delete(entries));
    this.writing = write;
    return write;
  }

  /** Counts that could not be written (they land on the day of the flush that writes them). */
  private putBack(taken: { use: PendingUse; entry: UsageBatchEntry }[]): void {
    for (const { use, entry } of taken) {
      use.count += entry.count;
      use.limited += entry.limited;
      if (entry.lastUsedAt > use.lastUsedAt) use.lastUsedAt = entry.lastUsedAt;
      // Without an age: a store that keeps failing is retried by the timer and the next use, not by every use.
      this.markDirty(use);
    }
    this.failed = true;
  }

  private startDay(at: number): void {
    // What was counted so far belongs to the day that just ended: taken now, written in the background.
    this.flush().catch(() => {}); // a failure is reported by the next flush's caller
    this.day = utcDay(at);
    this.dayStart = Date.parse(`${this.day}T00:00:00Z`);
    this.dayEnd = this.dayStart + DAY_MS;
  }
}
