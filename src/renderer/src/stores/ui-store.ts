import { create } from 'zustand';
import { afterKeyRelease } from '../lib/after-key-release';

/** An account dialog: a new subaccount under `parentId`, a new name, or a status change. */
export type AccountDialog =
  | { kind: 'create'; parentId: string }
  | { kind: 'rename'; accountId: string }
  | { kind: 'status'; accountId: string };

/** Which dialogs are open, and for which key or account. */
export interface UiState {
  accountDialog: AccountDialog | null;
  detailsKeyId: string | null;
  editKeyId: string | null;
  deleteKeyId: string | null;
  revokeKeyId: string | null;
  extendKeyId: string | null;
  /** The rotation or incident whose steps are open. */
  workflowId: string | null;
  wizardOpen: boolean;
  addConnectionOpen: boolean;
  /** The `?` panel that lists the keyboard shortcuts. */
  shortcutsOpen: boolean;
  open(patch: Partial<Omit<UiState, 'open' | 'close'>>): void;
  close(
    which:
      | 'details'
      | 'edit'
      | 'delete'
      | 'revoke'
      | 'extend'
      | 'workflow'
      | 'wizard'
      | 'addConnection'
      | 'account'
      | 'shortcuts',
  ): void;
}

export const useUiStore = create<UiState>((set) => ({
  accountDialog: null,
  detailsKeyId: null,
  editKeyId: null,
  deleteKeyId: null,
  revokeKeyId: null,
  extendKeyId: null,
  workflowId: null,
  wizardOpen: false,
  addConnectionOpen: false,
  shortcutsOpen: false,
  // Once the key that asked is released: its press must not also reach the dialog's first control.
  open: (patch) => afterKeyRelease(() => set(patch)),
  close: (which) =>
    set(
      {
        details: { detailsKeyId: null },
        edit: { editKeyId: null },
        delete: { deleteKeyId: null },
        revoke: { revokeKeyId: null },
        extend: { extendKeyId: null },
        workflow: { workflowId: null },
        wizard: { wizardOpen: false },
        addConnection: { addConnectionOpen: false },
        account: { accountDialog: null },
        shortcuts: { shortcutsOpen: false },
      }[which],
    ),
}));

/** Whether a dialog (or the details drawer, the wizard, a workflow) is open or opening. */
export const anyDialogOpen = (state: UiState): boolean =>
  state.accountDialog !== null ||
  state.detailsKeyId !== null ||
  state.editKeyId !== null ||
  state.deleteKeyId !== null ||
  state.revokeKeyId !== null ||
  state.extendKeyId !== null ||
  state.workflowId !== null ||
  state.wizardOpen ||
  state.addConnectionOpen ||
  state.shortcutsOpen;
