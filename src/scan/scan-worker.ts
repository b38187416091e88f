// A worker thread of the scan: takes a folder (or a single file), answers with what it found.
import { parentPort } from 'node:worker_threads';
import { type FolderScan, scanPath } from './scan-folder';

export interface ScanTask {
  id: number;
  path: string;
  isFolder: boolean;
  maxBytes: number;
}

export interface ScanTaskResult extends FolderScan {
  id: number;
}

parentPort?.on('message', ({ id, path, isFolder, maxBytes }: ScanTask) => {
  parentPort?.postMessage({ id, ...scanPath(path, isFolder, maxBytes) } satisfies ScanTaskResult);
});
