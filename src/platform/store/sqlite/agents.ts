import type { AgentRow, AgentsStore, PageAfter } from '../port';
import type { Db } from './database';

export class SqliteAgents implements AgentsStore {
  private readonly insertRow;
  private readonly forAccount;

  constructor(db: Db) {
    this.insertRow = db.prepare<[AgentRow]>(
      'INSERT INTO agents (id, account_id, name, description, created_at) VALUES (@id, @account_id, @name, @description, @created_at)',
    );
    this.forAccount = db.prepare<[{ accountId: string; at: number; id: string; limit: number }], AgentRow>(
      `SELECT * FROM agents WHERE account_id = @accountId AND (created_at, id) > (@at, @id)
       ORDER BY created_at, id LIMIT @limit`,
    );
  }

  async insert(row: AgentRow) {
    this.insertRow.run(row);
  }

  async list(accountId: string, page?: PageAfter<{ created_at: number; id: string }>) {
    const after = page?.after ?? { created_at: -1, id: '' };
    return this.forAccount.all({ accountId, at: after.created_at, id: after.id, limit: page?.limit ?? -1 });
  }
}
