// Time, injected everywhere so tests can move it: the wall clock (UTC milliseconds), a monotonic
// clock for intervals, and timers.

/** Milliseconds since the epoch, UTC. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Milliseconds from an arbitrary origin that never goes back (throttles, not dates). */
export type MonotonicNow = () => number;

export const systemMonotonicNow: MonotonicNow = () => performance.now();

/** Timers that hand back their own cancel function; the system ones never keep a process alive. */
export interface Timers {
  after(ms: number, run: () => void): () => void;
  every(ms: number, run: () => void): () => void;
}

const unref = (timer: unknown) => (timer as { unref?: () => void }).unref?.();

export const systemTimers: Timers = {
  after(ms, run) {
    const timer = setTimeout(run, ms);
    unref(timer);
    return () => clearTimeout(timer);
  },
  every(ms, run) {
    const timer = setInterval(run, ms);
    unref(timer);
    return () => clearInterval(timer);
  },
};
