// "synced 3 minutes ago", kept true while it is on screen; exact on hover.
import { useTime } from '../stores/clock-store';
import { exactTime, relativeTime } from './format';

export function SyncedAgo({ at, never = 'never synced' }: { at: string | null; never?: string }) {
  // To the second, never before the sync itself: a sync shorter than a second says "just now".
  const now = Math.max(useTime(1000), at === null ? 0 : Date.parse(at) + 1);
  return (
    <span title={exactTime(at)} data-testid="synced-ago">
      {at === null ? never : `synced ${relativeTime(at, now)}`}
    </span>
  );
}
