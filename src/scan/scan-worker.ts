// A worker thread of the scan: takes a folder (or a single file), answers with what it found.
import { parentPort } from 'node:worker_threads';
import { type FolderScan, scanPath } from './scan-folder';

export interface ScanTask {
  id: number;
  path: string;
  isFolder: boolean;
  maxBytes: number;
  /** The real folder its files must be inside. */
  within: string;
}

export interface ScanTaskResult extends FolderScan {
  id: number;
}

parentPort?.on('message', (task: ScanTask) => {
  parentPort?.postMessage({ id: task.id, ...scanPath(task) } satisfies ScanTaskResult);
});
