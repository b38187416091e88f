// Keyhold's inventory files: what Export writes and Import reads back, as JSON (everything,
// findings included) or CSV (a row per key). Never a secret: keys are metadata and partial keys.
import { z } from 'zod';
import {
  type AuditPolicy,
  type AuditResult,
  ENVIRONMENTS,
  type Environment,
  environmentOf,
  SEVERITIES,
  type Severity,
} from '../audit';
import type { Account, ApiKey } from '../domain';
import { KEY_STATUSES } from '../domain';
import type { KeyUse } from '../request-log';
import { describeIssues } from '../validation';

/** The first three problems: a file with a thousand bad rows needs a message a person can read. */
const fewIssues = (error: z.ZodError) => {
  const issues = describeIssues(error).split('; ');
  return issues.length > 3 ? `${issues.slice(0, 3).join('; ')}; and ${issues.length - 3} more` : issues.join('; ');
};

import { PARTIAL_KEY_PATTERN } from '../key-format';
import { parseCsv, toCsv } from './csv';

export const INVENTORY_FORMAT = 'keyhold-inventory';

/** An inventory as it stands at one moment, wherever it came from. */
export interface InventorySnapshot {
  source: { name: string; kind: 'embedded' | 'remote' | 'imported'; base_url: string | null; synced_at: string | null };
  exported_at: string;
  accounts: Account[];
  keys: ApiKey[];
  environments: Record<string, Environment>;
  /** What the request log said of the keys' use, counted from `key_use_since` (absent: not known). */
  key_use_since?: string | null;
  key_use?: KeyUse[];
  /** Where the platform's change feed left off for this inventory (`keyhold sync`): its next sync reads only what changed after. */
  sync_token?: string | null;
}

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time with a time zone' });
const id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters');
const accountSchema = z.object({
  id,
  name: z.string().max(200),
  parent_id: id.nullable(),
  status: z.enum(['active', 'inactive']),
  created_at: instant,
  updated_at: instant,
});
const keySchema = z.object({
  id,
  account_id: id,
  label: z.string().max(200),
  partial_key: z.string().regex(PARTIAL_KEY_PATTERN, 'must read sk- and 8 lower-case hex digits'),
  status: z.enum(KEY_STATUSES),
  created_at: instant,
  updated_at: instant,
  last_used_at: instant.nullable(),
  expires_at: instant.nullable(),
  revoked_at: instant.nullable(),
  // Files written before scheduled deletions have none.
  deletes_at: instant.nullable().default(null),
});
const jsonFileSchema = z.object({
  format: z.literal(INVENTORY_FORMAT, `must be "${INVENTORY_FORMAT}"`),
  version: z.literal(1, 'must be 1: this file comes from a newer Keyhold'),
  exported_at: instant,
  source: z.object({
    name: z.string().max(200),
    kind: z.enum(['embedded', 'remote', 'imported']),
    base_url: z.string().nullable(),
    synced_at: instant.nullable(),
  }),
  accounts: z.array(accountSchema).max(100_000),
  keys: z.array(keySchema).max(1_000_000),
  environments: z.record(z.string(), z.enum(ENVIRONMENTS)).default({}),
  key_use_since: instant.nullable().default(null),
  key_use: z
    .array(
      z.object({
        key_id: id,
        first_source_at: instant,
        newest_source_at: instant,
        recent_sources: z.number().int().min(0),
        refused_attempts: z.number().int().min(0),
      }),
    )
    .max(1_000_000)
    .default([]),
  sync_token: z.string().max(200).nullable().default(null),
});

export function toJsonExport(snapshot: InventorySnapshot, policy: AuditPolicy, result: AuditResult): string {
  const findings = result.toArray();
  return JSON.stringify(
    {
      format: INVENTORY_FORMAT,
      version: 1,
      ...snapshot,
      policy,
      summary: result.summary(),
      findings,
    },
    null,
    2,
  );
}

export const CSV_COLUMNS = [
  'key_id',
  'partial_key',
  'label',
  'status',
  'account_id',
  'account_name',
  'account_parent_id',
  'environment',
  'created_at',
  'updated_at',
  'last_used_at',
  'expires_at',
  'revoked_at',
  'deletes_at',
  'worst_severity',
  'findings',
] as const;

export function toCsvExport(snapshot: InventorySnapshot, result: AuditResult): string {
  const accounts = new Map(snapshot.accounts.map((account) => [account.id, account]));
  // Per key position: the rules that found something, and the worst severity among them.
  const rules = new Map<number, string[]>();
  const worst = new Map<number, Severity>();
  for (let i = 0; i < result.length; i++) {
    const at = result.keyIndex(i);
    if (at < 0) continue;
    rules.set(at, [...(rules.get(at) ?? []), result.rule(i)]);
    const severity = result.severity(i);
    const before = worst.get(at);
    if (!before || SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(before)) worst.set(at, severity);
  }
  const rows = snapshot.keys.map((key, i) => {
    const account = accounts.get(key.account_id);
    return [
      key.id,
      key.partial_key,
      key.label,
      key.status,
      key.account_id,
      account?.name ?? '',
      account?.parent_id ?? '',
      snapshot.environments[key.id] ?? environmentOf(key, undefined) ?? '',
      key.created_at,
      key.updated_at,
      key.last_used_at ?? '',
      key.expires_at ?? '',
      key.revoked_at ?? '',
      key.deletes_at ?? '',
      worst.get(i) ?? '',
      (rules.get(i) ?? []).join(' '),
    ];
  });
  return toCsv(CSV_COLUMNS, rows);
}

export class InventoryFileError extends Error {}

/** Rows read so far of all the rows, for a progress bar. */
export type ParseProgress = (done: number, total: number) => void;

/** Reads an exported inventory (JSON or CSV); errors name the file, and the line or field at fault. */

export function parseInventoryFile(fileName: string, raw: string, onProgress?: ParseProgress): InventorySnapshot {
  const fail = (where: string) => new InventoryFileError(`${fileName}: ${where}`);
  // A byte-order mark is UTF-8's own signature (spreadsheets write one): it is not content.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  // Bytes that are not UTF-8 arrive as U+FFFD: the file is in another encoding (Latin-1, UTF-16...)
  // and its labels would be silently wrong.
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    const line = text.slice(0, bad).split('\n').length;
    throw fail(`line ${line} is not UTF-8 text; save the file as UTF-8 and open it again`);
  }
  if (text.trimStart().startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const parsed = jsonFileSchema.safeParse(data);
    if (!parsed.success) throw fail(fewIssues(parsed.error));
    const { source, exported_at, accounts, keys, environments, key_use_since, key_use, sync_token } = parsed.data;
    const use = key_use_since === null ? {} : { key_use_since, key_use };
    const token = sync_token === null ? {} : { sync_token };
    return withAccountsOfKeys({ source, exported_at, accounts, keys, environments, ...use, ...token });
  }
  return parseCsvInventory(fileName, text, fail, onProgress);
}

function parseCsvInventory(
  fileName: string,
  text: string,
  fail: (where: string) => Error,
  onProgress?: ParseProgress,
): InventorySnapshot {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  const [header, ...rows] = records;
  const missing = CSV_COLUMNS.filter(
    (column) => !header?.includes(column) && !['deletes_at', 'worst_severity', 'findings'].includes(column),
  );
  if (!header || missing.length > 0) throw fail(`not a Keyhold CSV export (missing columns: ${missing.join(', ')})`);
  const column = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[header.indexOf(name)] ?? '';
  const orNull = (value: string) => (value === '' ? null : value);
  const accounts = new Map<string, Account>();
  const keys: ApiKey[] = [];
  const environments: Record<string, Environment> = {};
  for (const [n, row] of rows.entries()) {
    if (n % 5000 === 0) onProgress?.(n, rows.length);
    const line = n + 2;
    const candidate = {
      id: column(row, 'key_id'),
      account_id: column(row, 'account_id'),
      label: column(row, 'label'),
      partial_key: column(row, 'partial_key'),
      status: column(row, 'status'),
      created_at: column(row, 'created_at'),
      updated_at: column(row, 'updated_at'),
      last_used_at: orNull(column(row, 'last_used_at')),
      expires_at: orNull(column(row, 'expires_at')),
      revoked_at: orNull(column(row, 'revoked_at')),
      deletes_at: header.includes('deletes_at') ? orNull(column(row, 'deletes_at')) : null,
    };
    const parsed = keySchema.safeParse(candidate);
    if (!parsed.success) throw fail(`line ${line}, ${fewIssues(parsed.error)}`);
    keys.push(parsed.data);
    const environment = column(row, 'environment');
    if (environment !== '') {
      if (!(ENVIRONMENTS as readonly string[]).includes(environment))
        throw fail(`line ${line}, environment: must be one of ${ENVIRONMENTS.join(', ')}`);
      // Only a choice made by hand is kept; one read from the label is read again on import.
      if (environment !== environmentOf(parsed.data, undefined))
        environments[parsed.data.id] = environment as Environment;
    }
    if (!accounts.has(parsed.data.account_id)) {
      accounts.set(parsed.data.account_id, {
        id: parsed.data.account_id,
        name: column(row, 'account_name') || parsed.data.account_id,
        parent_id: orNull(column(row, 'account_parent_id')),
        status: 'active',
        created_at: parsed.data.created_at,
        updated_at: parsed.data.created_at,
      });
    }
  }
  // A CSV does not say when it was written: the latest change it holds is the closest thing.
  const exportedAt = keys
    .map((key) => key.updated_at)
    .sort()
    .at(-1);
  return withAccountsOfKeys({
    source: { name: fileName, kind: 'imported', base_url: null, synced_at: null },
    exported_at: exportedAt || new Date(0).toISOString(),
    accounts: parentsFirst([...accounts.values()]),
    keys,
    environments,
  });
}

/** Every account a key names exists, so the tree and the audit never meet a dangling id. */
function withAccountsOfKeys(snapshot: InventorySnapshot): InventorySnapshot {
  const known = new Set(snapshot.accounts.map((account) => account.id));
  const accounts = [...snapshot.accounts];
  for (const key of snapshot.keys) {
    if (known.has(key.account_id)) continue;
    known.add(key.account_id);
    accounts.push({
      id: key.account_id,
      name: key.account_id,
      parent_id: null,
      status: 'active',
      created_at: key.created_at,
      updated_at: key.created_at,
    });
  }
  for (const account of accounts)
    if (account.parent_id !== null && !known.has(account.parent_id)) account.parent_id = null;
  return { ...snapshot, accounts: parentsFirst(accounts) };
}

/**
 * Accounts ordered so a parent always comes before its subaccounts, as the account tree expects.
 * Linear: children are grouped in one pass and the tree is walked with an index, not shift().
 */
function parentsFirst(accounts: Account[]): Account[] {
  const children = new Map<string | null, Account[]>();
  for (const account of accounts) {
    const siblings = children.get(account.parent_id);
    if (siblings) siblings.push(account);
    else children.set(account.parent_id, [account]);
  }
  const ordered: Account[] = [...(children.get(null) ?? [])];
  for (let i = 0; i < ordered.length; i++) {
    for (const child of children.get((ordered[i] as Account).id) ?? []) ordered.push(child);
  }
  return ordered.length === accounts.length ? ordered : accounts; // a cycle: keep the file's order
}
