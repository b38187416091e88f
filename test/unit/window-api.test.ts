// window.keyhold as the preload builds it: one function per channel, and the first screen's
// largest answers asked for as the window starts, each taken once by the page's first call.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/shared/ipc/contract';
import { ASKED_AT_START, buildWindowApi } from '../../src/shared/ipc/window-api';

function recordingTransport(answer: (channel: Channel) => Promise<unknown> = async (channel) => ({ channel })) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  return {
    calls,
    transport: {
      invoke(channel: Channel, request: unknown) {
        calls.push({ channel, request });
        return answer(channel);
      },
      subscribe: () => () => {},
    },
  };
}

describe('window api', () => {
  it('asks for the first screen at once and gives each answer to the first call only', async () => {
    const { calls, transport } = recordingTransport();
    const api = buildWindowApi(transport);
    expect(calls.map((call) => call.channel)).toEqual([...ASKED_AT_START]);
    expect(ASKED_AT_START).toEqual(['inventory:load', 'inventory:keys']);

    await expect(api.inventory.keys()).resolves.toEqual({ channel: 'inventory:keys' });
    expect(calls).toHaveLength(2); // taken, not asked again
    await api.inventory.keys();
    expect(calls).toHaveLength(3); // a later load asks afresh
    await api.app.info();
    expect(calls.at(-1)).toEqual({ channel: 'app:info', request: {} });
  });

  it('asks again when the first call carries a request, and leaves an early failure to whoever takes it', async () => {
    const { calls, transport } = recordingTransport((channel) =>
      channel === 'inventory:load' ? Promise.reject(new Error('main is gone')) : Promise.resolve({ channel }),
    );
    const api = buildWindowApi(transport);
    await expect(api.inventory.load()).rejects.toThrow('main is gone');
    await api.inventory.keys({} as never);
    expect(calls.map((call) => call.channel)).toEqual(['inventory:load', 'inventory:keys', 'inventory:keys']);
  });

  it('asks again when main refused the early ask as from a page that was not yet its own', async () => {
    let asked = 0;
    const { calls, transport } = recordingTransport(async (channel) =>
      channel === 'inventory:load' && asked++ === 0
        ? { ok: false, error: { code: 'untrusted_sender', message: 'not the app' } }
        : { ok: true, data: channel },
    );
    const api = buildWindowApi(transport);
    await expect(api.inventory.load()).resolves.toEqual({ ok: true, data: 'inventory:load' });
    expect(calls.filter((call) => call.channel === 'inventory:load')).toHaveLength(2);
  });

  it('never reports an early answer that fails and is never taken as an unhandled rejection', async () => {
    const { transport } = recordingTransport(() => Promise.reject(new Error('refused')));
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      buildWindowApi(transport);
      await new Promise((settled) => setTimeout(settled, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
