import type { KeyEvent } from '../../../shared/domain';
import type { EventRow, EventsStore, NewEvent } from '../port';
import { toEvent } from '../rows';
import type { Db } from './database';

export class SqliteEvents implements EventsStore {
  private readonly insertRow;
  private readonly forKey;
  private readonly publicIdUsed;

  constructor(db: Db) {
    this.insertRow = db.prepare(
      `INSERT INTO key_events (key_id, account_id, public_id, key_label, type, at, actor, changes)
       VALUES (@key_id, @account_id, @public_id, @key_label, @type, @at, @actor, @changes)`,
    );
    this.forKey = db.prepare<[string], EventRow>('SELECT * FROM key_events WHERE key_id = ? ORDER BY id');
    this.publicIdUsed = db.prepare<[string], number>('SELECT 1 FROM key_events WHERE public_id = ? LIMIT 1').pluck();
  }

  async add(event: NewEvent) {
    this.insertRow.run({ ...event, changes: event.changes === null ? null : JSON.stringify(event.changes) });
  }

  async listForKey(keyId: string): Promise<KeyEvent[]> {
    return this.forKey.all(keyId).map(toEvent);
  }

  async everUsed(publicId: string) {
    return this.publicIdUsed.get(publicId) !== undefined;
  }
}
