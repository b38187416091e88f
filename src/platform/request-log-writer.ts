// The request log written behind, as usage is: a request is queued in memory and the queue goes to
// the store in one transaction on the engine's timer, on close, and as soon as its oldest request
// is older than the age bound (a busy event loop delays the timer, never a queued request), so
// what a kill -9 can lose is bounded by the same age as usage. The queue is bounded too: when the
// store cannot keep up (or is down), requests past the bound are counted as dropped, never held
// without limit; the count is reported with the next failure and by `dropped`.
import type { PlatformStore, RequestLogEntry } from './store/port';

/** Requests held at most while the store is slow or down (about 20 MB of entries). */
const MAX_QUEUED = 100_000;

export class RequestLogWriter {
  private queue: RequestLogEntry[] = [];
  /** The batches being written, one after another. */
  private writing: Promise<void> = Promise.resolve();
  /** When the oldest queued request was recorded (Infinity while none is). */
  private oldestAt = Number.POSITIVE_INFINITY;
  /** Requests left out because the queue was full. */
  dropped = 0;

  constructor(
    private readonly store: PlatformStore,
    /** A request older than this is written with the next one recorded (0: no bound). */
    private readonly maxAgeMs: number,
    private readonly onFlushError: (error: unknown) => void,
    private readonly maxQueued = MAX_QUEUED,
  ) {}

  record(entry: RequestLogEntry): void {
    if (this.queue.length >= this.maxQueued) {
      this.dropped++;
      return;
    }
    this.queue.push(entry);
    if (entry.at < this.oldestAt) this.oldestAt = entry.at;
    else if (this.maxAgeMs > 0 && entry.at - this.oldestAt >= this.maxAgeMs) this.flush().catch(this.onFlushError);
  }

  /**
   * Writes every queued request after the batches before it; settles once they are on disk. A
   * batch that fails goes back to the front of the queue (within the bound) and the flush rejects.
   */
  flush(): Promise<void> {
    if (this.queue.length === 0) return this.writing.catch(() => {});
    const batch = this.queue;
    this.queue = [];
    this.oldestAt = Number.POSITIVE_INFINITY;
    const write = this.writing
      .catch(() => {})
      .then(() => this.store.transaction((tx) => tx.requestLog.append(batch)))
      .catch((error: unknown) => {
        this.putBack(batch);
        throw error;
      });
    this.writing = write;
    return write;
  }

  private putBack(batch: RequestLogEntry[]): void {
    const room = Math.max(0, this.maxQueued - this.queue.length);
    this.dropped += Math.max(0, batch.length - room);
    this.queue = [...batch.slice(0, room), ...this.queue];
    for (const entry of this.queue) if (entry.at < this.oldestAt) this.oldestAt = entry.at;
  }
}
