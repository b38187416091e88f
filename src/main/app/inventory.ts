// The active connection's inventory for the window: the account tree and the first keys, so the
// first screen draws at once however large the inventory, then every key in one transfer.
// Embedded data is read live; a remote connection is read from its local cache, which `sync`
// refreshes from the platform.

import { setImmediate } from 'node:timers/promises';
import { adoptLegacyEntries } from '../../keychain/key-entries';
import type { Keychain } from '../../keychain/keychain';
import type { AuditPolicy } from '../../shared/audit';
import type { Clock } from '../../shared/clock';
import type { Account } from '../../shared/domain';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import type {
  ConnectionInfo,
  InventoryHead,
  InventoryKeys,
  InventorySync,
  SavedView,
} from '../../shared/ipc/window-data';
import { needsEveryKey } from '../../shared/key-view';
import { accountTree } from '../../shared/platform-reads';
import type { AppStateRepo } from '../store/app-state-repo';
import type { SyncCache } from '../store/sync-cache';
import { type Connections, describeConnectionFailure, readOnlyReason } from './connections';
import { syncRemote } from './remote-sync';
import type { ViewHeadAnswer, ViewHeadOf } from './view-head';

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Keys in the first answer: a screenful and then some, so the table draws without waiting. */
export const HEAD_SIZE = 200;

/** The embedded platform's every key in one read, and whether an earlier read is still true. */
export interface EmbeddedKeys {
  keyColumnsJson(): Promise<string>;
  revision(): Promise<string>;
  /** A key's public part, or null when the platform has no such key. */
  partialKeyOf(keyId: string): Promise<string | null>;
}

/** What answering a saved view here takes: the audit's policy (for a view on a flag), and where it runs. */
export interface SavedViews {
  policy(): AuditPolicy;
  headOf: ViewHeadOf;
  log(message: string): void;
}

/** Every key of a connection as KeyColumns JSON, with the revision of the data it was read at. */
interface ColumnsRead {
  connectionId: string;
  revision: string;
  columns: string;
}

/** A saved view's answer asked for at start, and what it is worked out from. */
interface ViewAhead {
  /** The view, policy and environments it answers. */
  asked: string;
  read: Promise<ColumnsRead>;
  answer: Promise<ViewHeadAnswer>;
}

export class Inventory {
  /** The last head asked for: every key is written after it has gone (the window asks for both at once). */
  private head: Promise<unknown> = Promise.resolve();
  /** Every key read ahead (at start) or for the last head: the next ask takes it if it is still true. */
  private lastRead: Promise<ColumnsRead | null> | null = null;
  /** The saved view answered ahead (at start): the first head takes it if nothing changed. */
  private viewAhead: ViewAhead | null = null;

  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
    private readonly keychain: Keychain,
    private readonly clock: Clock,
    private readonly emit: Emit,
    private readonly embedded: EmbeddedKeys,
    private readonly views: SavedViews,
    private readonly syncCache: SyncCache,
  ) {}

  /**
   * Reads every key of the embedded platform ahead, while the window starts (it takes a few tenths
   * of a second at 100,000 keys, when main has nothing else to do): the window's first request for
   * them is then answered at once, if nothing changed in between. A saved view that needs every key
   * is answered ahead too (its worker starts during the read).
   */
  prepareKeys(): Promise<void> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'embedded') return Promise.resolve();
    const reading = this.readColumns(info);
    this.lastRead = reading.catch(() => null); // the window then reads them itself
    if (needsEveryKey(info.last_view)) {
      const accounts = this.embeddedTree();
      const asked = this.askView(
        info,
        accounts,
        reading.then((read) => read.columns),
      );
      asked.answer.catch(() => {}); // the head asks again
      this.viewAhead = { ...asked, read: reading };
    }
    return reading.then(() => {});
  }

  load(): Promise<InventoryHead> {
    const head = this.readHead();
    this.head = head.catch(() => {});
    return head;
  }

  private async readHead(): Promise<InventoryHead> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'embedded') return this.cachedHead(info, false, null, true);
    const { platform } = await this.connections.active();
    const me = await platform.me();
    const first = await platform.listKeys(me.id, { include_subaccounts: true, limit: HEAD_SIZE });
    const accounts = await accountTree(platform, me.id);
    const environments = this.state.environments(info.id);
    const complete = first.next_cursor === null;
    const view = complete ? null : await this.savedViewHead(info, accounts);
    return {
      connection: info,
      accounts,
      keys: view?.keys ?? first.data,
      complete,
      keychain_key_ids: await this.keychainKeyIds(info),
      offline: false,
      offline_reason: null,
      synced_at: null,
      read_only_reason: null,
      environments,
      view: view?.view ?? null,
    };
  }

  /**
   * A saved view that filters or sorts, answered here where every key is: its first rows and its
   * count. Null when the view needs no other keys than the first, or when answering it failed (the
   * window then waits for every key and works it out itself).
   */
  private async savedViewHead(info: ConnectionInfo, accounts: Account[]): Promise<ViewHeadAnswer | null> {
    if (!needsEveryKey(info.last_view)) return null;
    const ahead = this.viewAhead;
    this.viewAhead = null;
    try {
      const context = this.viewContext(info);
      if (ahead?.asked === context.asked && (await ahead.read).revision === (await this.revisionOf(info)))
        return await ahead.answer;
      return await this.askView(info, Promise.resolve(accounts), this.columnsOf(info, true), context).answer;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.views.log(`answering the saved view: ${message} (the window works it out once every key is in)`);
      return null;
    }
  }

  /**
   * Starts answering `info`'s saved view: its worker starts now, while `columns` are read. `asked`:
   * what the answer depends on besides the keys (the view, the policy, the environments).
   */
  private askView(
    info: ConnectionInfo,
    accounts: Promise<Account[]>,
    columns: Promise<string>,
    { asked, policy, environments } = this.viewContext(info),
  ): { asked: string; answer: Promise<ViewHeadAnswer> } {
    const input = Promise.all([columns, accounts]).then(([text, tree]) => ({
      columns: text,
      accounts: tree,
      view: info.last_view as SavedView,
      policy,
      environments,
      now: this.clock.now(),
      size: HEAD_SIZE,
    }));
    return { asked, answer: this.views.headOf(input) };
  }

  /** The policy and environments a saved view is answered with, read once, and the whole as text. */
  private viewContext(info: ConnectionInfo) {
    const policy = this.views.policy();
    const environments = this.state.environments(info.id);
    return { policy, environments, asked: JSON.stringify([info.id, info.last_view, policy, environments]) };
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
    return { connection_id: info.id, columns: await this.columnsOf(info, false) };
  }

  /** Every key of `info`: the last read if it is of the same data still, or a new one; `keep`: for the next ask too. */
  private async columnsOf(info: ConnectionInfo, keep: boolean): Promise<string> {
    const last = await this.lastRead;
    this.lastRead = null;
    const still = last !== null && last.connectionId === info.id && last.revision === (await this.revisionOf(info));
    const read = still ? last : await this.readColumns(info);
    if (keep) this.lastRead = Promise.resolve(read);
    return read.columns;
  }

  private async readColumns(info: ConnectionInfo): Promise<ColumnsRead> {
    const columns =
      info.kind === 'embedded' ? await this.embedded.keyColumnsJson() : this.state.cachedKeyColumns(info.id);
    return { connectionId: info.id, revision: await this.revisionOf(info), columns };
  }

  /** Embedded keys are the platform's; the others are the app's cached copies. */
  private revisionOf(info: ConnectionInfo): Promise<string> {
    return info.kind === 'embedded' ? this.embedded.revision() : Promise.resolve(this.state.revision());
  }

  /**
   * Remote: what changed on the platform into the cache (every key the first time). Unreachable:
   * the cached copy, marked offline. Other connections have nothing to sync: the window reloads.
   */
  async sync(): Promise<InventorySync> {
    const info = this.connections.activeInfo();
    if (info.kind !== 'remote') return this.syncAnswer(info, null, null);
    const { platform } = await this.connections.active();
    const accountId = info.account_id ?? (await platform.me()).id;
    try {
      const result = await syncRemote({
        platform,
        connectionId: info.id,
        accountId,
        cache: this.syncCache,
        syncedAt: this.clock.now(),
        onPage: (page) =>
          this.emit('inventory:progress', {
            connection_id: info.id,
            loaded: page.loaded,
            total: page.total,
            keys: page.keys && JSON.stringify(page.keys),
            removed: page.removed,
          }),
      });
      await this.connections.learnPlatformId(info);
      return this.syncAnswer(this.connections.info(info.id), null, result.full ? null : result);
    } catch (error) {
      const failure = describeConnectionFailure(error);
      if (failure.code !== 'unavailable') throw failure;
      return this.syncAnswer(info, failure.message, { keys: [], removed: [] });
    }
  }

  /** The active (embedded) platform's account tree, from its root. */
  private async embeddedTree(): Promise<Account[]> {
    const { platform } = await this.connections.active();
    return accountTree(platform, (await platform.me()).id);
  }

  private async syncAnswer(
    info: ConnectionInfo,
    offlineReason: string | null,
    changes: InventorySync['changes'],
  ): Promise<InventorySync> {
    return {
      connection: info,
      accounts: info.kind === 'embedded' ? await this.embeddedTree() : this.state.cachedAccounts(info.id),
      keychain_key_ids: await this.keychainKeyIds(info),
      offline: offlineReason !== null,
      offline_reason: offlineReason,
      synced_at: info.last_synced_at,
      changes: changes && { keys: changes.keys, removed: changes.removed },
      key_count: info.kind === 'embedded' ? 0 : this.state.cachedKeyCount(info.id),
    };
  }

  /** The keys whose secret the keychain holds, once entries filed the old way are moved to the platform's name. */
  async keychainKeyIds(info: ConnectionInfo): Promise<string[]> {
    try {
      const owner = await this.connections.keychainOwner(info);
      const partialKeyOf = (keyId: string) =>
        info.kind === 'embedded'
          ? this.embedded.partialKeyOf(keyId)
          : Promise.resolve(this.state.cachedPartialKey(info.id, keyId));
      // Filed under the connection's id (a platform that cannot name itself): nothing to move.
      const accounts =
        owner === info.id ? await this.keychain.list() : await adoptLegacyEntries(this.keychain, owner, partialKeyOf);
      const prefix = `${owner}/`;
      return accounts.filter((account) => account.startsWith(prefix)).map((account) => account.slice(prefix.length));
    } catch {
      return []; // no keychain: nothing is marked as stored, and the create step says why
    }
  }

  /** `withView`: answer a saved view (a first load; a sync's window keeps its copy until every key is in). */
  private async cachedHead(
    info: ConnectionInfo,
    offline: boolean,
    reason: string | null,
    withView: boolean,
  ): Promise<InventoryHead> {
    const first = this.state.cachedKeys(info.id, 0, HEAD_SIZE + 1);
    const accounts = this.state.cachedAccounts(info.id);
    const environments = this.state.environments(info.id);
    const complete = first.length <= HEAD_SIZE;
    const view = complete || !withView ? null : await this.savedViewHead(info, accounts);
    return {
      connection: info,
      accounts,
      keys: view?.keys ?? first.slice(0, HEAD_SIZE),
      complete,
      keychain_key_ids: await this.keychainKeyIds(info),
      offline,
      offline_reason: reason,
      synced_at: info.last_synced_at,
      read_only_reason: info.kind === 'imported' ? readOnlyReason(info) : null,
      environments,
      view: view?.view ?? null,
    };
  }
}
