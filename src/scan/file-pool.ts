// The threads that walk a scan's folders: this one and a worker thread per other core. A task is
// one folder (its files scanned, its subfolders queued as tasks of their own) or one file.
// Workers take about 40 ms to start (long for a small scan) and this thread has little else to
// do, so it scans too, in slices of a few milliseconds between turns of its event loop (so the
// workers' answers are still handled). Each worker holds two tasks, so it starts the next while
// its answer travels back.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type FolderScan, scanPath } from './scan-folder';
import type { ScanTask, ScanTaskResult } from './scan-worker';

export function defaultScanWorker(): { file: string; execArgv: string[] } {
  for (const name of ['scan-worker.js', 'scan-worker.cjs']) {
    const built = join(__dirname, name);
    if (existsSync(built)) return { file: built, execArgv: [] };
  }
  // Resolved here: the scan may run from any folder, where `tsx/cjs` alone would not be found.
  return { file: join(__dirname, 'scan-worker.ts'), execArgv: ['--require', require.resolve('tsx/cjs')] };
}

const TASKS_PER_WORKER = 2;
const SLICE_MS = 2;

export interface WalkStart {
  path: string;
  isFolder: boolean;
  /** The real folder every file under this start must be inside (a file swapped for a link is not). */
  within: string;
}

interface Walk {
  onResult(path: string, result: FolderScan): void;
  signal?: AbortSignal;
  resolve(): void;
  reject(error: Error): void;
}

export class FilePool {
  private readonly workers: Worker[] = [];
  /** A worker once per task it can take now (up to TASKS_PER_WORKER). */
  private readonly places: Worker[] = [];
  private readonly queue: ScanTask[] = [];
  /** Tasks given to workers, by id, until they answer. */
  private readonly posted = new Map<number, ScanTask>();
  private nextId = 0;
  private walking: Walk | null = null;
  private scanningHere = false;

  constructor(
    private readonly maxBytes: number,
    /** Threads that scan, this one included. */
    threads = availableParallelism(),
    worker = defaultScanWorker(),
  ) {
    for (let i = 1; i < threads; i++) {
      const thread = new Worker(worker.file, { execArgv: worker.execArgv });
      thread.on('message', ({ id, ...result }: ScanTaskResult) => {
        const task = this.posted.get(id) as ScanTask;
        this.posted.delete(id);
        this.places.push(thread);
        this.answer(task, result);
        this.dispatch();
      });
      thread.on('error', (error) => this.fail(error));
      // Only a running worker is given tasks: until then this thread takes them.
      thread.once('online', () => {
        for (let place = 0; place < TASKS_PER_WORKER; place++) this.places.push(thread);
        this.dispatch();
      });
      this.workers.push(thread);
    }
  }

  /**
   * Scans the starts and every folder under them, telling onResult each task's answer; resolves
   * when all are done (after an abort: when the tasks already under way are). One walk at a time.
   */
  walk(starts: WalkStart[], onResult: Walk['onResult'], signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      this.walking = { onResult, signal, resolve, reject };
      for (const start of starts) this.enqueue(start.path, start.isFolder, start.within);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private enqueue(path: string, isFolder: boolean, within: string): void {
    this.queue.push({ id: this.nextId++, path, isFolder, maxBytes: this.maxBytes, within });
  }

  private answer(task: ScanTask, result: FolderScan): void {
    const walk = this.walking;
    if (!walk) return;
    walk.onResult(task.path, result);
    for (const folder of result.folders) this.enqueue(folder, true, task.within);
  }

  private dispatch(): void {
    const walk = this.walking;
    if (!walk) return;
    if (walk.signal?.aborted) this.queue.length = 0;
    while (this.places.length > 0 && this.queue.length > 0) {
      const worker = this.places.shift() as Worker;
      const task = this.queue.shift() as ScanTask;
      this.posted.set(task.id, task);
      worker.postMessage(task);
    }
    if (this.queue.length > 0 && !this.scanningHere) {
      this.scanningHere = true;
      setImmediate(() => this.scanHere());
    }
    if (this.queue.length === 0 && this.posted.size === 0 && !this.scanningHere) {
      this.walking = null;
      walk.resolve();
    }
  }

  /** Queued tasks in this thread for one slice of time, then back to the event loop. */
  private scanHere(): void {
    this.scanningHere = false;
    const until = performance.now() + SLICE_MS;
    while (this.walking && this.queue.length > 0 && !this.walking.signal?.aborted) {
      const task = this.queue.shift() as ScanTask;
      this.answer(task, scanPath(task));
      if (performance.now() >= until) break;
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    const walk = this.walking;
    this.walking = null;
    this.queue.length = 0;
    this.posted.clear();
    walk?.reject(error);
  }
}
