// The secrets of keys kept in the OS keychain: reveal, copy (cleared from the clipboard after 30 s)
// and forget. The window never reads the keychain itself.

import { keyEntry } from '../../keychain/key-entries';
import type { Keychain } from '../../keychain/keychain';
import { API_KEY_ENV } from '../../shared/env-names';
import { AppError } from '../../shared/errors';
import type { ClipboardGuard } from './clipboard-guard';
import type { Connections } from './connections';

export class Secrets {
  constructor(
    private readonly connections: Connections,
    private readonly keychain: Keychain,
    private readonly clipboard: ClipboardGuard,
  ) {}

  async reveal(keyId: string): Promise<{ secret: string }> {
    return { secret: await this.read(keyId) };
  }

  async copy(keyId: string, format: 'plain' | 'env', variable = API_KEY_ENV): Promise<{ clears_in_seconds: number }> {
    const secret = await this.read(keyId);
    await this.clipboard.copySecret(format === 'env' ? `${variable}=${secret}` : secret);
    return { clears_in_seconds: Math.round(this.clipboard.clearAfterMs / 1000) };
  }

  async forget(keyId: string): Promise<{ removed: boolean }> {
    return { removed: await this.keychain.delete(await this.entry(keyId)) };
  }

  private async entry(keyId: string): Promise<string> {
    return keyEntry(await this.connections.keychainOwner(this.connections.activeInfo()), keyId);
  }

  private async read(keyId: string): Promise<string> {
    const secret = await this.keychain.get(await this.entry(keyId));
    if (!secret) throw new AppError('not_found', 'This key’s secret is not in the OS keychain.');
    return secret;
  }
}
