// `npm start`: builds and opens the desktop app on the embedded platform. Where there is no
// Electron binary, says so and how to see the UI anyway.
import { execFileSync, spawn } from 'node:child_process';
import { electronBinary } from './electron-binary';
import { buildElectronNative, electronNativeIsCurrent } from './electron-native';

const binary = electronBinary();
if ('missing' in binary) {
  console.error(`Keyhold cannot open its window here: ${binary.missing}.
  - To install Electron where downloads work: node node_modules/electron/install.js, then npm start.
  - To use the UI without Electron: npm run preview:ui, then open the address it prints in a browser
    (the same renderer on the same main-process services, over loopback instead of Electron IPC).`);
  process.exit(1);
}

if (!electronNativeIsCurrent()) buildElectronNative();
execFileSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
const child = spawn('npx', ['electron-vite', 'preview', '--skipBuild'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
