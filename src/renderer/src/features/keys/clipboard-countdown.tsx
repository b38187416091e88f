// A copied key's time on the clipboard, visible: a countdown while the clipboard may hold it, then
// what happened (main clears it after 30 s, but only if it still holds the key).
import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { EventPayload } from '../../../../shared/ipc/contract';
import { currentTime, useTime } from '../../stores/clock-store';

let current: string | null = null;

function Countdown({ until }: { until: number }) {
  const now = useTime(1000);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return (
    <Text size="sm" data-testid="clipboard-countdown">
      Cleared from the clipboard in {left} s, if it still holds the key.
    </Text>
  );
}

/** After a copy: stays until the clipboard is settled (or closed by hand). A new copy restarts it. */
export function showClipboardCountdown(title: string, seconds: number): void {
  const until = currentTime() + seconds * 1000;
  const content = { title, message: <Countdown key={until} until={until} /> };
  if (current) {
    notifications.update({ id: current, ...content });
    return;
  }
  const id: string = notifications.show({
    ...content,
    color: 'teal',
    autoClose: false,
    onClose: () => {
      if (current === id) current = null;
    },
    'data-testid': 'clipboard-copied',
  });
  current = id;
}

/** The countdown gives way to what main did when the time was up. */
export function showClipboardSettled({ outcome }: EventPayload<'clipboard:settled'>): void {
  if (current) notifications.hide(current);
  current = null;
  notifications.show({
    color: outcome === 'cleared' ? 'gray' : 'blue',
    title: outcome === 'cleared' ? 'Clipboard cleared' : 'Clipboard left alone',
    message:
      outcome === 'cleared'
        ? 'The copied key is no longer on the clipboard.'
        : 'Something else was copied since, so Keyhold did not touch the clipboard.',
    autoClose: 10_000,
    'data-testid': 'clipboard-settled',
  });
}
