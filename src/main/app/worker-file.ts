// Where main's worker threads start from: the built JavaScript next to main's bundle in the app
// (electron.vite.config.ts builds each as its own entry), the TypeScript through tsx from the
// sources (tests, the UI harness).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerFile {
  file: string;
  execArgv: string[];
}

/** `name`: the worker's module in this folder, without extension. */
export function workerFile(name: string): WorkerFile {
  const built = join(__dirname, `${name}.js`);
  if (existsSync(built)) return { file: built, execArgv: [] };
  // Resolved here: the app may run from any folder, where `tsx/cjs` alone would not be found.
  return { file: join(__dirname, `${name}.ts`), execArgv: ['--require', require.resolve('tsx/cjs')] };
}
