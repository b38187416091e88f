// The active connection's inventory for the window: the account tree and the keys, in pages so the
// first screen draws at once however large the inventory. Embedded data is read live; a remote
// connection is read from its local cache, which `sync` refreshes from the platform.

import type { Keychain } from '../../keychain/keychain';
import type { Clock } from '../../shared/clock';
import type { ApiKey } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type { ConnectionInfo, InventoryHead, InventoryPage } from '../../shared/ipc/window-data';
import { accountTree, allKeys, PAGE_SIZE } from '../../shared/platform-reads';
import type { AppStateRepo } from '../store/app-state-repo';
import { type Connections, describeConnectionFailure, readOnlyReason } from './connections';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Keys in the first answer: a screenful and then some, so the table draws without waiting. */
export const HEAD_SIZE = 200;
/**
 * Keys per page to the window after the head: several of the platform's pages (at most 1,000
 * each) in one answer, because each round trip to the window costs more than the keys in it
 * (100,000 keys in pages of 1,000 took about 5 s to arrive, most of it in round trips).
 */
export const WINDOW_PAGE_SIZE = 5 * PAGE_SIZE;
export class Inventory {
  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
    private readonly keychain: Keychain,
    private readonly clock: Clock,
    private readonly emit: Emit,
  ) {}

  async load(): Promise<InventoryHead> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'embedded') return this.cachedHead(info, false, null);
    const { platform } = await this.connections.active();
    const me = await platform.me();
    const first = await platform.listKeys(me.id, { include_subaccounts: true, limit: HEAD_SIZE });
    return {
      connection: info,
      accounts: await accountTree(platform, me.id),
      keys: first.data,
      next_cursor: first.next_cursor ? `live:${first.next_cursor}` : null,
      keychain_key_ids: await this.keychainKeyIds(info.id),
      offline: false,
      offline_reason: null,
      synced_at: null,
      read_only_reason: null,
      environments: this.state.environments(info.id),
    };
  }

  async page(cursor: string): Promise<InventoryPage> {
    const info = this.connections.activeInfo();
    const [source, rest = ''] = [cursor.slice(0, cursor.indexOf(':')), cursor.slice(cursor.indexOf(':') + 1)];
    if (source === 'live' && info.kind === 'embedded') {
      const { platform } = await this.connections.active();
      const me = await platform.me();
      const keys: ApiKey[] = [];
      let next: string | null = rest;
      while (next !== null && keys.length < WINDOW_PAGE_SIZE) {
        const page = await platform.listKeys(me.id, { include_subaccounts: true, limit: PAGE_SIZE, cursor: next });
        keys.push(...page.data);
        next = page.next_cursor;
      }
      return { keys, next_cursor: next ? `live:${next}` : null };
    }
    if (source === 'cache' && info.kind !== 'embedded' && /^\d+$/.test(rest)) {
      const offset = Number(rest);
      const keys = this.state.cachedKeys(info.id, offset, WINDOW_PAGE_SIZE);
      return { keys, next_cursor: keys.length === WINDOW_PAGE_SIZE ? `cache:${offset + WINDOW_PAGE_SIZE}` : null };
    }
    throw new AppError('invalid_request', 'cursor: does not belong to the active connection; load the inventory again');
  }

  /** Remote: everything from the platform into the cache. Unreachable: the cached copy, marked offline. */
  async sync(): Promise<InventoryHead> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'remote') return this.load();
    const { platform } = await this.connections.active();
    try {
      const me = await platform.me();
      const accounts = await accountTree(platform, me.id);
      const keys = await allKeys(platform, me.id, {}, (loaded, done) => {
        this.emit('inventory:progress', { connection_id: info.id, loaded: loaded.length, done });
      });
      this.state.replaceCache(info.id, accounts, keys, this.clock.now());
      return this.cachedHead(this.connections.info(info.id), false, null);
    } catch (error) {
      const failure = describeConnectionFailure(error);
      if (failure.code !== 'unavailable') throw failure;
      return this.cachedHead(info, true, failure.message);
    }
  }

  async keychainKeyIds(connectionId: string): Promise<string[]> {
    const prefix = `${connectionId}/`;
    try {
      return (await this.keychain.list())
        .filter((account) => account.startsWith(prefix))
        .map((account) => account.slice(prefix.length));
    } catch {
      return []; // no keychain: nothing is marked as stored, and the create step says why
    }
  }

  private async cachedHead(info: ConnectionInfo, offline: boolean, reason: string | null): Promise<InventoryHead> {
    const keys = this.state.cachedKeys(info.id, 0, HEAD_SIZE);
    return {
      connection: info,
      accounts: this.state.cachedAccounts(info.id),
      keys,
      next_cursor: keys.length === HEAD_SIZE ? `cache:${HEAD_SIZE}` : null,
      keychain_key_ids: await this.keychainKeyIds(info.id),
      offline,
      offline_reason: reason,
      synced_at: info.last_synced_at,
      read_only_reason: info.kind === 'imported' ? readOnlyReason(info) : null,
      environments: this.state.environments(info.id),
    };
  }
}
