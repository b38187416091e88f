// better-sqlite3 and keytar built for Electron's ABI live in .electron-native/ (scripts/electron-native.ts);
// node_modules keeps the builds for Node that tests, server and CLI use.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { app } from 'electron';

const nativeRoot = () => join(app.getAppPath(), '.electron-native', 'node_modules');

/** The better_sqlite3.node built for Electron, when there is one. */
export function sqliteBinding(): string | undefined {
  const file = join(nativeRoot(), 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

/** keytar built for Electron, or the default one (which then fails to load and says why). */
export async function loadKeytar(): Promise<unknown> {
  const copy = join(nativeRoot(), 'keytar');
  if (existsSync(copy)) return createRequire(join(app.getAppPath(), 'package.json'))(copy);
  return import('keytar');
}
