// Which rows of a list of one row height are on screen, with a few either side: arithmetic on the
// scroller's position and height. A general virtualizer (@tanstack/react-virtual) measured every row
// whenever the count changed: 100,000 objects on each search that changed how many keys are shown.
import { type RefObject, useLayoutEffect, useState } from 'react';

export interface RowWindow {
  /** The first row to draw, and one past the last. */
  first: number;
  end: number;
  /** The height of every row together. */
  totalHeight: number;
}

export function useRowWindow(
  scroller: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): RowWindow {
  const [view, setView] = useState({ top: 0, height: 0 });
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const read = () =>
      setView((last) =>
        last.top === element.scrollTop && last.height === element.clientHeight
          ? last
          : { top: element.scrollTop, height: element.clientHeight },
      );
    read();
    element.addEventListener('scroll', read, { passive: true });
    const resized = new ResizeObserver(read);
    resized.observe(element);
    return () => {
      element.removeEventListener('scroll', read);
      resized.disconnect();
    };
  }, [scroller]);
  const totalHeight = count * rowHeight;
  // Fewer rows than the position scrolled to: the browser moves the scroll up, and this render does too.
  const top = Math.max(0, Math.min(view.top, totalHeight - view.height));
  return {
    first: Math.max(0, Math.floor(top / rowHeight) - overscan),
    end: Math.min(count, Math.ceil((top + view.height) / rowHeight) + overscan),
    totalHeight,
  };
}
