// Where the window's page comes from, and which frames may call main. Pure, so it is tested
// without an Electron binary; window.ts passes in what only Electron knows.
import { join } from 'node:path';

/**
 * electron-vite's dev server only while developing: a packaged app ignores ELECTRON_RENDERER_URL,
 * or anyone who can set an environment variable could point the app (and its IPC) at their page.
 */
export function rendererUrl(packaged: boolean, devUrl: string | undefined, mainDir: string): string {
  if (!packaged && devUrl) return devUrl;
  return `file://${join(mainDir, '../renderer/index.html')}`;
}

/** The app's own page: the built file, or the dev server's origin. */
export function isAppUrl(expectedUrl: string, frameUrl: string): boolean {
  const expected = new URL(expectedUrl);
  let actual: URL;
  try {
    actual = new URL(frameUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}
