// Parts of the window that are not on its first screen (the other pages, the dialogs) are each in
// a chunk of their own: before the first screen, the window parses and runs only that screen's code
// (the whole bundle cost ~0.5 s to parse and run on two cores). A part's code loads when it is
// first shown, or before, while the admin does nothing (preloadParts), so that a first visit does
// not wait for it.
import { type ComponentType, lazy, Suspense, useRef } from 'react';
import { type UiState, useUiStore } from '../stores/ui-store';

const loaders: Array<() => Promise<unknown>> = [];
const always = () => true;

/**
 * A component whose code loads when it is first rendered. `shownWhen` is for a dialog that is
 * always rendered and opens from the ui store: until its code is in, it renders nothing unless
 * the store says it is open. Once in, it stays mounted, as it was before (its close transition,
 * its own state).
 */
export function lazyPart<P extends object>(
  load: () => Promise<ComponentType<P>>,
  shownWhen: (ui: UiState) => boolean = always,
): ComponentType<P> & { preload(): void } {
  // Once in, rendered directly: React.lazy would still suspend for a tick on its first render, and
  // a dialog opened from a menu must take what is typed right after the click.
  let Loaded: ComponentType<P> | null = null;
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const once = () =>
    (loading ??= load().then(
      (component) => {
        Loaded = component;
        return { default: component };
      },
      (error: unknown) => {
        loading = undefined; // asked for again when next needed
        throw error;
      },
    ));
  loaders.push(once);
  const Lazy = lazy(once);
  // biome-ignore lint/correctness/noComponentHookFactories: made once per part, at module level
  function LazyPart(props: P) {
    const shown = useUiStore(shownWhen);
    // One way for the life of this place: switching from React.lazy to the component itself would
    // mount the part again and lose its state (a wizard opened before its code was in).
    const throughLazy = useRef(false);
    if (Loaded && !throughLazy.current) return <Loaded {...props} />;
    if (!shown && !Loaded) return null;
    throughLazy.current = true;
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  }
  // Loads the code now, without showing the part (a menu whose items open it).
  return Object.assign(LazyPart, { preload: () => void once().catch(() => undefined) });
}

// Running a part's code takes the window's thread for tens of milliseconds (the form chunk builds
// zod's schemas): never in the middle of typing or scrolling.
const QUIET_MS = 1_000;
const ACTIVITY = ['keydown', 'input', 'pointerdown', 'wheel'] as const;

/**
 * Loads the parts' code one at a time, each once the admin has done nothing for a second and the
 * window is idle. Returns what stops it.
 */
export function preloadParts(): () => void {
  const pending = [...loaders];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: number | undefined;
  const stop = () => {
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
    for (const event of ACTIVITY) window.removeEventListener(event, wait, true);
  };
  const next = () => {
    idle = requestIdleCallback(() => {
      idle = undefined;
      const load = pending.shift();
      if (load) load().then(wait, wait);
      else stop();
    });
  };
  function wait() {
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
    idle = undefined;
    timer = setTimeout(next, QUIET_MS);
  }
  for (const event of ACTIVITY) window.addEventListener(event, wait, { capture: true, passive: true });
  wait();
  return stop;
}
