// What the other stores do when the inventory changes, decided from the change alone (a pure
// function, so each case is a unit test): wiring.ts carries it out.
import type { IndexedKey } from '../../../shared/key-index';
import { isComplete, isShowing, isWaiting, type LoadStage, shownEntries } from './inventory-load';
import type { OneKeyChange } from './inventory-store';

/** The parts of the inventory's state the decision reads. */
export interface InventoryMoment {
  stage: LoadStage;
  entries: IndexedKey[];
  accounts: unknown;
  environments: unknown;
  syncing: boolean;
  oneKeyChange: OneKeyChange | null;
}

export interface InventoryReaction {
  /** Audit now, after the rows are drawn (`later`), or leave the audit as it is. */
  audit: 'now' | 'later' | 'none';
  /**
   * Only the key at this position changed, in place: the audit and the view may redo it alone
   * (null: redo everything the audit and the view read).
   */
  onlyKey: number | null;
  /** Read the keys' use again (every key has arrived, or a sync ended). */
  loadUse: boolean;
  /** An inventory just opened: restore its saved view (else the view follows any change). */
  openView: boolean;
  followView: boolean;
}

/** The inventory just opened: its head or every key came after nothing was shown. */
export const opens = (before: InventoryMoment, now: InventoryMoment): boolean =>
  isWaiting(before.stage) && isShowing(now.stage);

/**
 * `flag`: the flag the table filters on (the saved view's when it opens). An inventory that opens
 * whole, or whose every key has just arrived, draws its rows first and its flags a moment later
 * (the audit of 100,000 keys takes a tenth of a second or more), unless the table filters on a
 * flag: it would show no rows until the audit ran.
 */
export function inventoryReaction(
  before: InventoryMoment,
  now: InventoryMoment,
  flag: string | null | undefined,
): InventoryReaction {
  const opened = opens(before, now);
  const completed = isComplete(now.stage) && !isComplete(before.stage);
  const sameAround = now.accounts === before.accounts && now.environments === before.environments;
  const changed =
    !sameAround ||
    completed ||
    now.entries !== before.entries ||
    shownEntries(now.stage, now.entries) !== shownEntries(before.stage, before.entries);
  const whole = isComplete(now.stage) && (opened || completed);
  const one = now.oneKeyChange;
  const onlyKey =
    one && one.from === before.entries && now.entries !== before.entries && sameAround && now.stage === before.stage
      ? one.position
      : null;
  return {
    audit: !changed ? 'none' : whole && !flag ? 'later' : 'now',
    onlyKey,
    loadUse: whole || (before.syncing && !now.syncing),
    openView: opened,
    followView: !opened && changed,
  };
}
