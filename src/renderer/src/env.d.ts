import type { KeyholdApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the test harness bridge (browser). */
    readonly keyhold: KeyholdApi;
  }
}
