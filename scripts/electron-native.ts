// Builds the native modules (better-sqlite3, keytar) for Electron's ABI into .electron-native/,
// leaving node_modules built for Node so tests and the server keep working. The app loads the
// .node files from here (src/main/electron/native-modules.ts); nothing else changes.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const TARGET = join(ROOT, '.electron-native');
const MODULES = ['better-sqlite3', 'keytar'];
const STAMP = join(TARGET, 'built-for.json');

export function electronVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
    .version;
}

export function electronNativeIsCurrent(): boolean {
  if (!existsSync(STAMP)) return false;
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as { electron: string };
  return stamp.electron === electronVersion();
}

export function buildElectronNative(): void {
  const version = electronVersion();
  const nodeGyp = join(ROOT, 'node_modules/node-gyp/bin/node-gyp.js');
  rmSync(TARGET, { recursive: true, force: true });
  for (const name of MODULES) {
    const destination = join(TARGET, 'node_modules', name);
    // Copies live inside the project, so their own require()s still resolve from ./node_modules.
    cpSync(join(ROOT, 'node_modules', name), destination, {
      recursive: true,
      filter: (path) => !path.includes(`${name}/build`),
    });
    console.log(`electron-native: building ${name} for Electron ${version}`);
    execFileSync(
      process.execPath,
      [
        nodeGyp,
        'rebuild',
        '--release',
        '--runtime=electron',
        `--target=${version}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      { cwd: destination, stdio: 'inherit' },
    );
  }
  writeFileSync(STAMP, JSON.stringify({ electron: version }));
}

if (require.main === module) buildElectronNative();
