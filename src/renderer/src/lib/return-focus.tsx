// Gives the focus back to what had it when a dialog opened. The dialogs here mount when they open
// and unmount when they close, so Mantine's own focus return (which watches `opened` change on a
// mounted modal) never runs for them. Rendered next to the dialog, so it mounts before the
// dialog's focus trap moves the focus in.
import { useLayoutEffect } from 'react';

export function ReturnFocus() {
  useLayoutEffect(() => {
    const opener = document.activeElement;
    return () => {
      // After the dialog's nodes are gone, and only if nothing else took the focus meanwhile.
      setTimeout(() => {
        const now = document.activeElement;
        if (opener instanceof HTMLElement && opener.isConnected && (now === null || now === document.body)) {
          opener.focus({ preventScroll: true });
        }
      }, 10);
    };
  }, []);
  return null;
}
