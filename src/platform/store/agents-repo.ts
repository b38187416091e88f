import type { Agent } from '../../shared/domain';
import type { Db } from './database';

interface AgentRow {
  id: string;
  account_id: string;
  name: string;
  description: string | null;
  created_at: number;
}

const toAgent = (row: AgentRow): Agent => ({ ...row, created_at: new Date(row.created_at).toISOString() });

export class AgentsRepo {
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

  insert(row: AgentRow): Agent {
    this.insertRow.run(row);
    return toAgent(row);
  }

  list(accountId: string): Agent[] {
    return this.forAccount.all(accountId).map(toAgent);
  }
}
