// The window's services on the real engine, the real app database and the real OS keychain
// (or, to prove the fallback, a keychain that cannot be reached).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Keychain, openKeychain, UnavailableKeychain } from '../../../src/keychain/keychain';
import { type Clipboard, ClipboardGuard } from '../../../src/main/app/clipboard-guard';
import { createApp, type KeyholdApp } from '../../../src/main/app/create-app';
import type { EventName } from '../../../src/shared/ipc/contract';
import { testAppInfo } from '../../support/app-info';
import { ManualTimers } from '../../support/clock';
import { platformIdOf } from '../../support/platform-id';
import { startTestServer } from '../../support/server';

class MemoryClipboard implements Clipboard {
  text = '';
  async readText() {
    return this.text;
  }
  async writeText(text: string) {
    this.text = text;
  }
  clear() {
    this.text = '';
  }
}

let dir: string;
let app: KeyholdApp;
const events: Array<{ event: EventName; payload: unknown }> = [];

async function start(keychain: Keychain): Promise<KeyholdApp> {
  dir = mkdtempSync(join(tmpdir(), 'keyhold-app-'));
  app = await createApp({
    info: testAppInfo(dir),
    log: () => {},
    keychain,
    clipboard: new MemoryClipboard(),
    emit: (event, payload) => events.push({ event, payload }),
    userName: 'tester',
  });
  return app;
}

afterEach(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('creating keys without a keychain', () => {
  it('falls back to showing the key once, and says why', async () => {
    const { handlers } = await start(new UnavailableKeychain('no Secret Service on this session bus'));
    const head = await handlers['inventory:load']({});
    const result = await handlers['keys:create']({ account_id: head.accounts[0]?.id ?? '', label: 'Fallback key' });
    expect(result.keychain).toEqual({ stored: false, reason: expect.stringContaining('no Secret Service') });
    expect(result.secret?.startsWith(`${result.key.partial_key}.`)).toBe(true);
    // And it did not land in any file either.
    for (const file of ['platform.db', 'platform.db-wal', 'app-state.db', 'app-state.db-wal']) {
      const raw = (() => {
        try {
          return readFileSync(join(dir, file)).toString('latin1');
        } catch {
          return '';
        }
      })();
      expect(raw.includes(result.secret ?? 'x')).toBe(false);
    }
  });

  it('refuses to save a remote connection whose key the keychain cannot hold, saving nothing', async () => {
    const platform = await startTestServer();
    try {
      const { handlers } = await start(new UnavailableKeychain('locked'));
      await expect(
        handlers['connections:add']({ name: 'Acme', base_url: platform.url, api_key: platform.adminKey }),
      ).rejects.toMatchObject({ code: 'keychain_unavailable' });
      expect((await handlers['connections:list']({})).connections.map((c) => c.kind)).toEqual(['embedded']);
      expect(readFileSync(join(dir, 'app-state.db')).toString('latin1')).not.toContain(platform.adminKey.slice(12));
    } finally {
      await platform.stop();
    }
  });
});

describe('with the OS keychain', () => {
  it('stores the secret, answers without it, reveals it on request, and removes it on delete', async () => {
    const keychain = await openKeychain(`keyhold-test-${randomBytes(4).toString('hex')}`);
    const { handlers } = await start(keychain);
    const head = await handlers['inventory:load']({});
    const root = head.accounts[0]?.id ?? '';
    const created = await handlers['keys:create']({ account_id: root, label: 'Keychain key' });
    expect(created.secret).toBeNull();
    // Filed under the platform's identity, which the CLI reads from the database too.
    const entry = `${platformIdOf(join(dir, 'platform.db'))}/${created.key.id}`;
    expect(created.keychain).toEqual({ stored: true, account: entry });
    const { secret } = await handlers['secrets:reveal']({ key_id: created.key.id });
    expect(await keychain.get(entry)).toBe(secret);
    expect((await handlers['inventory:load']({})).keychain_key_ids).toEqual([created.key.id]);
    expect(await handlers['keys:delete']({ account_id: root, key_id: created.key.id })).toEqual({
      keychain_entry_removed: true,
    });
    expect(await keychain.get(entry)).toBeNull();
    expect(events).toEqual([]); // nothing was broadcast, least of all a secret
  });
});

describe('the clipboard guard', () => {
  it('clears what it copied once the time is up, but not something copied since, and says which', async () => {
    const clipboard = new MemoryClipboard();
    const timers = new ManualTimers();
    const settled: string[] = [];
    const guard = new ClipboardGuard(clipboard, timers, 30_000, (outcome) => settled.push(outcome));
    await guard.copySecret('sk-00000000.first');
    timers.advance(29_999);
    expect(clipboard.text).toBe('sk-00000000.first');
    timers.advance(1);
    await Promise.resolve(); // the clipboard is read asynchronously
    await Promise.resolve();
    expect(clipboard.text).toBe('');
    expect(settled).toEqual(['cleared']);
    // A newer copy replaces an older one's countdown: only the newer settles.
    await guard.copySecret('sk-00000000.replaced');
    timers.advance(10_000);
    await guard.copySecret('sk-00000000.second');
    clipboard.text = 'something the user copied';
    timers.advance(30_000);
    await Promise.resolve();
    await Promise.resolve();
    expect(clipboard.text).toBe('something the user copied');
    expect(settled).toEqual(['cleared', 'left_alone']);
  });
});
