// Main's side of the preload bridge as a DOM test gives it: `window.keyhold`, answering as main does.

/** A call main answered. */
export const answered = (data: unknown) => Promise.resolve({ ok: true, data });

/** A call main refused, with the error it names. */
export const refused = (code: string, message: string) => Promise.resolve({ ok: false, error: { code, message } });

/** Puts `bridge` where the renderer's stores look for main: only the calls a test makes. */
export function installBridge(bridge: Record<string, unknown>): void {
  (window as unknown as { keyhold: unknown }).keyhold = bridge;
}
