// One key press, one action. A dialog opened on a key's keydown (Enter on a row or in the command
// palette, `n` for the wizard) focuses its first control from a timer, which can run before the
// same press's keypress arrives: the press then acts there too (Enter on a key in the palette
// opened its details and, now and then, closed them through their Close button; Enter on a
// confirm button would act without confirmation). So dialogs open (ui-store) once every key is
// released. Modifiers do not count: a dialog opened by a click with Shift held opens at once.
const held = new Set<string>();
const waiting: Array<() => void> = [];

function runWaiting(): void {
  if (held.size > 0) return;
  for (const run of waiting.splice(0)) run();
}

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta']);

// Listening from the start: the press that opens a dialog was already down when it asks.
window.addEventListener(
  'keydown',
  (event) => {
    if (!MODIFIERS.has(event.key)) held.add(event.code);
  },
  true,
);
window.addEventListener(
  'keyup',
  (event) => {
    held.delete(event.code);
    runWaiting();
  },
  true,
);
// A key released in another window is never seen here.
window.addEventListener('blur', () => {
  held.clear();
  runWaiting();
});

/** Runs `action` now, or once the keys held down now are released. */
export function afterKeyRelease(action: () => void): void {
  waiting.push(action);
  runWaiting();
}
