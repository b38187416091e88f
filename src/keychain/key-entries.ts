// Where a key's secret is filed in the OS keychain: under the platform's identity and the key's id
// (`plt_…/key_…`), never under the way the platform was opened. A key made in the window, by
// `keyhold keys create --db ./platform.db`, or through any URL of a server over that database is
// then found through every other one. Entries filed the old way (under `embedded/`, `file:<path>/`,
// a URL or an app connection's id) are moved on first use, each only once its secret proves it is
// this platform's key.
import { parseKey } from '../shared/key-format';
import type { Keychain } from './keychain';

/** The keychain entry of a key's secret: the app and the `keyhold` command agree on it. */
export const keyEntry = (owner: string, keyId: string): string => `${owner}/${keyId}`;

// The old way: a door's name (anything but a platform id), then the key's id.
const LEGACY_ENTRY = /^(?!plt_[0-9a-f]{16}\/).+\/(key_[0-9a-f]{16})$/;

/**
 * Moves the entries filed the old way whose key is this platform's (`partialKeyOf` answers the
 * key's public part, or null when the platform has no such key) and whose secret is that key's.
 * An entry already filed the new way is kept; the old one is then removed. Returns every entry's
 * name once they are moved: the keychain is listed once (a list reads every entry).
 */
export async function adoptLegacyEntries(
  keychain: Keychain,
  platformId: string,
  partialKeyOf: (keyId: string) => Promise<string | null>,
): Promise<string[]> {
  const accounts = new Set(await keychain.list());
  for (const account of [...accounts]) {
    const keyId = LEGACY_ENTRY.exec(account)?.[1];
    if (keyId === undefined) continue;
    const partialKey = await partialKeyOf(keyId);
    if (partialKey === null) continue; // another platform's key
    const secret = await keychain.get(account);
    if (secret === null || parseKey(secret)?.partialKey !== partialKey) continue;
    const entry = keyEntry(platformId, keyId);
    if (!accounts.has(entry)) await keychain.set(entry, secret);
    await keychain.delete(account);
    accounts.delete(account);
    accounts.add(entry);
  }
  return [...accounts];
}
