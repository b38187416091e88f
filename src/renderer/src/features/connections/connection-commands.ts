// Changing the active connection, as the window does it: main switches, then the window opens that
// connection's inventory. Resolves once the new inventory's first slice is in.
import type { ConnectionInfo } from '../../../../shared/ipc/window-data';
import { useConnectionStore } from '../../stores/connection-store';
import { useInventoryStore } from '../../stores/inventory-store';

export async function switchConnection(id: string): Promise<void> {
  await useConnectionStore.getState().switchTo(id);
  await useInventoryStore.getState().load();
}

export async function addConnection(input: {
  name: string;
  base_url: string;
  api_key: string;
}): Promise<ConnectionInfo> {
  const added = await useConnectionStore.getState().add(input);
  await useInventoryStore.getState().load();
  return added;
}

export async function removeConnection(id: string): Promise<void> {
  await useConnectionStore.getState().remove(id);
  await useInventoryStore.getState().load();
}
