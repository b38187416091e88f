// A remote platform behind the same interface as the embedded engine.

import type { ListChangesInput } from '../shared/changes';
import type { CreatedKey } from '../shared/domain';
import type { KeyPlatform } from '../shared/key-platform';
import type { KeyUse, ListRequestsInput } from '../shared/request-log';
import type {
  CreateAccountInput,
  CreateAgentInput,
  CreateKeyInput,
  ListKeysInput,
  UpdateAccountInput,
  UpdateKeyInput,
} from '../shared/schemas';
import type { KeyholdClient } from './client';

export class RemotePlatform implements KeyPlatform {
  constructor(private readonly client: KeyholdClient) {}

  me() {
    return this.client.accounts.get('me');
  }
  async platformId(): Promise<string | null> {
    try {
      return (await this.client.platform()).id;
    } catch (error) {
      // A platform from before GET /v1/platform: it cannot say.
      if ((error as { status?: number }).status === 404) return null;
      throw error;
    }
  }
  getAccount(accountId: string) {
    return this.client.accounts.get(accountId);
  }
  listSubaccounts(accountId: string) {
    return this.client.accounts.subaccounts(accountId);
  }
  createSubaccount(parentId: string, input: CreateAccountInput) {
    return this.client.accounts.createSubaccount(parentId, input);
  }
  updateAccount(accountId: string, input: UpdateAccountInput) {
    return this.client.accounts.update(accountId, input);
  }
  listKeys(accountId: string, query: ListKeysInput = {}) {
    return this.client.apiKeys.list(accountId, query);
  }
  async createKey(accountId: string, input: CreateKeyInput): Promise<CreatedKey> {
    const { secret, ...key } = await this.client.apiKeys.create(accountId, input);
    return { key, secret };
  }
  getKey(accountId: string, keyId: string) {
    return this.client.apiKeys.get(accountId, keyId);
  }
  updateKey(accountId: string, keyId: string, input: UpdateKeyInput) {
    return this.client.apiKeys.update(accountId, keyId, input);
  }
  revokeKey(accountId: string, keyId: string) {
    return this.client.apiKeys.revoke(accountId, keyId);
  }
  reactivateKey(accountId: string, keyId: string) {
    return this.client.apiKeys.reactivate(accountId, keyId);
  }
  deleteKey(accountId: string, keyId: string) {
    return this.client.apiKeys.delete(accountId, keyId);
  }
  keyUsage(accountId: string, keyId: string, days: number) {
    return this.client.apiKeys.usage(accountId, keyId, days);
  }
  keyEvents(accountId: string, keyId: string) {
    return this.client.apiKeys.events(accountId, keyId);
  }
  keyRequests(accountId: string, keyId: string, query: ListRequestsInput = {}) {
    return this.client.apiKeys.requests(accountId, keyId, query);
  }
  keySources(accountId: string, keyId: string) {
    return this.client.apiKeys.sources(accountId, keyId);
  }
  keyActions(accountId: string, keyId: string) {
    return this.client.apiKeys.actions(accountId, keyId);
  }
  keyChanges(accountId: string, query: ListChangesInput = {}) {
    return this.client.accounts.changes(accountId, query);
  }
  async keyUse(accountId: string, since: string) {
    const all: KeyUse[] = [];
    for await (const use of this.client.accounts.iterateKeyUse(accountId, { since, limit: 10_000 })) all.push(use);
    return all;
  }
  async keyLastUse(accountId: string, keyId: string) {
    return (await this.client.apiKeys.get(accountId, keyId)).last_use;
  }
  listAgents(accountId: string) {
    return this.client.agents.list(accountId);
  }
  createAgent(accountId: string, input: CreateAgentInput) {
    return this.client.agents.create(accountId, input);
  }
}
