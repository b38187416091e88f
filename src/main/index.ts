// The Electron shell: lifecycle, the window, and wiring the services to IPC. Everything else lives
// in services that never import electron.
import { userInfo } from 'node:os';
import { app, type BrowserWindow, clipboard, ipcMain, Menu } from 'electron';
import { openKeychain } from '../keychain/keychain';
import type { Page } from '../shared/app-info';
import type { EventName, EventPayload } from '../shared/ipc/contract';
import { createApp, type KeyholdApp } from './app/create-app';
import { buildAppMenu } from './electron/menu';
import { loadKeytar, sqliteBinding } from './electron/native-modules';
import { electronNotifier } from './electron/notifier';
import { hardenSessions } from './electron/security';
import { createMainWindow, isAppFrame, registerAppScheme, serveRenderer } from './electron/window';
import { registerRouter } from './ipc/router';

let mainWindow: BrowserWindow | null = null;
let keyhold: KeyholdApp | null = null;

function send<E extends EventName>(event: E, payload: EventPayload<E>): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
}

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) mainWindow = createMainWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  hardenSessions();
  serveRenderer();
  keyhold = await createApp({
    info: {
      name: 'Keyhold',
      version: app.getVersion(),
      dataDir: app.getPath('userData'),
      platform: process.platform,
      arch: process.arch,
      host: 'electron',
      versions: {
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        chrome: process.versions.chrome ?? null,
      },
    },
    log: (line) => console.error(line),
    keychain: await openKeychain(undefined, loadKeytar),
    clipboard: {
      readText: () => clipboard.readText(),
      writeText: (text) => clipboard.writeText(text),
      clear: () => clipboard.clear(),
    },
    emit: send,
    userName: userInfo().username,
    nativeBinding: sqliteBinding(),
    notifier: electronNotifier(),
    focusWindow: showWindow,
  });
  registerRouter(ipcMain, {
    handlers: keyhold.handlers,
    isTrustedSender: (event) => isAppFrame(mainWindow, event.senderFrame),
    log: (line) => console.error(line),
  });
  Menu.setApplicationMenu(buildAppMenu((page: Page) => send('app:navigate', { page })));
  showWindow();
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void keyhold?.close());
  app.whenReady().then(start, (error: unknown) => {
    console.error('Keyhold failed to start:', error);
    app.exit(1);
  });
}
