import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads the OS keychain independently of the app, as a person would with secret-tool. */
export function secretToolLookup(account: string, service = 'keyhold'): string | null {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', service, 'account', account], { encoding: 'utf8' });
  } catch {
    return null; // secret-tool exits 1 when nothing matches
  }
}

/** Every SQLite file the app writes in its data folder, with their write-ahead logs. */
export function dataFilesContaining(dataDir: string, needle: string): string[] {
  const files = ['platform.db', 'platform.db-wal', 'app-state.db', 'app-state.db-wal'].map((name) =>
    join(dataDir, name),
  );
  return files.filter((file) => existsSync(file) && readFileSync(file).toString('latin1').includes(needle));
}
