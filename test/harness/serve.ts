// `npm run preview:ui`: the app's UI in any browser, on the real services, without Electron.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startHarness } from './harness';

async function main(): Promise<void> {
  const dataDir = resolve(process.env.KEYHOLD_DATA_DIR ?? '.keyhold-preview');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 }); // as the app's: its databases are 0600
  const harness = await startHarness({ dataDir, port: Number(process.env.PORT ?? 5178) });
  console.log(`Keyhold UI preview on ${harness.url} (data in ${dataDir}). Ctrl+C stops it.`);
  const stop = () => void harness.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
