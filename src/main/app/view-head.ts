// A saved view's first rows, worked out in main over every key: the window opens on the view's
// true answer at once instead of waiting for every key to arrive (about half a second at 100,000
// keys). The same code as the window's view store (shared/key-view.ts), so the rows are the same.
// Run in a worker thread (view-head-worker.ts): parsing and sorting 100,000 keys would hold main's
// event loop, which serves the window's files and calls while it starts.
import { Worker } from 'node:worker_threads';
import { type AuditPolicy, audit, type Environment } from '../../shared/audit';
import type { Account, ApiKey } from '../../shared/domain';
import type { SavedView, ViewHead } from '../../shared/ipc/window-data';
import { type KeyColumns, keysOfColumns } from '../../shared/key-columns';
import { type IndexedKey, indexKey } from '../../shared/key-index';
import { filtersAndSort, viewRows } from '../../shared/key-view';
import type { ViewHeadReply } from './view-head-worker';
import { type WorkerFile, workerFile } from './worker-file';

export interface ViewHeadInput {
  /** Every key, as the JSON text of KeyColumns. */
  columns: string;
  accounts: Account[];
  view: SavedView;
  policy: AuditPolicy;
  environments: Record<string, Environment>;
  now: number;
  /** Rows to answer with. */
  size: number;
}

/** The view's first rows, in order, and its counts. */
export interface ViewHeadAnswer {
  keys: ApiKey[];
  view: ViewHead;
}

export function viewHead(input: ViewHeadInput): ViewHeadAnswer {
  const { accounts, environments, policy, now } = input;
  const entries = keysOfColumns(JSON.parse(input.columns) as KeyColumns).map((key) => indexKey(key, now));
  const { filters, sort } = filtersAndSort(input.view);
  // Flags come from the audit of every key (duplicates and account sizes look across keys).
  const ruleBits = filters.flag
    ? audit({ accounts, keys: entries.map((entry) => entry.key), environments }, policy, now).ruleBitsByKey()
    : new Uint16Array(0);
  const { rows } = viewRows({ entries, accounts, ruleBits }, filters, sort);
  const head = Array.from(rows.subarray(0, input.size));
  return {
    keys: head.map((position) => (entries[position] as IndexedKey).key),
    view: {
      matches: rows.length,
      total: entries.length,
      rule_bits: filters.flag ? head.map((position) => ruleBits[position] ?? 0) : null,
    },
  };
}

/** Answers a view once its input is ready; started before, so what it takes to start overlaps the reading. */
export type ViewHeadOf = (input: Promise<ViewHeadInput>) => Promise<ViewHeadAnswer>;

/** viewHead in a worker thread of its own, started at once (it takes 40-100 ms to start). */
export function viewHeadInWorker(worker: WorkerFile = workerFile('view-head-worker')): ViewHeadOf {
  return (input) =>
    new Promise((resolve, reject) => {
      const thread = new Worker(worker.file, { execArgv: worker.execArgv });
      const finish = (outcome: () => void) => {
        void thread.terminate();
        outcome();
      };
      thread.once('message', (reply: ViewHeadReply) =>
        finish(() => (reply.ok ? resolve(reply.head) : reject(new Error(reply.message)))),
      );
      thread.once('error', (error) => finish(() => reject(error)));
      input.then(
        (ready) => thread.postMessage(ready),
        (error: unknown) => finish(() => reject(error)),
      );
    });
}
