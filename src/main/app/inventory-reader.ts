// Runs inventory-worker.ts for each import. The app passes the bundled worker; from the sources
// (tests, the UI preview) the TypeScript file runs through tsx.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { InventoryFileError, type InventorySnapshot, type ParseProgress } from '../../shared/report/inventory-file';
import type { WorkerReply } from './inventory-worker';

export type ReadInventory = (
  fileName: string,
  content: string,
  onProgress: ParseProgress,
) => Promise<InventorySnapshot>;

/** The worker next to this module: built JavaScript in the app, TypeScript in the sources. */
export function defaultWorkerFile(): { file: string; execArgv: string[] } {
  const built = join(__dirname, 'inventory-worker.js');
  if (existsSync(built)) return { file: built, execArgv: [] };
  return { file: join(__dirname, 'inventory-worker.ts'), execArgv: ['--require', 'tsx/cjs'] };
}

export function workerInventoryReader(worker = defaultWorkerFile()): ReadInventory {
  return (fileName, content, onProgress) =>
    new Promise((resolve, reject) => {
      const thread = new Worker(worker.file, { execArgv: worker.execArgv });
      const finish = (outcome: () => void) => {
        void thread.terminate();
        outcome();
      };
      thread.on('message', (reply: WorkerReply) => {
        if (reply.type === 'progress') onProgress(reply.done, reply.total);
        else if (reply.type === 'done') finish(() => resolve(reply.snapshot));
        else if (reply.type === 'refused') finish(() => reject(new InventoryFileError(reply.message)));
        else finish(() => reject(new AppError('internal', `Reading the file failed: ${reply.message}`)));
      });
      thread.on('error', (error) =>
        finish(() => reject(new AppError('internal', `Reading the file failed: ${error.message}`))),
      );
      thread.postMessage({ fileName, content });
    });
}
