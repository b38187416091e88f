import type { KeyEvent } from '../../../shared/domain';
import type { ActionRow, EventRow, EventsStore, NewEvent, PageAfter } from '../port';
import { toEvent } from '../rows';
import type { Db } from './database';

export class SqliteEvents implements EventsStore {
  private readonly insertRow;
  private readonly forKey;
  private readonly publicIdUsed;
  private readonly byActor;
  private readonly insertAction;
  private readonly actionsOf;

  constructor(db: Db) {
    this.insertRow = db.prepare(
      `INSERT INTO key_events (key_id, account_id, public_id, key_label, type, at, actor, changes)
       VALUES (@key_id, @account_id, @public_id, @key_label, @type, @at, @actor, @changes)`,
    );
    this.forKey = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM key_events WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?',
    );
    this.publicIdUsed = db.prepare<[string], number>('SELECT 1 FROM key_events WHERE public_id = ? LIMIT 1').pluck();
    this.byActor = db.prepare<[string, number], EventRow>(
      'SELECT * FROM key_events WHERE actor = ? ORDER BY id DESC LIMIT ?',
    );
    this.insertAction = db.prepare<[ActionRow]>(
      `INSERT INTO account_actions (at, actor, subject, subject_id, account_id, action, name)
       VALUES (@at, @actor, @subject, @subject_id, @account_id, @action, @name)`,
    );
    this.actionsOf = db.prepare<[string, number], ActionRow>(
      `SELECT at, actor, subject, subject_id, account_id, action, name FROM account_actions
        WHERE actor = ? ORDER BY id DESC LIMIT ?`,
    );
  }

  async listByActor(actor: string, limit: number): Promise<KeyEvent[]> {
    return this.byActor.all(actor, limit).map(toEvent);
  }

  async addAction(action: ActionRow) {
    this.insertAction.run(action);
  }

  async actionsByActor(actor: string, limit: number) {
    return this.actionsOf.all(actor, limit);
  }

  async add(event: NewEvent) {
    this.insertRow.run({ ...event, changes: event.changes === null ? null : JSON.stringify(event.changes) });
  }

  async listForKey(keyId: string, page?: PageAfter<number>): Promise<KeyEvent[]> {
    return this.forKey.all(keyId, page?.after ?? 0, page?.limit ?? -1).map(toEvent);
  }

  async everUsed(publicId: string) {
    return this.publicIdUsed.get(publicId) !== undefined;
  }
}
