import type { KeyEvent, KeyEventType } from '../../shared/domain';
import { partialKeyOf } from '../../shared/key-format';
import type { Db } from './database';

interface EventRow {
  id: number;
  key_id: string;
  account_id: string;
  public_id: string;
  key_label: string;
  type: KeyEventType;
  at: number;
  actor: string;
  changes: string | null;
}

export type NewEvent = Omit<EventRow, 'id' | 'changes'> & { changes: KeyEvent['changes'] };

const toEvent = (row: EventRow): KeyEvent => ({
  id: row.id,
  key_id: row.key_id,
  account_id: row.account_id,
  key_label: row.key_label,
  partial_key: partialKeyOf(row.public_id),
  type: row.type,
  at: new Date(row.at).toISOString(),
  actor: row.actor,
  changes: row.changes === null ? null : (JSON.parse(row.changes) as KeyEvent['changes']),
});

export class EventsRepo {
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

  add(event: NewEvent): void {
    this.insertRow.run({ ...event, changes: event.changes === null ? null : JSON.stringify(event.changes) });
  }

  listForKey(keyId: string): KeyEvent[] {
    return this.forKey.all(keyId).map(toEvent);
  }

  /** A deleted key's public id is never handed out again, so its history stays unambiguous. */
  everUsed(publicId: string): boolean {
    return this.publicIdUsed.get(publicId) !== undefined;
  }
}
