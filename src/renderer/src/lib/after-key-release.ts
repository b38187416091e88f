// One key press, one action. A command run on a key's keydown (the palette runs its choice on
// Enter's keydown) may open a dialog that focuses its first button before the same press's
// keypress arrives, and the press then activates that button as well: Enter on a key in the
// palette opened the key's details and, now and then, closed them again through their Close
// button. Commands started while a key is down therefore run once every key is released.
const held = new Set<string>();
const waiting: Array<() => void> = [];

function runWaiting(): void {
  if (held.size > 0) return;
  for (const run of waiting.splice(0)) run();
}

// Listening from the start: the press that starts a command was already down when it runs.
window.addEventListener('keydown', (event) => held.add(event.code), true);
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
