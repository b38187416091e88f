import type { DailyUsage } from '../../../shared/domain';
import type { UsageBatchEntry, UsageStore } from '../port';
import type { Db } from './database';

export class SqliteUsage implements UsageStore {
  private readonly touch;
  private readonly count;
  private readonly daily;

  constructor(db: Db) {
    // MAX(): last used never moves backwards, whatever order batches arrive in.
    this.touch = db.prepare<[number, string]>(
      'UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), ?) WHERE id = ?',
    );
    // A key deleted since the call was counted has nothing to count against.
    this.count = db.prepare<[string, string, number, number, string]>(
      `INSERT INTO key_usage_daily (key_id, day, count, rate_limited)
         SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM api_keys WHERE id = ?)
       ON CONFLICT (key_id, day) DO UPDATE SET count = count + excluded.count,
         rate_limited = rate_limited + excluded.rate_limited`,
    );
    this.daily = db.prepare<[string, string], DailyUsage>(
      'SELECT day, count, rate_limited FROM key_usage_daily WHERE key_id = ? AND day >= ? ORDER BY day',
    );
  }

  /** Call it in a transaction: the whole batch lands or none of it. */
  async write(batch: readonly UsageBatchEntry[]) {
    for (const entry of batch) {
      if (entry.count > 0) this.touch.run(entry.lastUsedAt, entry.keyId); // a 429 alone is no use
      this.count.run(entry.keyId, entry.day, entry.count, entry.limited, entry.keyId);
    }
  }

  async dailySince(keyId: string, firstDay: string) {
    return this.daily.all(keyId, firstDay);
  }
}
