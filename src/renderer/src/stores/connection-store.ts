import { create } from 'zustand';
import type { ConnectionInfo } from '../../../shared/ipc/window-data';
import { errorMessage, ipc } from '../ipc';
import { useInventoryStore } from './inventory-store';

interface ConnectionState {
  connections: ConnectionInfo[];
  activeId: string | null;
  error: string | null;
  load(): Promise<void>;
  switchTo(id: string): Promise<void>;
  add(input: { name: string; base_url: string; api_key: string }): Promise<ConnectionInfo>;
  remove(id: string): Promise<void>;
}

export const useConnectionStore = create<ConnectionState>((set) => ({
  connections: [],
  activeId: null,
  error: null,
  async load() {
    try {
      const list = await ipc.connections.list();
      set({ connections: list.connections, activeId: list.active_id, error: null });
    } catch (error) {
      set({ error: errorMessage(error) });
    }
  },
  async switchTo(id) {
    const list = await ipc.connections.switch({ id });
    set({ connections: list.connections, activeId: list.active_id });
    await useInventoryStore.getState().load();
  },
  async add(input) {
    const added = await ipc.connections.add(input);
    const list = await ipc.connections.switch({ id: added.id });
    set({ connections: list.connections, activeId: list.active_id });
    await useInventoryStore.getState().load();
    return added;
  },
  async remove(id) {
    const list = await ipc.connections.remove({ id });
    set({ connections: list.connections, activeId: list.active_id });
    await useInventoryStore.getState().load();
  },
}));
