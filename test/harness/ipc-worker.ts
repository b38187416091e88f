// The harness's IPC calls, made off the window's thread: each request goes out as HTTP and its
// answer (ipc-answer.ts) is read here, so the window receives a structured clone, as Electron's
// ipcRenderer.invoke delivers it (reading a large answer on the window's thread would cost it time
// the app does not spend). Served only by the harness, never shipped in the app.

import { decodeAnswer } from './ipc-answer';

interface Call {
  id: number;
  channel: string;
  request: unknown;
}

const scope = self as unknown as {
  onmessage: ((message: MessageEvent<Call>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = ({ data: { id, channel, request } }) => {
  fetch(`/__harness/ipc/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  })
    // The harness's own refusals (401, 403, 400) are plain JSON.
    .then((response) => (response.ok ? response.arrayBuffer().then(decodeAnswer) : response.json()))
    .then(
      (result: unknown) => scope.postMessage({ id, result }),
      (error: unknown) => scope.postMessage({ id, error: String(error) }),
    );
};
