// The router on a minimal IpcMainLike (no Electron needed: the router only sees `handle`).
import { describe, expect, it } from 'vitest';
import { type Handlers, type InvokeEventLike, type IpcMainLike, registerRouter } from '../../src/main/ipc/router';
import type { AppInfo } from '../../src/shared/app-info';
import { AppError } from '../../src/shared/errors';
import { contract } from '../../src/shared/ipc/contract';
import { CHANNELS } from '../../src/shared/ipc/names';

const APP_URL = 'file:///app/out/renderer/index.html';
const info: AppInfo = {
  name: 'Keyhold',
  version: '0.0.0-test',
  dataDir: '/tmp/keyhold',
  platform: 'linux',
  arch: 'x64',
  host: 'harness',
  versions: { node: process.versions.node, electron: null, chrome: null },
};

function setup(handlers: Partial<Handlers> = {}) {
  const registered = new Map<string, (event: InvokeEventLike, request: unknown) => Promise<unknown>>();
  const ipc: IpcMainLike = { handle: (channel, listener) => void registered.set(channel, listener) };
  const logged: string[] = [];
  registerRouter(ipc, {
    // Only app:info is called here; the other channels are registered but never invoked.
    handlers: { 'app:info': () => info, ...handlers } as Handlers,
    isTrustedSender: (event) => event.senderFrame?.url === APP_URL,
    log: (line) => logged.push(line),
  });
  const call = (channel: string, request: unknown, url = APP_URL) => {
    const listener = registered.get(channel);
    if (!listener) throw new Error(`${channel} is not registered`);
    return listener({ senderFrame: { url } }, request);
  };
  return { registered, call, logged };
}

describe('IPC router', () => {
  it('registers every contract channel and nothing else', () => {
    expect([...setup().registered.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(contract).sort()).toEqual([...CHANNELS].sort());
  });

  it('returns the handler result as ok data', async () => {
    expect(await setup().call('app:info', {})).toEqual({ ok: true, data: info });
  });

  it('rejects an invalid request with an error naming the field, without calling the handler', async () => {
    let called = false;
    const { call } = setup({
      'app:info': () => {
        called = true;
        return info;
      },
    });
    const result = await call('app:info', { verbose: true });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^request: Unrecognized key: "verbose"/) },
    });
    expect(called).toBe(false);
    expect(await call('app:info', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses senders that are not the app window', async () => {
    const result = await setup().call('app:info', {}, 'https://evil.example/');
    expect(result).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
  });

  it('turns an AppError into its code and message', async () => {
    const { call } = setup({
      'app:info': () => {
        throw new AppError('not_found', 'key k_1 was not found');
      },
    });
    expect(await call('app:info', {})).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'key k_1 was not found' },
    });
  });

  it('never lets a secret in a thrown error reach the window or the log', async () => {
    const secret = 'sk-0123abcd.Zx9mQ2rT8vLp4nWk7yHs3bGd6fJc1aUe5oPi0uYt2rEw';
    const { call, logged } = setup({
      'app:info': () => {
        throw new Error(`driver choked on ${secret}`);
      },
    });
    const result = await call('app:info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(result)).not.toContain('Zx9mQ2rT8vLp4nWk7yHs3bGd6fJc1aUe5oPi0uYt2rEw');
    expect(logged.join('\n')).toContain('sk-0123abcd.[redacted]');
    expect(logged.join('\n')).not.toContain('Zx9mQ2rT8vLp4nWk7yHs3bGd6fJc1aUe5oPi0uYt2rEw');
  });
});
