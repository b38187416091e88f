export interface AppInfo {
  name: string;
  version: string;
  /** Where the app keeps its database and settings. */
  dataDir: string;
  platform: string;
  arch: string;
  /** What runs the main-process services: the Electron shell or the loopback test harness. */
  host: 'electron' | 'harness';
  versions: { node: string; electron: string | null; chrome: string | null };
}

export type Page = 'keys' | 'audit' | 'rotations' | 'scan' | 'settings';
export const PAGES = ['keys', 'audit', 'rotations', 'scan', 'settings'] as const satisfies readonly Page[];
