// Where the window's inventory is in its loading, as one value: asked for; held (its saved view
// needs every key and main could not answer it); its head (the first rows, the saved view's when
// main worked it out, with main's counts); complete (every key); or failed. Main writes every key
// while the window draws the head, so a large inventory spends about half a second there.
//
// The head's rows are kept here, never in the store's `entries`: `entries` is every key or none,
// so what grades against it (the audit, the leak scan, the account counts) never mistakes the
// first rows for the inventory.
import type { InventoryHead, ViewHead } from '../../../shared/ipc/window-data';
import type { IndexedKey } from '../../../shared/key-index';
import { needsEveryKey } from '../../../shared/key-view';

export type LoadStage =
  | { readonly kind: 'idle' }
  | { readonly kind: 'asking' }
  | { readonly kind: 'holding' }
  | { readonly kind: 'head'; readonly rows: IndexedKey[]; readonly view: ViewHead | null }
  | { readonly kind: 'complete' }
  | { readonly kind: 'failed'; readonly message: string };

export const IDLE: LoadStage = { kind: 'idle' };
export const ASKING: LoadStage = { kind: 'asking' };
export const COMPLETE: LoadStage = { kind: 'complete' };

/** What main's head makes of the load (`rows`: its keys, indexed). */
export function afterHead(head: InventoryHead, rows: IndexedKey[]): LoadStage {
  if (head.complete) return COMPLETE;
  // A partial answer to a view that filters or sorts would read as "no matches": wait for every key.
  if (head.view === null && needsEveryKey(head.connection.last_view)) return { kind: 'holding' };
  return { kind: 'head', rows, view: head.view };
}

export const isComplete = (stage: LoadStage): boolean => stage.kind === 'complete';

/** Rows can be on screen: the head or every key is in. */
export const isShowing = (stage: LoadStage): boolean => stage.kind === 'head' || stage.kind === 'complete';

/** Nothing to show yet, and something on its way. */
export const isWaiting = (stage: LoadStage): boolean => stage.kind === 'asking' || stage.kind === 'holding';

/** The keys on screen: the head's rows while only they are in, else every key. */
export const shownEntries = (stage: LoadStage, entries: IndexedKey[]): IndexedKey[] =>
  stage.kind === 'head' ? stage.rows : entries;

/** How many keys the inventory holds: main's count while only the head is in. */
export const totalOf = (stage: LoadStage, entries: IndexedKey[]): number =>
  stage.kind === 'head' ? (stage.view?.total ?? stage.rows.length) : entries.length;

/** The flags main found on the head's rows (a saved view on a flag), until the audit has every key. */
export const headRuleBits = (stage: LoadStage): number[] | null =>
  stage.kind === 'head' ? (stage.view?.rule_bits ?? null) : null;

/** How many keys the saved view matches, as main counted them over every key (null: the rows say). */
export const headMatches = (stage: LoadStage): number | null =>
  stage.kind === 'head' ? (stage.view?.matches ?? null) : null;

/** The head with its rows changed (an edit made while every key is on its way). */
export const withRows = (stage: LoadStage, rows: IndexedKey[]): LoadStage =>
  stage.kind === 'head' ? { ...stage, rows } : stage;
