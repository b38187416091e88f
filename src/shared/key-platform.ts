// What the app needs from a key platform. Two implementations: the engine in-process over a local
// SQLite file (the embedded default) and the HTTP client for a remote platform. The app never
// knows which one it talks to.
import type { KeyChanges, ListChangesInput } from './changes';
import type { Account, Agent, ApiKey, CreatedKey, DailyUsage, KeyEvent, KeyPage } from './domain';
import type { KeyAction, KeyUse, LastUse, ListRequestsInput, RequestPage, RequestSource } from './request-log';
import type {
  CreateAccountInput,
  CreateAgentInput,
  CreateKeyInput,
  ListKeysInput,
  UpdateAccountInput,
  UpdateKeyInput,
} from './schemas';

export interface KeyPlatform {
  /** The account this connection acts as: the root (embedded) or the API key's own account (remote). */
  me(): Promise<Account>;
  /**
   * The platform's identity, the same whichever way it is reached (a database by any path, a server
   * by any URL); null from a platform too old to say.
   */
  platformId(): Promise<string | null>;
  getAccount(accountId: string): Promise<Account>;
  listSubaccounts(accountId: string): Promise<Account[]>;
  createSubaccount(parentId: string, input: CreateAccountInput): Promise<Account>;
  updateAccount(accountId: string, input: UpdateAccountInput): Promise<Account>;

  listKeys(accountId: string, query?: ListKeysInput): Promise<KeyPage>;
  /** One page of the change feed of the account's tree: what a sync reads (see shared/changes.ts). */
  keyChanges(accountId: string, query?: ListChangesInput): Promise<KeyChanges>;
  createKey(accountId: string, input: CreateKeyInput): Promise<CreatedKey>;
  getKey(accountId: string, keyId: string): Promise<ApiKey>;
  updateKey(accountId: string, keyId: string, input: UpdateKeyInput): Promise<ApiKey>;
  revokeKey(accountId: string, keyId: string): Promise<ApiKey>;
  reactivateKey(accountId: string, keyId: string): Promise<ApiKey>;
  deleteKey(accountId: string, keyId: string): Promise<void>;
  keyUsage(accountId: string, keyId: string, days: number): Promise<DailyUsage[]>;
  keyEvents(accountId: string, keyId: string): Promise<KeyEvent[]>;
  /** The requests that presented the key, newest first (the embedded platform serves none over HTTP). */
  keyRequests(accountId: string, keyId: string, query?: ListRequestsInput): Promise<RequestPage>;
  keySources(accountId: string, keyId: string): Promise<RequestSource[]>;
  keyActions(accountId: string, keyId: string): Promise<KeyAction[]>;
  /**
   * The use of every key of the account and its subaccounts that has a logged source, with the
   * recent sources and refused attempts counted from `since` (ISO): the audit's activity rules.
   */
  keyUse(accountId: string, since: string): Promise<KeyUse[]>;
  /** The key's last served request: when, from where, which route (null when none is logged). */
  keyLastUse(accountId: string, keyId: string): Promise<LastUse | null>;

  listAgents(accountId: string): Promise<Agent[]>;
  createAgent(accountId: string, input: CreateAgentInput): Promise<Agent>;
}
