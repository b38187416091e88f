// The audit of the loaded inventory under the current policy, with what the navigation, the
// title and the table's flags read of it. Recomputed by the store wiring (wiring.ts) whenever the
// keys, the accounts, the environments or the policy change.
import { create } from 'zustand';
import {
  type AuditInventory,
  type AuditPolicy,
  type AuditResult,
  audit,
  ruleBit,
  type Severity,
} from '../../../shared/audit';

interface AuditStoreState {
  result: AuditResult | null;
  /** `ruleBits[i]`: the rules that found something on the inventory's key i. */
  ruleBits: Uint16Array;
  summary: Record<Severity, number>;
  expiringCount: number;
  /** The policy of the last audit. */
  policy: AuditPolicy | null;
  run(inventory: AuditInventory, policy: AuditPolicy, now: number): void;
  /**
   * The inventory changed in the key at `position` only: that key audited again (at the last
   * audit's time), or everything when the change is more than that (AuditResult.withKeyRedone).
   */
  redoKey(inventory: AuditInventory, policy: AuditPolicy, now: number, position: number): void;
  /** No audit (yet); `ruleBits`: flags found elsewhere (main's, on a saved view's first rows). */
  clear(ruleBits?: number[] | null): void;
}

const EMPTY = {
  result: null,
  ruleBits: new Uint16Array(0),
  summary: { critical: 0, warning: 0, info: 0 },
  expiringCount: 0,
  policy: null,
};

export const useAuditStore = create<AuditStoreState>((set, get) => ({
  ...EMPTY,
  run(inventory, policy, now) {
    const result = audit(inventory, policy, now);
    const ruleBits = result.ruleBitsByKey();
    const expiring = ruleBit('expiring');
    let expiringCount = 0;
    for (const bits of ruleBits) if (bits & expiring) expiringCount++;
    set({ result, ruleBits, summary: result.summary(), expiringCount, policy });
  },
  redoKey(inventory, policy, now, position) {
    const before = get();
    const result = before.policy === policy ? before.result?.withKeyRedone(inventory, position) : null;
    if (!result) return get().run(inventory, policy, now);
    const ruleBits = before.ruleBits.slice();
    ruleBits[position] = result.ruleBitsOf(position);
    const expiring = ruleBit('expiring');
    const expiringCount =
      before.expiringCount +
      ((ruleBits[position] as number) & expiring ? 1 : 0) -
      ((before.ruleBits[position] as number) & expiring ? 1 : 0);
    set({ result, ruleBits, summary: result.summary(), expiringCount });
  },
  clear(ruleBits) {
    set(ruleBits ? { ...EMPTY, ruleBits: Uint16Array.from(ruleBits) } : EMPTY);
  },
}));
