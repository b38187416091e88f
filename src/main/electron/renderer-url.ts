// Where the window's page comes from, and which frames may call main. Pure, so it is tested
// without an Electron binary; window.ts passes in what only Electron knows.
import { APP_HOST, APP_INDEX_URL, APP_SCHEME } from './app-protocol';

/**
 * electron-vite's dev server only while developing: a packaged app ignores ELECTRON_RENDERER_URL,
 * or anyone who can set an environment variable could point the app (and its IPC) at their page.
 * Otherwise the built renderer, over the app's own scheme.
 */
export function rendererUrl(packaged: boolean, devUrl: string | undefined): string {
  if (!packaged && devUrl) return devUrl;
  return APP_INDEX_URL;
}

/** The app's own page: app://keyhold/…, or the dev server's origin. */
export function isAppUrl(expectedUrl: string, frameUrl: string): boolean {
  const expected = new URL(expectedUrl);
  let actual: URL;
  try {
    actual = new URL(frameUrl);
  } catch {
    return false;
  }
  // Node gives custom schemes an opaque origin ("null"), so compare scheme and host.
  if (expected.protocol === `${APP_SCHEME}:`) return actual.protocol === expected.protocol && actual.host === APP_HOST;
  return actual.origin === expected.origin;
}
