import type { AgentRow, AgentsStore } from '../port';
import type { Db } from './database';

export class SqliteAgents implements AgentsStore {
  private readonly insertRow;
  private readonly forAccount;

  constructor(db: Db) {
    this.insertRow = db.prepare<[AgentRow]>(
      'INSERT INTO agents (id, account_id, name, description, created_at) VALUES (@id, @account_id, @name, @description, @created_at)',
    );
    this.forAccount = db.prepare<[string], AgentRow>(
      'SELECT * FROM agents WHERE account_id = ? ORDER BY created_at, id',
    );
  }

  async insert(row: AgentRow) {
    this.insertRow.run(row);
  }

  async list(accountId: string) {
    return this.forAccount.all(accountId);
  }
}
