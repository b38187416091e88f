import { create } from 'zustand';

/** Which dialogs are open, and for which key. */
interface UiState {
  detailsKeyId: string | null;
  editKeyId: string | null;
  deleteKeyId: string | null;
  wizardOpen: boolean;
  addConnectionOpen: boolean;
  open(patch: Partial<Omit<UiState, 'open' | 'close'>>): void;
  close(which: 'details' | 'edit' | 'delete' | 'wizard' | 'addConnection'): void;
}

export const useUiStore = create<UiState>((set) => ({
  detailsKeyId: null,
  editKeyId: null,
  deleteKeyId: null,
  wizardOpen: false,
  addConnectionOpen: false,
  open: (patch) => set(patch),
  close: (which) =>
    set(
      {
        details: { detailsKeyId: null },
        edit: { editKeyId: null },
        delete: { deleteKeyId: null },
        wizard: { wizardOpen: false },
        addConnection: { addConnectionOpen: false },
      }[which],
    ),
}));
