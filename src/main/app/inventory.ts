// The active connection's inventory for the window: the account tree and the first keys, so the
// first screen draws at once however large the inventory, then every key in one transfer.
// Embedded data is read live; a remote connection is read from its local cache, which `sync`
// refreshes from the platform.

import { setImmediate } from 'node:timers/promises';
import type { Keychain } from '../../keychain/keychain';
import type { Clock } from '../../shared/clock';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type { ConnectionInfo, InventoryHead, InventoryKeys } from '../../shared/ipc/window-data';
import { accountTree, allKeys } from '../../shared/platform-reads';
import type { AppStateRepo } from '../store/app-state-repo';
import { type Connections, describeConnectionFailure, readOnlyReason } from './connections';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Keys in the first answer: a screenful and then some, so the table draws without waiting. */
export const HEAD_SIZE = 200;

/** The embedded platform's every key in one read, and whether an earlier read is still true. */
export interface EmbeddedKeys {
  keyColumnsJson(): Promise<string>;
  revision(): Promise<string>;
}

export class Inventory {
  /** The last head asked for: every key is written after it has gone (the window asks for both at once). */
  private head: Promise<unknown> = Promise.resolve();
  /** Every embedded key read ahead (once, at start), with the revision it was read at. */
  private prepared: Promise<{ revision: string; columns: string } | null> | null = null;

  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
    private readonly keychain: Keychain,
    private readonly clock: Clock,
    private readonly emit: Emit,
    private readonly embedded: EmbeddedKeys,
  ) {}

  /**
   * Reads every key of the embedded platform ahead, while the window starts (it takes a few tenths
   * of a second at 100,000 keys, when main has nothing else to do): the window's first request for
   * them is then answered at once, if nothing changed in between.
   */
  prepareKeys(): Promise<void> {
    if (this.connections.activeInfo().kind !== 'embedded') return Promise.resolve();
    const reading = (async () => {
      const columns = await this.embedded.keyColumnsJson();
      return { revision: await this.embedded.revision(), columns };
    })();
    this.prepared = reading.catch(() => null); // the window then reads them itself
    return reading.then(() => {});
  }

  load(): Promise<InventoryHead> {
    const head = this.readHead();
    this.head = head.catch(() => {});
    return head;
  }

  private async readHead(): Promise<InventoryHead> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'embedded') return this.cachedHead(info, false, null);
    const { platform } = await this.connections.active();
    const me = await platform.me();
    const first = await platform.listKeys(me.id, { include_subaccounts: true, limit: HEAD_SIZE });
    return {
      connection: info,
      accounts: await accountTree(platform, me.id),
      keys: first.data,
      complete: first.next_cursor === null,
      keychain_key_ids: await this.keychainKeyIds(info.id),
      offline: false,
      offline_reason: null,
      synced_at: null,
      read_only_reason: null,
      environments: this.state.environments(info.id),
    };
  }

  /**
   * Every key at once, as columns in one JSON text: 100,000 keys reach the window in about half a
   * second, where pages of objects took five (a round trip and a serialized object per key).
   */
  async keys(): Promise<InventoryKeys> {
    // The head first: it draws the first screen, and writing every key holds this thread a while.
    await this.head;
    await setImmediate(); // lets the head's answer leave
    const info = this.connections.activeInfo();
    const columns = info.kind === 'embedded' ? await this.embeddedColumns() : this.state.cachedKeyColumns(info.id);
    return { connection_id: info.id, columns };
  }

  private async embeddedColumns(): Promise<string> {
    const prepared = await this.prepared;
    this.prepared = null; // used once: later loads read afresh
    if (prepared && prepared.revision === (await this.embedded.revision())) return prepared.columns;
    return this.embedded.keyColumnsJson();
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
    const keys = this.state.cachedKeys(info.id, 0, HEAD_SIZE + 1);
    return {
      connection: info,
      accounts: this.state.cachedAccounts(info.id),
      keys: keys.slice(0, HEAD_SIZE),
      complete: keys.length <= HEAD_SIZE,
      keychain_key_ids: await this.keychainKeyIds(info.id),
      offline,
      offline_reason: reason,
      synced_at: info.last_synced_at,
      read_only_reason: info.kind === 'imported' ? readOnlyReason(info) : null,
      environments: this.state.environments(info.id),
    };
  }
}
