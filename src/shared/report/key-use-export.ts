// The compromised-key review's data as files for another tool: its requests as CSV (one row each,
// formula-safe), and everything (sources, requests, actions) as JSON with no raw hidden character.
import type { KeyAction, RequestRecord, RequestSource } from '../request-log';
import { toSafeJson } from '../text-rules';
import { toCsv } from './csv';

export interface KeyUseExport {
  partial_key: string;
  exposed_at: string | null;
  sources: RequestSource[];
  requests: RequestRecord[];
  actions: KeyAction[];
}

const COLUMNS = [
  'at',
  'method',
  'route',
  'status',
  'outcome',
  'account_id',
  'address',
  'user_agent',
  'request_id',
] as const;

export function keyUseCsv(requests: readonly RequestRecord[]): string {
  return toCsv(
    COLUMNS,
    requests.map((r) => COLUMNS.map((column) => String(r[column] ?? ''))),
  );
}

export const keyUseJson = (review: KeyUseExport): string => `${toSafeJson(review, 2)}\n`;
