// Reads an inventory file in a worker thread, so a large import neither blocks the main process's
// event loop (the window's other calls keep being answered) nor goes without progress.
import { parentPort } from 'node:worker_threads';
import { InventoryFileError, parseInventoryFile } from '../../shared/report/inventory-file';

export type WorkerReply =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; snapshot: ReturnType<typeof parseInventoryFile> }
  | { type: 'refused'; message: string }
  | { type: 'failed'; message: string };

parentPort?.once('message', ({ fileName, content }: { fileName: string; content: string }) => {
  const reply = (message: WorkerReply) => parentPort?.postMessage(message);
  try {
    const snapshot = parseInventoryFile(fileName, content, (done, total) => reply({ type: 'progress', done, total }));
    reply({ type: 'done', snapshot });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply(error instanceof InventoryFileError ? { type: 'refused', message } : { type: 'failed', message });
  }
});
