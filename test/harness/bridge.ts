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

const api = buildWindowApi({
  async invoke(channel, request) {
    const response = await fetch(`/__harness/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
    return response.json();
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
