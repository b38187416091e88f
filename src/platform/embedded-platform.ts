// The embedded platform: the engine in-process, acting as a local user with the root account.
import type { ListChangesInput } from '../shared/changes';
import type { Actor } from '../shared/domain';
import type { KeyPlatform } from '../shared/key-platform';
import type { KeyUse, ListRequestsInput } from '../shared/request-log';
import type { KeyEngine } from './engine';

export class EmbeddedPlatform implements KeyPlatform {
  constructor(
    private readonly engine: KeyEngine,
    private readonly actor: Actor,
    private readonly rootId: string,
  ) {}

  /** On the engine's root account, made first if the platform is new. */
  static async open(engine: KeyEngine, actor: Actor): Promise<EmbeddedPlatform> {
    return new EmbeddedPlatform(engine, actor, (await engine.ensureRootAccount()).id);
  }

  /** Every key as KeyColumns JSON: the app's window takes the whole inventory in one transfer. */
  keyColumnsJson(): Promise<string> {
    return this.engine.keyColumnsJson(this.rootId);
  }

  /** Moves whenever a key or an account may have changed (see PlatformStore.revision). */
  revision(): Promise<string> {
    return this.engine.revision();
  }

  async me() {
    return this.engine.getAccount(this.rootId);
  }
  platformId(): Promise<string | null> {
    return this.engine.platformId();
  }
  /** A key's public part, or null when the platform has no such key. */
  async partialKeyOf(keyId: string): Promise<string | null> {
    return (await this.engine.getKey(null, keyId).catch(() => null))?.partial_key ?? null;
  }
  async getAccount(accountId: string) {
    return this.engine.getAccount(accountId);
  }
  async listSubaccounts(accountId: string) {
    return this.engine.listSubaccounts(accountId);
  }
  async createSubaccount(parentId: string, input: unknown) {
    return this.engine.createSubaccount(parentId, input, this.actor);
  }
  async updateAccount(accountId: string, input: unknown) {
    return this.engine.updateAccount(accountId, input, { actor: this.actor });
  }
  async listKeys(accountId: string, query: unknown = {}) {
    return this.engine.listKeys(accountId, query);
  }
  async createKey(accountId: string, input: unknown) {
    return this.engine.createKey(accountId, input, this.actor);
  }
  async getKey(accountId: string, keyId: string) {
    return this.engine.getKey(accountId, keyId);
  }
  async updateKey(accountId: string, keyId: string, input: unknown) {
    return this.engine.updateKey(accountId, keyId, input, this.actor);
  }
  async revokeKey(accountId: string, keyId: string) {
    return this.engine.revokeKey(accountId, keyId, this.actor);
  }
  async reactivateKey(accountId: string, keyId: string) {
    return this.engine.reactivateKey(accountId, keyId, this.actor);
  }
  async deleteKey(accountId: string, keyId: string) {
    await this.engine.deleteKey(accountId, keyId, this.actor);
  }
  async keyUsage(accountId: string, keyId: string, days: number) {
    return this.engine.keyUsage(accountId, keyId, days);
  }
  async keyEvents(accountId: string, keyId: string) {
    return this.engine.keyEvents(accountId, keyId);
  }
  async listAgents(accountId: string) {
    return this.engine.listAgents(accountId);
  }
  async keyRequests(accountId: string, keyId: string, query: ListRequestsInput = {}) {
    return this.engine.keyRequests(accountId, keyId, query);
  }
  async keySources(accountId: string, keyId: string) {
    return this.engine.keySources(accountId, keyId);
  }
  async keyChanges(accountId: string, query: ListChangesInput = {}) {
    return this.engine.keyChanges(accountId, query);
  }
  async keyUse(accountId: string, since: string) {
    const all: KeyUse[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.engine.keyUse(accountId, { since, limit: 10_000, ...(cursor ? { cursor } : {}) });
      all.push(...page.data);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return all;
  }
  async keyActions(accountId: string, keyId: string) {
    return this.engine.keyActions(accountId, keyId);
  }
  async keyLastUse(accountId: string, keyId: string) {
    return this.engine.keyLastUse(accountId, keyId);
  }
  async createAgent(accountId: string, input: unknown) {
    return this.engine.createAgent(accountId, input, this.actor);
  }
}
