// The Leak scan page's scans: one at a time, each in its own worker thread (scan-job.ts); what it
// finds reaches the window as events, public ids only (a scan never reads a secret out of a file).
import { existsSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';
import type { ScanDone } from '../../shared/scan/findings';
import type { Emit } from './inventory';
import type { ScanJobInput, ScanJobMessage } from './scan-job';
import { workerFile } from './worker-file';

/** A cancelled job gets this long to stop its git and file workers before it is terminated. */
const CANCEL_GRACE_MS = 5000;

export class LeakScans {
  private running: { id: string; worker: Worker } | null = null;
  private nextId = 1;

  constructor(
    private readonly emit: Emit,
    private readonly job = workerFile('scan-job'),
  ) {}

  start(paths: string[], gitHistory: boolean): { scan_id: string } {
    if (this.running) throw new AppError('conflict', 'A scan is already running: wait for it or cancel it.');
    for (const path of paths) {
      if (!isAbsolute(path)) throw new AppError('invalid_request', `paths: "${path}" is not an absolute path`);
      if (!existsSync(path)) throw new AppError('invalid_request', `paths: ${path} does not exist`);
      const stat = statSync(path);
      if (!stat.isDirectory() && !stat.isFile()) {
        throw new AppError('invalid_request', `paths: ${path} is neither a folder nor a file`);
      }
    }
    const id = `scan_${this.nextId++}`;
    const input: ScanJobInput = { paths, gitHistory };
    const worker = new Worker(this.job.file, { workerData: input, execArgv: this.job.execArgv });
    this.running = { id, worker };
    let ended = false;
    const end = (done: ScanDone) => {
      if (ended) return;
      ended = true;
      this.running = null;
      this.emit('scan:done', done);
      void worker.terminate();
    };
    worker.on('message', (message: ScanJobMessage) => {
      if (message.type === 'progress') this.emit('scan:progress', { scan_id: id, ...message.progress });
      else if (message.type === 'done') end({ scan_id: id, outcome: 'done', report: message.report, error: null });
      else if (message.type === 'cancelled') end({ scan_id: id, outcome: 'cancelled', report: null, error: null });
      else end({ scan_id: id, outcome: 'failed', report: null, error: message.message });
    });
    worker.on('error', (error) => end({ scan_id: id, outcome: 'failed', report: null, error: error.message }));
    worker.on('exit', () => end({ scan_id: id, outcome: 'cancelled', report: null, error: null }));
    return { scan_id: id };
  }

  cancel(): { cancelled: boolean } {
    const running = this.running;
    if (!running) return { cancelled: false };
    running.worker.postMessage('cancel');
    setTimeout(() => void running.worker.terminate(), CANCEL_GRACE_MS).unref();
    return { cancelled: true };
  }

  async close(): Promise<void> {
    this.cancel();
    await this.running?.worker.terminate();
  }
}
