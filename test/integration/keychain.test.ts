// A real round trip through keytar into the OS keychain (on Linux: the throwaway gnome-keyring
// that scripts/with-keyring.sh starts), read back independently with secret-tool.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Keychain, openKeychain } from '../../src/keychain/keychain';

const service = `keyhold-test-${randomBytes(4).toString('hex')}`;
const secretTool = (...args: string[]) => execFileSync('secret-tool', args, { encoding: 'utf8' });

describe('OS keychain through keytar', () => {
  let keychain: Keychain;
  beforeAll(async () => {
    keychain = await openKeychain(service);
  });

  afterAll(async () => {
    for (const account of await keychain.list()) await keychain.delete(account);
  });

  it('stores a secret that secret-tool reads back, lists it, and deletes it', async () => {
    const secret = `sk-${randomBytes(4).toString('hex')}.${randomBytes(24).toString('base64url')}`;
    await keychain.set('embedded/k_test', secret);

    expect(await keychain.get('embedded/k_test')).toBe(secret);
    if (process.platform === 'linux') {
      expect(secretTool('lookup', 'service', service, 'account', 'embedded/k_test')).toBe(secret);
    }
    expect(await keychain.list()).toEqual(['embedded/k_test']);

    expect(await keychain.delete('embedded/k_test')).toBe(true);
    expect(await keychain.get('embedded/k_test')).toBeNull();
    expect(await keychain.delete('embedded/k_test')).toBe(false);
  });
});
