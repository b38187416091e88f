// Gives the focus back to what had it when a dialog opened. The dialogs here mount when they open
// and unmount when they close, so Mantine's own focus return (which watches `opened` change on a
// mounted modal) never runs for them. Rendered next to the dialog, so it mounts before the
// dialog's focus trap moves the focus in.
import { useLayoutEffect, useRef } from 'react';

/** To the opener, if the focus is nowhere (or still in the dialog that is leaving, `leaving`). */
const giveBack = (opener: Element | null, leaving?: string) => {
  const now = document.activeElement;
  const nowhere = now === null || now === document.body || (leaving !== undefined && now.closest(leaving) !== null);
  if (opener instanceof HTMLElement && opener.isConnected && nowhere) {
    opener.focus({ preventScroll: true });
  }
};

export function ReturnFocus() {
  useLayoutEffect(() => {
    const opener = document.activeElement;
    return () => {
      // After the dialog's nodes are gone, and only if nothing else took the focus meanwhile.
      setTimeout(() => giveBack(opener), 10);
    };
  }, []);
  return null;
}

/**
 * The same for a dialog that stays mounted and fades out (the key's details drawer): the opener is
 * remembered when `opened` turns true, before the dialog's focus trap (which moves the focus a
 * moment later) runs; call the answer from the dialog's onExitTransitionEnd. The focus is then
 * still on the faded dialog (matched by the selector `leaving`), which is about to go.
 */
export function useReturnFocusAfterExit(opened: boolean, leaving: string): () => void {
  const opener = useRef<Element | null>(null);
  useLayoutEffect(() => {
    if (opened) opener.current = document.activeElement;
  }, [opened]);
  return () => giveBack(opener.current, leaving);
}
