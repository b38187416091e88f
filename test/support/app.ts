// The app's main-process services on a data folder, as the window uses them, without Electron:
// the real engine and app database there, and the real OS keychain under a service of their own.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openKeychain } from '../../src/keychain/keychain';
import { createApp, type KeyholdApp } from '../../src/main/app/create-app';
import type { Clock } from '../../src/shared/clock';
import { testAppInfo } from './app-info';

/** A data folder and an app on it per test, closed and removed after each. */
type Emit = Parameters<typeof createApp>[0]['emit'];

export function appPerTest(): { folder(): string; start(clock?: Clock, emit?: Emit): Promise<KeyholdApp> } {
  let dir: string | undefined;
  let app: KeyholdApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const folder = () => {
    dir ??= mkdtempSync(join(tmpdir(), 'keyhold-app-'));
    return dir;
  };
  return {
    folder,
    async start(clock?: Clock, emit: Emit = () => {}) {
      app = await createApp({
        ...(clock ? { clock } : {}),
        info: testAppInfo(folder()),
        log: () => {},
        keychain: await openKeychain(`keyhold-test-${randomBytes(4).toString('hex')}`),
        clipboard: { readText: async () => '', writeText: async () => {}, clear: () => {} },
        emit,
        userName: 'tester',
      });
      return app;
    },
  };
}
