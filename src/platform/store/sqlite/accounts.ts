import type { AccountStatus } from '../../../shared/domain';
import type { AccountRow, AccountsStore, PageAfter } from '../port';
import type { Db } from './database';

export class SqliteAccounts implements AccountsStore {
  private readonly byId;
  private readonly all;
  private readonly children;
  private readonly insertRow;
  private readonly updateRow;
  private readonly subtreeRows;

  constructor(db: Db) {
    this.byId = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?');
    this.all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY created_at, id');
    // Names are never empty, so ('', '') comes before every child: the first page.
    this.children = db.prepare<[{ id: string; name: string; afterId: string; limit: number }], AccountRow>(
      `SELECT * FROM accounts WHERE parent_id = @id AND (name, id) > (@name, @afterId)
       ORDER BY name, id LIMIT @limit`,
    );
    this.insertRow = db.prepare<[AccountRow]>(
      'INSERT INTO accounts (id, parent_id, name, status, created_at, updated_at) VALUES (@id, @parent_id, @name, @status, @created_at, @updated_at)',
    );
    this.updateRow = db.prepare<[{ id: string; name: string; status: AccountStatus; updated_at: number }]>(
      'UPDATE accounts SET name = @name, status = @status, updated_at = @updated_at WHERE id = @id',
    );
    this.subtreeRows = db.prepare<[string], AccountRow>(`
      WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id)
      SELECT accounts.* FROM accounts JOIN tree USING (id)`);
  }

  async get(id: string) {
    return this.byId.get(id);
  }

  async list() {
    return this.all.all();
  }

  async childrenOf(id: string, page?: PageAfter<{ name: string; id: string }>) {
    const after = page?.after ?? { name: '', id: '' };
    return this.children.all({ id, name: after.name, afterId: after.id, limit: page?.limit ?? -1 });
  }

  async subtree(id: string) {
    return this.subtreeRows.all(id);
  }

  async insert(row: AccountRow) {
    this.insertRow.run(row);
  }

  async update(row: AccountRow) {
    this.updateRow.run(row);
  }
}
