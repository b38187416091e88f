// The platforms the app talks to: the embedded one (always there) and remote ones added by the
// user. A remote connection's API key lives in the OS keychain, never in the app's database.
import type { Keychain } from '../../keychain/keychain';
import { KeyholdClient } from '../../sdk/client';
import { KeyholdApiError } from '../../sdk/errors';
import { RemotePlatform } from '../../sdk/remote-platform';
import type { Environment } from '../../shared/audit';
import type { Clock } from '../../shared/clock';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import {
  type ConnectionInfo,
  type ConnectionList,
  EMBEDDED_CONNECTION_ID,
  type SavedView,
} from '../../shared/ipc/window-data';
import type { RandomBytes } from '../../shared/key-format';
import type { KeyPlatform } from '../../shared/key-platform';
import { InventoryFileError, type InventorySnapshot, type ParseProgress } from '../../shared/report/inventory-file';
import type { AppStateRepo } from '../store/app-state-repo';
import type { ReadInventory } from './inventory-reader';

const ACTIVE_SETTING = 'active_connection';

export const connectionKeychainAccount = (connectionId: string) => `connection/${connectionId}`;

export interface ActiveConnection {
  info: ConnectionInfo;
  platform: KeyPlatform;
}

export class Connections {
  private readonly remotes = new Map<string, RemotePlatform>();

  constructor(
    private readonly state: AppStateRepo,
    private readonly keychain: Keychain,
    private readonly embedded: KeyPlatform,
    private readonly clock: Clock,
    private readonly random: RandomBytes,
    private readonly readInventory: ReadInventory,
  ) {}

  /** The embedded platform is always a connection: recorded on first start. */
  start(): this {
    this.state.ensureEmbedded(this.clock.now());
    return this;
  }

  list(): ConnectionList {
    return { connections: this.state.list(), active_id: this.activeId() };
  }

  /** The active connection and its platform; an imported inventory has none and is refused here. */
  async active(): Promise<ActiveConnection> {
    const info = this.activeInfo();
    return { info, platform: await this.platformOf(info) };
  }

  /**
   * Runs an action on the active platform. Errors say what went wrong in words; an unreachable
   * remote says that the action needs the platform and the window shows the last sync.
   */
  async withPlatform<T>(what: string, act: (active: ActiveConnection) => Promise<T>): Promise<T> {
    const active = await this.active();
    try {
      return await act(active);
    } catch (error) {
      const failure = describeConnectionFailure(error);
      if (failure.code === 'unavailable' && active.info.kind === 'remote') {
        throw new AppError(
          'unavailable',
          `Offline: ${what.toLowerCase()} needs the platform at ${active.info.base_url}, which cannot be reached. ` +
            'The inventory shown is the copy from the last sync.',
        );
      }
      throw failure;
    }
  }

  /** The active connection without reaching its platform (a remote one's key stays in the keychain). */
  activeInfo(): ConnectionInfo {
    return this.info(this.activeId());
  }

  /** Reaches the platform with this key, without saving anything; errors say what went wrong in words. */
  async test(baseUrl: string, apiKey: string): Promise<{ account_name: string; account_id: string }> {
    const client = new KeyholdClient({ baseUrl, apiKey, timeoutMs: 8000, retry: { maxRetries: 0 } });
    try {
      const account = await client.accounts.get('me');
      return { account_name: account.name, account_id: account.id };
    } catch (error) {
      throw describeConnectionFailure(error);
    }
  }

  async add(input: { name: string; base_url: string; api_key: string }): Promise<ConnectionInfo> {
    const { account_id } = await this.test(input.base_url, input.api_key);
    const id = newId('conn', this.random, 6);
    // Keychain first: if it cannot take the key, nothing is saved at all.
    await this.keychain.set(connectionKeychainAccount(id), input.api_key.trim());
    this.state.addRemote({
      id,
      name: input.name,
      base_url: new URL(input.base_url).toString().replace(/\/+$/, ''),
      account_id,
      created_at: this.clock.now(),
    });
    return this.info(id);
  }

  /**
   * Opens an inventory file as a read-only connection of its own, and makes it the active one.
   * The file is read off the event loop (a worker thread); `onProgress` hears how far it has got.
   */
  async import(fileName: string, content: string, onProgress: ParseProgress = () => {}): Promise<ConnectionInfo> {
    let snapshot: InventorySnapshot;
    try {
      snapshot = await this.readInventory(fileName, content, onProgress);
    } catch (error) {
      if (error instanceof InventoryFileError) throw new AppError('invalid_request', `content: ${error.message}`);
      throw error;
    }
    const id = newId('file', this.random, 6);
    const base = fileName.replace(/\.(json|csv)$/i, '');
    this.state.addImported(
      {
        id,
        name: base.slice(0, 100) || 'Imported inventory',
        source: `${fileName}, exported ${snapshot.exported_at.slice(0, 10)}`,
        created_at: this.clock.now(),
      },
      snapshot.accounts,
      snapshot.keys,
      snapshot.environments,
      snapshot.key_use_since ? { since: snapshot.key_use_since, use: snapshot.key_use ?? [] } : null,
    );
    this.state.setSetting(ACTIVE_SETTING, id);
    return this.info(id);
  }

  setEnvironment(keyId: string, environment: Environment | null): Record<string, Environment> {
    const id = this.activeId();
    this.state.setEnvironment(id, keyId, environment);
    return this.state.environments(id);
  }

  switch(id: string): ConnectionList {
    this.info(id);
    this.state.setSetting(ACTIVE_SETTING, id);
    return this.list();
  }

  async remove(id: string): Promise<ConnectionList> {
    if (id === EMBEDDED_CONNECTION_ID) throw new AppError('conflict', 'id: the embedded platform cannot be removed');
    this.info(id);
    await this.keychain.delete(connectionKeychainAccount(id)).catch(() => false);
    this.remotes.delete(id);
    this.state.remove(id);
    if (this.activeId() === id) this.state.setSetting(ACTIVE_SETTING, EMBEDDED_CONNECTION_ID);
    return this.list();
  }

  saveView(id: string, view: SavedView): { saved: true } {
    this.info(id);
    this.state.saveView(id, view);
    return { saved: true };
  }

  /**
   * Whose name the connection's keys' secrets are filed under in the keychain (keychain/key-entries.ts):
   * the platform's identity, remembered for a remote one so it is known offline (never asked here:
   * an offline load must not wait for the network); the connection's id for a remote platform
   * not reached yet, or too old to say.
   */
  async keychainOwner(info: ConnectionInfo): Promise<string> {
    if (info.kind === 'embedded') return (await this.embedded.platformId()) ?? info.id;
    return this.state.platformIdOf(info.id) ?? info.id;
  }

  /** Asks a remote platform its identity once, while it is being reached anyway (a sync, a create). */
  async learnPlatformId(info: ConnectionInfo): Promise<void> {
    if (info.kind !== 'remote' || this.state.platformIdOf(info.id) !== null) return;
    const learned = await (await this.platformOf(info)).platformId().catch(() => null);
    if (learned !== null) this.state.setPlatformId(info.id, learned);
  }

  info(id: string): ConnectionInfo {
    const info = this.state.get(id);
    if (!info) throw new AppError('not_found', `No connection ${id}.`);
    return info;
  }

  private activeId(): string {
    const id = this.state.getSetting(ACTIVE_SETTING);
    return id && this.state.get(id) ? id : EMBEDDED_CONNECTION_ID;
  }

  private async platformOf(info: ConnectionInfo): Promise<KeyPlatform> {
    if (info.kind === 'embedded') return this.embedded;
    if (info.kind === 'imported') throw new AppError('conflict', readOnlyReason(info));
    let remote = this.remotes.get(info.id);
    if (!remote) {
      const apiKey = await this.keychain.get(connectionKeychainAccount(info.id));
      if (!apiKey) {
        throw new AppError(
          'keychain_unavailable',
          `The API key of "${info.name}" is missing from the OS keychain; remove and add the connection again.`,
        );
      }
      remote = new RemotePlatform(
        new KeyholdClient({ baseUrl: info.base_url ?? '', apiKey, timeoutMs: 10_000, retry: { maxRetries: 2 } }),
      );
      this.remotes.set(info.id, remote);
    }
    return remote;
  }
}

export const readOnlyReason = (info: ConnectionInfo) =>
  `"${info.name}" is an imported inventory (${info.source ?? 'a file'}): it can be audited and reported, not changed.`;

/** A failed call to a remote platform, in words for the person who asked. */
export function describeConnectionFailure(error: unknown): AppError {
  if (!(error instanceof KeyholdApiError))
    return error instanceof AppError ? error : new AppError('internal', String(error));
  if (error.status === 401) {
    return new AppError('unauthorized', 'The platform refused this API key (401): it is unknown, revoked or expired.');
  }
  if (error.status === 403) {
    return new AppError('forbidden', `The platform answered 403: ${error.message} The key's account may be inactive.`);
  }
  if (error.status === 0) return new AppError('unavailable', error.message); // already names the URL and the cause
  return error;
}
