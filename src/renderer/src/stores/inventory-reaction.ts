// What the other stores do when the inventory changes, decided from the change alone (a pure
// function, so each case is a unit test): wiring.ts carries it out.

/** The parts of the inventory's state the decision reads. */
export interface InventoryMoment {
  phase: string;
  entries: unknown;
  accounts: unknown;
  environments: unknown;
  complete: boolean;
  syncing: boolean;
}

export interface InventoryReaction {
  /** Audit now, after the rows are drawn (`later`), or leave the audit as it is. */
  audit: 'now' | 'later' | 'none';
  /** Read the keys' use again (every key has arrived, or a sync ended). */
  loadUse: boolean;
  /** An inventory just opened: restore its saved view (else the view follows any change). */
  openView: boolean;
  followView: boolean;
}

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
  const opened = before.phase === 'loading' && now.phase === 'ready';
  const changed =
    now.entries !== before.entries ||
    now.accounts !== before.accounts ||
    now.environments !== before.environments ||
    now.complete !== before.complete;
  const whole = now.complete && (opened || !before.complete);
  return {
    audit: !changed ? 'none' : whole && !flag ? 'later' : 'now',
    loadUse: whole || (before.syncing && !now.syncing),
    openView: opened,
    followView: !opened && changed,
  };
}
