import type { AppInfo } from '../../src/shared/app-info';

/** What the app says about itself in tests that build it without Electron. */
export const testAppInfo = (dataDir: string): AppInfo => ({
  name: 'Keyhold',
  version: '0.0.0',
  dataDir,
  platform: 'linux',
  arch: 'x64',
  host: 'harness',
  versions: { node: '', electron: null, chrome: null },
});
