import { join } from 'node:path';
import { app, BrowserWindow, nativeTheme } from 'electron';
import { isAppUrl, rendererUrl as urlOf } from './renderer-url';

/** Where the renderer comes from: electron-vite's dev server in development only, the built file otherwise. */
export const rendererUrl = (): string => urlOf(app.isPackaged, process.env.ELECTRON_RENDERER_URL, __dirname);

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
