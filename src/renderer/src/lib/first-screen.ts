// Resolved once the window's first screen is committed (the shell's first effect, which React runs
// after the browser has painted it). Work that need not be on that screen waits for it: reading
// every key of a large inventory takes a few hundred milliseconds and would hold the first paint back.
let drawn: () => void = () => {};
export const firstScreenDrawn = new Promise<void>((resolve) => {
  drawn = resolve;
});
export const markFirstScreenDrawn = (): void => drawn();
