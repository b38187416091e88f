// The keys ticked in the key table, for a bulk action.
import { create } from 'zustand';

interface SelectionState {
  ids: ReadonlySet<string>;
  toggle(id: string, on: boolean): void;
  setMany(ids: string[], on: boolean): void;
  clear(): void;
}

export const useSelectionStore = create<SelectionState>((set, get) => ({
  ids: new Set(),
  toggle(id, on) {
    get().setMany([id], on);
  },
  setMany(ids, on) {
    const next = new Set(get().ids);
    for (const id of ids) on ? next.add(id) : next.delete(id);
    set({ ids: next });
  },
  clear() {
    set({ ids: new Set() });
  },
}));
