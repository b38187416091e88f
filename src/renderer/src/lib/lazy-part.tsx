// Parts of the window that are not on its first screen (the other pages, the dialogs) are each in
// a chunk of their own: before the first screen, the window parses and runs only that screen's code
// (the whole bundle cost ~0.5 s to parse and run on two cores). A part's code loads when it is
// first shown, or before, once the window has its keys and is idle (preloadParts), so that a first
// visit does not wait for it.
import { type ComponentType, lazy, Suspense } from 'react';
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
): ComponentType<P> {
  let loaded = false;
  let loading: Promise<{ default: ComponentType<P> }> | undefined;
  const once = () =>
    (loading ??= load().then((component) => {
      loaded = true;
      return { default: component };
    }));
  loaders.push(once);
  const Lazy = lazy(once);
  // biome-ignore lint/correctness/noComponentHookFactories: made once per part, at module level
  return function LazyPart(props: P) {
    const shown = useUiStore(shownWhen);
    if (!shown && !loaded) return null;
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}

/** Loads every part's code (each once). */
export function preloadParts(): void {
  for (const load of loaders) void load();
}
