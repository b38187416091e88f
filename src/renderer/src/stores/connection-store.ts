// The connections the app knows and which one is active, as main has them. Opening the active
// connection's inventory after a change is the connection commands' job (connection-commands.ts).
import { create } from 'zustand';
import type { ConnectionInfo } from '../../../shared/ipc/window-data';
import { errorMessage, ipc } from '../ipc';

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
  },
  async add(input) {
    const added = await ipc.connections.add(input);
    const list = await ipc.connections.switch({ id: added.id });
    set({ connections: list.connections, activeId: list.active_id });
    return added;
  },
  async remove(id) {
    const list = await ipc.connections.remove({ id });
    set({ connections: list.connections, activeId: list.active_id });
  },
}));
