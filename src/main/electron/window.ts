import { join } from 'node:path';
import { app, BrowserWindow, nativeTheme, protocol } from 'electron';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, answerAppRequest } from './app-protocol';
import { isAppUrl, rendererUrl as urlOf } from './renderer-url';

/** Where the renderer comes from: electron-vite's dev server in development only, app://keyhold otherwise. */
export const rendererUrl = (): string => urlOf(app.isPackaged, process.env.ELECTRON_RENDERER_URL);

/** Before the app is ready: app:// as a standard, secure scheme (its own origin, fetch, a CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
}

/** Once ready: app:// answers from the built renderer and nothing else. */
export function serveRenderer(): void {
  const rendererDir = join(__dirname, '../renderer');
  protocol.handle(APP_SCHEME, (request) => answerAppRequest(rendererDir, request));
}

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1480,
    height: 900,
    minWidth: 900,
    minHeight: 560,
    show: false,
    title: 'Keyhold',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1a1b1e' : '#ffffff',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle click would open a link in a new window; the window-open handler denies it too.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}

/**
 * The sender check the router uses: the main window's own top frame (the very frame object, not
 * another frame at the same URL), showing the app's own page.
 */
export function isAppFrame(window: BrowserWindow | null, frame: { url: string } | null | undefined): boolean {
  if (!window || window.isDestroyed() || !frame) return false;
  return frame === window.webContents.mainFrame && isAppUrl(rendererUrl(), frame.url);
}
