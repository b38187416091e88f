// A worker thread of the scan: takes batches of file paths, answers with their hits.
import { parentPort } from 'node:worker_threads';
import { type FileScan, scanFile } from './scan-file';

export interface ScanBatch {
  id: number;
  paths: string[];
  maxBytes: number;
}

export interface ScanBatchResult {
  id: number;
  files: FileScan[];
}

parentPort?.on('message', ({ id, paths, maxBytes }: ScanBatch) => {
  const files = paths.map((path) => scanFile(path, maxBytes));
  parentPort?.postMessage({ id, files } satisfies ScanBatchResult);
});
