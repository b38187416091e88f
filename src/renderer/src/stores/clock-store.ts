// The window's one clock. Whatever shows or decides by the time reads it: `currentTime()` at once
// (an audit, a plan, an expiry from a preset), or `useTime(step)` in a component, which re-renders
// once per step (the key table: a minute; a countdown: a second) from one timer that ticks every
// second. Tests set the time (setTime) and it then stands still.
import { create } from 'zustand';

const TICK_MS = 1000;
let setAt: number | null = null;

/** Now, in milliseconds since the epoch. */
export const currentTime = (): number => setAt ?? Date.now();

const useClockStore = create<{ now: number }>(() => ({ now: currentTime() }));

// One timer for the window's life; none outside a window (unit tests import the stores).
if (typeof window !== 'undefined') setInterval(() => useClockStore.setState({ now: currentTime() }), TICK_MS);

/** The time, floored to `stepMs` (stable within a step, so memoized children skip re-rendering). */
export function useTime(stepMs: number): number {
  return useClockStore((state) => state.now - (state.now % stepMs));
}

/** Tests: the time from now on, standing still (null: the system's clock again). */
export function setTime(ms: number | null): void {
  setAt = ms;
  useClockStore.setState({ now: currentTime() });
}
