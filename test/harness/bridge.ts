// The test harness's stand-in for the preload: the same buildWindowApi over HTTP on loopback instead of
// Electron IPC. Served only by the harness, never shipped in the app.

import type { EventName } from '../../src/shared/ipc/contract';
import { buildWindowApi } from '../../src/shared/ipc/window-api';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
let source: EventSource | null = null;

function ensureEventSource(): void {
  if (source) return;
  source = new EventSource('/__harness/events');
  source.onmessage = (message) => {
    const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
}

// Calls go through a worker (ipc-worker.ts), which answers with a structured clone as Electron's IPC does.
const calls = new Worker('/__harness/ipc-worker.js');
const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
let nextId = 0;
calls.onmessage = ({ data }: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
  const call = pending.get(data.id);
  pending.delete(data.id);
  if (data.error !== undefined) call?.reject(new Error(data.error));
  else call?.resolve(data.result);
};

const api = buildWindowApi({
  invoke(channel, request) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      calls.postMessage({ id, channel, request });
    });
  },
  subscribe(event, listener) {
    ensureEventSource();
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  },
});

Object.defineProperty(window, 'keyhold', { value: Object.freeze(api), writable: false });
