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
  run(inventory: AuditInventory, policy: AuditPolicy, now: number): void;
  /** No audit (yet); `ruleBits`: flags found elsewhere (main's, on a saved view's first rows). */
  clear(ruleBits?: number[] | null): void;
}

const EMPTY = {
  result: null,
  ruleBits: new Uint16Array(0),
  summary: { critical: 0, warning: 0, info: 0 },
  expiringCount: 0,
};

export const useAuditStore = create<AuditStoreState>((set) => ({
  ...EMPTY,
  run(inventory, policy, now) {
    const result = audit(inventory, policy, now);
    const ruleBits = result.ruleBitsByKey();
    const expiring = ruleBit('expiring');
    let expiringCount = 0;
    for (const bits of ruleBits) if (bits & expiring) expiringCount++;
    set({ result, ruleBits, summary: result.summary(), expiringCount });
  },
  clear(ruleBits) {
    set(ruleBits ? { ...EMPTY, ruleBits: Uint16Array.from(ruleBits) } : EMPTY);
  },
}));
