// Stored rows as the API shows them: times as ISO-8601 text.
import type { Account, Agent, KeyEvent } from '../../shared/domain';
import { partialKeyOf } from '../../shared/key-format';
import type { AccountRow, AgentRow, EventRow } from './port';

export const toAccount = (row: AccountRow): Account => ({
  id: row.id,
  name: row.name,
  parent_id: row.parent_id,
  status: row.status,
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
});

export const toAgent = (row: AgentRow): Agent => ({ ...row, created_at: new Date(row.created_at).toISOString() });

export const toEvent = (row: EventRow): KeyEvent => ({
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
