// What the app's window deals in: connections, the inventory of the active one, key actions.
import type { Page } from '../app-info';
import type { AuditPolicy, Environment, RuleId } from '../audit';
import type { Account, ApiKey, DailyUsage, KeyEvent, KeyStatus } from '../domain';
import type { KeyAction, KeyUse, LastUse, RequestRecord, RequestSource } from '../request-log';

export const EMBEDDED_CONNECTION_ID = 'embedded';

export type TableColumn = 'label' | 'partial_key' | 'status' | 'account' | 'created_at' | 'last_used_at' | 'expires_at';

/** Columns the admin may hide: never the label, the flags or the actions (they are pinned). */
export const HIDEABLE_COLUMNS = [
  'partial_key',
  'status',
  'account',
  'created_at',
  'last_used_at',
  'expires_at',
] as const;
export type HideableColumn = (typeof HIDEABLE_COLUMNS)[number];
/** Columns the admin may resize (in pixels); the flags and the actions keep their width. */
export const RESIZABLE_COLUMNS = ['label', ...HIDEABLE_COLUMNS] as const;
export type ResizableColumn = (typeof RESIZABLE_COLUMNS)[number];
export const COLUMN_WIDTH_LIMITS = { min: 60, max: 800 } as const;

/** The key table's columns as the admin left them, per connection. */
export interface ColumnLayout {
  hidden: HideableColumn[];
  widths: Partial<Record<ResizableColumn, number>>;
}

/** What a connection remembers of the screen it was left on. */
export interface SavedView {
  page: Page;
  account_id: string | null;
  include_subaccounts: boolean;
  status: KeyStatus | null;
  /** An audit rule: the table's flags come from the audit engine. */
  flag: RuleId | null;
  search: string;
  sort: { column: TableColumn; direction: 'asc' | 'desc' };
  /** Absent in views saved before columns could change. */
  columns?: ColumnLayout;
}

export interface ConnectionInfo {
  id: string;
  kind: 'embedded' | 'remote' | 'imported';
  name: string;
  base_url: string | null;
  /** The account the connection acts as (remote: its API key's account). */
  account_id: string | null;
  last_synced_at: string | null;
  last_view: SavedView | null;
  /** Imported: the file it came from and when it was exported. */
  source: string | null;
}

export interface ConnectionList {
  connections: ConnectionInfo[];
  active_id: string;
}

/** The first slice of an inventory: enough to draw the screen; `inventory:keys` brings every key. */
export interface InventoryHead {
  connection: ConnectionInfo;
  accounts: Account[];
  keys: ApiKey[];
  /** `keys` is every key of the inventory: nothing more to load. */
  complete: boolean;
  /** Keys whose secret this app keeps in the OS keychain. */
  keychain_key_ids: string[];
  /** True when this is a remote connection's cached copy and the platform could not be reached. */
  offline: boolean;
  offline_reason: string | null;
  /** When the data was fetched from the platform (null: live embedded data). */
  synced_at: string | null;
  /** Why keys cannot be changed here (an imported file), or null. */
  read_only_reason: string | null;
  /** Environments set by hand, by key id (the audit reads the others from labels). */
  environments: Record<string, Environment>;
  /**
   * The connection's saved view filters or sorts and `keys` are not every key: main worked the view
   * out over every key, and `keys` are its first rows, in order. Null: `keys` are the inventory's first.
   */
  view: ViewHead | null;
}

/** A saved view's answer from main, while the window does not have every key yet. */
export interface ViewHead {
  /** Keys the view shows, of `total`. */
  matches: number;
  total: number;
  /** The audit's rules per key of the head's keys, when the view filters on a flag (null otherwise). */
  rule_bits: number[] | null;
}

/** What the request log says of the active connection's keys, for the audit's activity rules. */
export interface InventoryKeyUse {
  connection_id: string;
  /** The start of the window its counts cover (null: no use known, e.g. an imported file). */
  since: string | null;
  use: KeyUse[];
  /** Why there is none, in words (an older platform, never synced), or null. */
  missing_reason: string | null;
}

/** Every key of the active connection in one transfer. */
export interface InventoryKeys {
  connection_id: string;
  /** The JSON text of KeyColumns (shared/key-columns.ts). */
  columns: string;
}

export type KeychainOutcome = { stored: true; account: string } | { stored: false; reason: string };

export interface CreateKeyResult {
  key: ApiKey;
  keychain: KeychainOutcome;
  /** Only when the keychain could not take it: the one and only time it is shown. */
  secret: string | null;
}

export interface KeyDetails {
  key: ApiKey;
  events: KeyEvent[];
  usage: DailyUsage[];
  /** The last served request, from the platform's request log (null: none logged). */
  last_use: LastUse | null;
}

export interface SyncProgress {
  connection_id: string;
  /** Keys and deletions read so far, and how many the sync holds (null until the platform says). */
  loaded: number;
  total: number | null;
  /** A full sync's page as it lands, KeyColumns as JSON text, and its deletions, for the window to show at once. */
  keys: string | null;
  removed: string[];
}

/** What a sync did, for the window: the connection as it is now, and the keys that changed. */
export interface InventorySync {
  connection: ConnectionInfo;
  accounts: Account[];
  keychain_key_ids: string[];
  offline: boolean;
  offline_reason: string | null;
  synced_at: string | null;
  /**
   * The keys the sync brought (created or changed) and those it found deleted. Null: it read every
   * key again (a first sync, an old token, an embedded platform): the window loads every key.
   */
  changes: { keys: ApiKey[]; removed: string[] } | null;
  /** Keys the connection holds now: a window fed every page of a full sync that counts as many need not load them again. */
  key_count: number;
}

export interface PolicyState {
  policy: AuditPolicy;
  is_default: boolean;
}

/** The compromised-key playbook's review step: everything the platform can say of the key's use. */
export interface IncidentReview {
  usage: DailyUsage[];
  events: KeyEvent[];
  sources: RequestSource[];
  /** The requests refused because the key was revoked: how many (up to 1,000, `more` beyond), the newest. */
  after_revoke: { count: number; more: boolean; last: RequestRecord | null };
  actions: KeyAction[];
}
