// The Keys page's dialogs, each loading when first opened (lib/lazy-part.tsx): none is on the first
// screen. A menu preloads those its items open (preloadRowDialogs), so the dialog is there at once
// and what is typed right after the click lands in it.
import { lazyPart } from '../../lib/lazy-part';

export const CreateKeyWizard = lazyPart(
  () => import('./create-wizard/CreateKeyWizard').then((module) => module.CreateKeyWizard),
  (ui) => ui.wizardOpen,
);
export const KeyDetailsDrawer = lazyPart(
  () => import('./KeyDetailsDrawer').then((module) => module.KeyDetailsDrawer),
  (ui) => ui.detailsKeyId !== null,
);
export const EditKeyModal = lazyPart(
  () => import('./EditKeyModal').then((module) => module.EditKeyModal),
  (ui) => ui.editKeyId !== null,
);
export const DeleteKeyModal = lazyPart(
  () => import('./DeleteKeyModal').then((module) => module.DeleteKeyModal),
  (ui) => ui.deleteKeyId !== null,
);
export const RevokeKeyModal = lazyPart(
  () => import('./RevokeKeyModal').then((module) => module.RevokeKeyModal),
  (ui) => ui.revokeKeyId !== null,
);
export const ExtendKeyModal = lazyPart(
  () => import('./ExtendKeyModal').then((module) => module.ExtendKeyModal),
  (ui) => ui.extendKeyId !== null,
);
export const AccountDialogs = lazyPart(
  () => import('../accounts/AccountDialogs').then((module) => module.AccountDialogs),
  (ui) => ui.accountDialog !== null,
);

/** The dialogs a key row's actions menu opens. */
export function preloadRowDialogs(): void {
  for (const part of [KeyDetailsDrawer, EditKeyModal, DeleteKeyModal, RevokeKeyModal, ExtendKeyModal]) part.preload();
}
