// Expiry notices as OS notifications. The schedule lives in app/expiry-notices.ts and is tested
// there; this adapter is only exercised where an Electron binary runs (test/e2e/electron).
import { Notification } from 'electron';
import type { Notice, Notifier } from '../app/expiry-notices';

export function electronNotifier(): Notifier {
  // A notification that is garbage-collected loses its click handler: keep each until it closes.
  const alive = new Set<Notification>();
  return {
    show(notice: Notice, onClick: () => void) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title: notice.title, body: notice.body });
      alive.add(notification);
      notification.on('click', onClick);
      notification.on('close', () => alive.delete(notification));
      notification.show();
    },
  };
}
