// A leak scan of the app, in a worker thread of its own, so the walk and the git history never
// hold the main process's event loop (the files themselves go to the scan's own worker threads).
// Messages out: progress, then one of done, cancelled, failed. A `cancel` message stops it.
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_MAX_FILE_BYTES, scanPaths } from '../../scan/scan';
import type { RawScanReport, ScanProgress } from '../../shared/scan/findings';

export interface ScanJobInput {
  paths: string[];
  gitHistory: boolean;
}

export type ScanJobMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'done'; report: RawScanReport }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string };

const input = workerData as ScanJobInput;
const controller = new AbortController();
const post = (message: ScanJobMessage) => parentPort?.postMessage(message);
parentPort?.on('message', (message: unknown) => {
  if (message === 'cancel') controller.abort();
});

scanPaths({
  paths: input.paths,
  gitHistory: input.gitHistory,
  staged: false,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  signal: controller.signal,
  onProgress: (progress) => post({ type: 'progress', progress }),
}).then(
  (report) => post(controller.signal.aborted ? { type: 'cancelled' } : { type: 'done', report }),
  (error: unknown) =>
    post(
      controller.signal.aborted
        ? { type: 'cancelled' }
        : { type: 'failed', message: error instanceof Error ? error.message : String(error) },
    ),
);
