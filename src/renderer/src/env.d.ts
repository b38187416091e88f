import type { WindowApi } from '../../shared/ipc/window-api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the test harness bridge (browser). */
    readonly keyhold: WindowApi;
  }
}
