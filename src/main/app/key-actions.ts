// What the window does to keys, on whichever platform is active. A new key's secret goes to the
// OS keychain before anything is returned; a deleted key's keychain entry goes with it. Remote
// actions also update the connection's offline cache.

import { keyEntry } from '../../keychain/key-entries';
import type { Keychain } from '../../keychain/keychain';
import type { ApiKey } from '../../shared/domain';
import type { ConnectionInfo, CreateKeyResult, KeyDetails } from '../../shared/ipc/window-data';
import type { CreateKeyInput, UpdateKeyInput } from '../../shared/schemas';
import type { AppStateRepo } from '../store/app-state-repo';
import type { ActiveConnection, Connections } from './connections';

export class KeyActions {
  constructor(
    private readonly connections: Connections,
    private readonly state: AppStateRepo,
    private readonly keychain: Keychain,
  ) {}

  async create(accountId: string, input: CreateKeyInput): Promise<CreateKeyResult> {
    return this.connections.withPlatform('Creating a key', async ({ info, platform }) => {
      const { key, secret } = await platform.createKey(accountId, input);
      this.remember(info.id, info.kind, key);
      await this.connections.learnPlatformId(info);
      const account = keyEntry(await this.connections.keychainOwner(info), key.id);
      try {
        await this.keychain.set(account, secret);
        return { key, keychain: { stored: true, account }, secret: null };
      } catch (error) {
        // Never lost silently: without a keychain, the window shows the key once and says why.
        const reason = error instanceof Error ? error.message : String(error);
        return { key, keychain: { stored: false, reason }, secret };
      }
    });
  }

  update(accountId: string, keyId: string, patch: UpdateKeyInput): Promise<ApiKey> {
    return this.change('Editing a key', (platform) => platform.updateKey(accountId, keyId, patch));
  }

  revoke(accountId: string, keyId: string): Promise<ApiKey> {
    return this.change('Revoking a key', (platform) => platform.revokeKey(accountId, keyId));
  }

  reactivate(accountId: string, keyId: string): Promise<ApiKey> {
    return this.change('Reactivating a key', (platform) => platform.reactivateKey(accountId, keyId));
  }

  async delete(accountId: string, keyId: string): Promise<{ keychain_entry_removed: boolean }> {
    return this.connections.withPlatform('Deleting a key', async ({ info, platform }) => {
      const key = await platform.getKey(accountId, keyId);
      await platform.deleteKey(accountId, keyId);
      this.remember(info.id, info.kind, key, true);
      const entry = keyEntry(await this.connections.keychainOwner(info), keyId);
      const removed = await this.keychain.delete(entry).catch(() => false);
      return { keychain_entry_removed: removed };
    });
  }

  details(accountId: string, keyId: string): Promise<KeyDetails> {
    return this.connections.withPlatform('Reading a key', async ({ platform }) => {
      const [key, events, usage, last_use] = await Promise.all([
        platform.getKey(accountId, keyId),
        platform.keyEvents(accountId, keyId),
        platform.keyUsage(accountId, keyId, 30),
        platform.keyLastUse(accountId, keyId),
      ]);
      return { key, events, usage, last_use };
    });
  }

  private change(what: string, act: (platform: ActiveConnection['platform']) => Promise<ApiKey>): Promise<ApiKey> {
    return this.connections.withPlatform(what, async ({ info, platform }) => {
      const key = await act(platform);
      this.remember(info.id, info.kind, key);
      return key;
    });
  }

  private remember(connectionId: string, kind: ConnectionInfo['kind'], key: ApiKey, removed = false): void {
    if (kind === 'remote') this.state.cacheKey(connectionId, key, removed);
  }
}
