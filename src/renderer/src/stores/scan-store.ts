// The Leak scan page's state: the folders asked for, the scan under way and its progress, and the
// last result as main sent it (public ids and places; the inventory grades it in the page).
import { create } from 'zustand';
import type { EventPayload } from '../../../shared/ipc/contract';
import type { RawScanReport, ScanProgress } from '../../../shared/scan/findings';
import { errorMessage, ipc } from '../ipc';

type Status = 'idle' | 'running' | 'done' | 'cancelled' | 'failed';

interface ScanState {
  folders: string;
  gitHistory: boolean;
  status: Status;
  scanId: string | null;
  progress: ScanProgress | null;
  report: RawScanReport | null;
  error: string | null;
  setFolders(folders: string): void;
  setGitHistory(gitHistory: boolean): void;
  start(): Promise<void>;
  cancel(): Promise<void>;
  progressed(event: EventPayload<'scan:progress'>): void;
  finished(event: EventPayload<'scan:done'>): void;
}

/** One folder per line; blank lines ignored. */
export const foldersOf = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

export const useScanStore = create<ScanState>((set, get) => ({
  folders: '',
  gitHistory: true,
  status: 'idle',
  scanId: null,
  progress: null,
  report: null,
  error: null,
  setFolders: (folders) => set({ folders }),
  setGitHistory: (gitHistory) => set({ gitHistory }),
  async start() {
    set({ status: 'running', scanId: null, progress: null, report: null, error: null });
    try {
      const { scan_id } = await ipc.scan.start({ paths: foldersOf(get().folders), git_history: get().gitHistory });
      if (get().status === 'running') set({ scanId: scan_id });
    } catch (error) {
      set({ status: 'failed', error: errorMessage(error) });
    }
  },
  async cancel() {
    await ipc.scan.cancel().catch(() => {});
  },
  progressed({ scan_id, ...progress }) {
    if (get().status === 'running' && (get().scanId === null || get().scanId === scan_id)) set({ progress });
  },
  finished({ scan_id, outcome, report, error }) {
    if (get().scanId !== null && get().scanId !== scan_id) return;
    set({ status: outcome, report, error, scanId: null });
  },
}));
