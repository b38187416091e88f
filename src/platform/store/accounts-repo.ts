import type { Account, AccountStatus } from '../../shared/domain';
import type { Db } from './database';

export interface AccountRow {
  id: string;
  parent_id: string | null;
  name: string;
  status: AccountStatus;
  created_at: number;
  updated_at: number;
}

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  parent_id: row.parent_id,
  status: row.status,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

export class AccountsRepo {
  private readonly byId;
  private readonly all;
  private readonly children;
  private readonly insertRow;
  private readonly updateRow;
  private readonly subtree;

  constructor(db: Db) {
    this.byId = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?');
    this.all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY created_at, id');
    this.children = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE parent_id = ? ORDER BY name, id');
    this.insertRow = db.prepare<[AccountRow]>(
      'INSERT INTO accounts (id, parent_id, name, status, created_at, updated_at) VALUES (@id, @parent_id, @name, @status, @created_at, @updated_at)',
    );
    this.updateRow = db.prepare<[{ id: string; name: string; status: AccountStatus; updated_at: number }]>(
      'UPDATE accounts SET name = @name, status = @status, updated_at = @updated_at WHERE id = @id',
    );
    this.subtree = db.prepare<[string], AccountRow>(`
      WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT a.id FROM accounts a JOIN tree t ON a.parent_id = t.id)
      SELECT accounts.* FROM accounts JOIN tree USING (id)`);
  }

  get(id: string): AccountRow | undefined {
    return this.byId.get(id);
  }

  list(): AccountRow[] {
    return this.all.all();
  }

  childrenOf(id: string): AccountRow[] {
    return this.children.all(id);
  }

  /** The account and all its descendants, depth first: each parent before its children, siblings by name. */
  subtreeOf(id: string): AccountRow[] {
    const rows = this.subtree.all(id);
    const children = new Map<string | null, AccountRow[]>();
    for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
    const ordered: AccountRow[] = [];
    const visit = (row: AccountRow) => {
      ordered.push(row);
      const kids = (children.get(row.id) ?? []).sort(
        (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
      );
      for (const kid of kids) visit(kid);
    };
    const root = rows.find((row) => row.id === id);
    if (root) visit(root);
    return ordered;
  }

  insert(row: AccountRow): void {
    this.insertRow.run(row);
  }

  update(row: AccountRow): void {
    this.updateRow.run(row);
  }
}
