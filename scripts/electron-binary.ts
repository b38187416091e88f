// Finds the Electron binary without require('electron'): since Electron 45 that require downloads
// the binary on first use, which must not happen behind the user's back (or hang offline).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ELECTRON_DIR = resolve(__dirname, '../node_modules/electron');

export function electronBinary(): { path: string } | { missing: string } {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(ELECTRON_DIR)) return { missing: "the electron package is not installed (run 'npm run setup')" };
  if (!existsSync(pathFile)) {
    return {
      missing: 'the Electron binary was never downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or offline)',
    };
  }
  const binary = join(ELECTRON_DIR, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary is not at ${binary}` };
}
