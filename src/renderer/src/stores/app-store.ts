import { create } from 'zustand';
import type { AppInfo, Page } from '../../../shared/app-info';
import { errorMessage, ipc } from '../ipc';

interface AppState {
  page: Page;
  info: AppInfo | null;
  infoError: string | null;
  setPage(page: Page): void;
  loadInfo(): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  page: 'keys',
  info: null,
  infoError: null,
  setPage: (page) => set({ page }),
  async loadInfo() {
    try {
      set({ info: await ipc.app.info(), infoError: null });
    } catch (error) {
      set({ infoError: errorMessage(error) });
    }
  },
}));
