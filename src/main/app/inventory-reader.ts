// Runs inventory-worker.ts for each import, in a worker thread of its own.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import { InventoryFileError, type InventorySnapshot, type ParseProgress } from '../../shared/report/inventory-file';
import type { WorkerReply } from './inventory-worker';
import { workerFile } from './worker-file';

export type ReadInventory = (
  fileName: string,
  content: string,
  onProgress: ParseProgress,
) => Promise<InventorySnapshot>;

export function workerInventoryReader(worker = workerFile('inventory-worker')): ReadInventory {
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
