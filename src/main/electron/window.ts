import { join } from 'node:path';
import { BrowserWindow, nativeTheme } from 'electron';

/** Where the renderer comes from: electron-vite's dev server in development, the built file otherwise. */
export function rendererUrl(): string {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) return devUrl;
  return `file://${join(__dirname, '../renderer/index.html')}`;
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
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl());
  return window;
}

/** The sender check the router uses: only the main window's top frame, at the app's own URL. */
export function isAppFrame(window: BrowserWindow | null, frameUrl: string | undefined): boolean {
  if (!window || window.isDestroyed() || !frameUrl) return false;
  const expected = new URL(rendererUrl());
  const actual = new URL(frameUrl);
  if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  return actual.origin === expected.origin;
}
