// Where the desktop app keeps its data, so the commands find its embedded platform.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The desktop app's data folder, as Electron names it (userData), or KEYHOLD_DATA_DIR. */
export function appDataDir(): string {
  if (process.env.KEYHOLD_DATA_DIR) return process.env.KEYHOLD_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'keyhold');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'keyhold');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'keyhold');
}

/** The app's embedded platform database. */
export const appPlatformDb = (): string => join(appDataDir(), 'platform.db');
