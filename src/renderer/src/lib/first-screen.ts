// Resolved once the window's first screen is on screen. Work that need not be on that screen waits
// for it: reading every key of a large inventory takes a few hundred milliseconds and would hold
// the first paint back.
let drawn: () => void = () => {};
export const firstScreenDrawn = new Promise<void>((resolve) => {
  drawn = resolve;
});

/**
 * Called from the shell's first effect. React can run that effect in the same task as the render
 * (an update from a store renders synchronously), before the browser paints; a task queued from
 * the next animation frame runs after that frame's paint. A hidden window gets no frames: the timer.
 */
export function markFirstScreenDrawn(): void {
  requestAnimationFrame(() => setTimeout(drawn, 0));
  setTimeout(drawn, 250);
}
