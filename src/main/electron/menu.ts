import { app, Menu, type MenuItemConstructorOptions } from 'electron';
import type { Page } from '../../shared/app-info';

export function buildAppMenu(navigate: (page: Page) => void): Menu {
  const isMac = process.platform === 'darwin';
  const go = (label: string, page: Page, accelerator: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => navigate(page),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        go('Keys', 'keys', 'CmdOrCtrl+1'),
        go('Audit', 'audit', 'CmdOrCtrl+2'),
        go('Rotations', 'rotations', 'CmdOrCtrl+3'),
        go('Leak scan', 'scan', 'CmdOrCtrl+4'),
        go('Settings', 'settings', 'CmdOrCtrl+,'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
  return Menu.buildFromTemplate(template);
}
