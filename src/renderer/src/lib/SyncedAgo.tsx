// "synced 3 minutes ago", kept true while it is on screen (it ticks every 30 s); exact on hover.
import { useEffect, useState } from 'react';
import { exactTime, relativeTime } from './format';

const TICK_MS = 30_000;

export function SyncedAgo({ at, never = 'never synced' }: { at: string | null; never?: string }) {
  const [now, setNow] = useState(Date.now);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new sync time restarts the clock
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [at]);
  return (
    <span title={exactTime(at)} data-testid="synced-ago">
      {at === null ? never : `synced ${relativeTime(at, now)}`}
    </span>
  );
}
