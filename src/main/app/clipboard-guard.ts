// Copies a secret to the clipboard and clears it after a while if the clipboard still holds it
// (the user may have copied something else since: that is left alone). Only a hash of what was
// copied is kept in the meantime, not the secret.
import { hash } from 'node:crypto';
import type { Timers } from '../../shared/clock';

/** The OS clipboard; Electron's in the app (asynchronous since Electron 45). */
export interface Clipboard {
  readText(): Promise<string>;
  writeText(text: string): Promise<void>;
  clear(): void;
}

export const CLIPBOARD_CLEAR_MS = 30_000;

/** How a copy ended: cleared by us, or left alone because the clipboard held something else by then. */
export type ClipboardOutcome = 'cleared' | 'left_alone';

const digest = (text: string) => hash('sha256', text, 'hex');

export class ClipboardGuard {
  private cancel: (() => void) | null = null;

  constructor(
    private readonly clipboard: Clipboard,
    private readonly timers: Timers,
    readonly clearAfterMs = CLIPBOARD_CLEAR_MS,
    /** Told when a copy's time is up (not when a newer copy replaced it first). */
    private readonly onSettled: (outcome: ClipboardOutcome) => void = () => {},
  ) {}

  async copySecret(text: string): Promise<void> {
    await this.clipboard.writeText(text);
    const copied = digest(text);
    this.cancel?.();
    this.cancel = this.timers.after(this.clearAfterMs, () => {
      this.cancel = null;
      void this.clipboard.readText().then((now) => {
        const stillOurs = digest(now) === copied;
        if (stillOurs) this.clipboard.clear();
        this.onSettled(stillOurs ? 'cleared' : 'left_alone');
      });
    });
  }

  /** On quit: clear now what would have been cleared later. */
  flush(): void {
    if (!this.cancel) return;
    this.cancel();
    this.cancel = null;
    this.clipboard.clear();
  }
}
