// Locks the app down: no navigation, no new windows, no webviews, no permissions, a strict CSP
// on every response. Applied to every web contents the app ever creates.
import { app, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

export function hardenSessions(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });

  // Exports are the only downloads: files the window builds itself (blob: URLs). Electron asks
  // where to save them; anything else is cancelled.
  ses.on('will-download', (event, item) => {
    if (!item.getURL().startsWith('blob:')) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions({ title: 'Save the export', defaultPath: item.getFilename() });
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
