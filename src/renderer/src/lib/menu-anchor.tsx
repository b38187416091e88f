// What a menu opened for a row (one menu for a whole table or tree) is anchored to: an invisible
// box where the row's ⋯ button is. Hidden from assistive technology: the button itself says what
// it opens, and a plain box may not carry the aria-haspopup and aria-expanded a menu target gets.
import { forwardRef } from 'react';

export interface AnchorRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const MenuAnchorBox = forwardRef<HTMLSpanElement, { rect: AnchorRect }>(function MenuAnchorBox(
  { rect, ...targetProps },
  ref,
) {
  return (
    <span ref={ref} aria-hidden="true" style={{ position: 'fixed', ...rect, pointerEvents: 'none' }} {...targetProps} />
  );
});
