// What the window does once, before React draws anything: wire the stores together and ask main
// for what the first screen needs. Asked here rather than in the shell's effect, so main reads the
// inventory while React builds the page (the requests leave about a quarter of a second sooner).
// The stores live as long as the window: nothing here is undone.
import { useAppStore } from './app-store';
import { useConnectionStore } from './connection-store';
import { useInventoryStore } from './inventory-store';
import { usePolicyStore } from './policy-store';
import { wireStores } from './wiring';
import { useWorkflowStore } from './workflow-store';

export function startStores(): void {
  wireStores();
  void useInventoryStore.getState().load(); // first: the largest answer, and the first screen's
  void useAppStore.getState().loadInfo();
  void useConnectionStore.getState().load();
  void usePolicyStore.getState().load();
  void useWorkflowStore.getState().load();
}
