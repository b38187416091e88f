// Exposes exactly the contract as window.keyhold: one function per channel and a typed `on` for
// events. No ipcRenderer, no generic invoke. Bundled as CommonJS so the window can be sandboxed.
import { contextBridge, ipcRenderer } from 'electron';
import { buildWindowApi } from '../shared/ipc/window-api';

const api = buildWindowApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (event, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => ipcRenderer.removeListener(event, handler);
  },
});

contextBridge.exposeInMainWorld('keyhold', api);
