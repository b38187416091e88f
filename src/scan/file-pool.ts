// Worker threads that scan, one per core: each takes a folder at a time and answers with its
// hits and subfolders. The bundled worker file sits next to the bundle (the app's out/main, the CLI's out/cli);
// from the sources it runs through tsx.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FolderScan } from './scan-folder';
import type { ScanTask, ScanTaskResult } from './scan-worker';

export function defaultScanWorker(): { file: string; execArgv: string[] } {
  for (const name of ['scan-worker.js', 'scan-worker.cjs']) {
    const built = join(__dirname, name);
    if (existsSync(built)) return { file: built, execArgv: [] };
  }
  // Resolved here: the scan may run from any folder, where `tsx/cjs` alone would not be found.
  return { file: join(__dirname, 'scan-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

interface Pending {
  resolve(result: FolderScan): void;
  reject(error: Error): void;
}

export class FilePool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Array<{ task: ScanTask; pending: Pending }> = [];
  private readonly waiting = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    private readonly maxBytes: number,
    size = availableParallelism(),
    worker = defaultScanWorker(),
  ) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const thread = new Worker(worker.file, { execArgv: worker.execArgv });
      thread.on('message', ({ id, ...result }: ScanTaskResult) => {
        this.waiting.get(id)?.resolve(result);
        this.waiting.delete(id);
        this.release(thread);
      });
      thread.on('error', (error) => this.fail(error));
      this.workers.push(thread);
      this.idle.push(thread);
    }
  }

  scan(path: string, isFolder: boolean): Promise<FolderScan> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const task: ScanTask = { id: this.nextId++, path, isFolder, maxBytes: this.maxBytes };
      this.queue.push({ task, pending: { resolve, reject } });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private release(worker: Worker): void {
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker;
      const { task, pending } = this.queue.shift() as { task: ScanTask; pending: Pending };
      this.waiting.set(task.id, pending);
      worker.postMessage(task);
    }
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const pending of this.waiting.values()) pending.reject(error);
    for (const { pending } of this.queue.splice(0)) pending.reject(error);
    this.waiting.clear();
  }
}
