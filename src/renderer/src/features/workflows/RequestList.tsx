// The incident key's requests as a list that draws only the rows on screen (a leaked key can have
// millions) and asks for the next page as the end comes into view.
import { Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { exactTime } from '../../lib/format';
import { useRowWindow } from '../../lib/use-row-window';
import type { RequestPages } from './request-pages';

const ROW_HEIGHT = 22;
const HEIGHT = 264;
/** Rows from the end at which the next page is asked for. */
const AHEAD = 40;

export function RequestList({ pages }: { pages: RequestPages }) {
  const scroller = useRef<HTMLElement>(null);
  const { rows, more, loadMore } = pages;
  const { first, end, totalHeight } = useRowWindow(scroller, rows.length, ROW_HEIGHT, 8);
  useEffect(() => {
    if (more && end >= rows.length - AHEAD) loadMore();
  }, [more, end, rows.length, loadMore]);

  return (
    <section
      ref={scroller}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled region takes the focus, so the keyboard scrolls it too
      tabIndex={0}
      aria-label="Requests, newest first"
      data-testid="review-requests"
      style={{
        // A short list takes only its rows' height; a long one scrolls within HEIGHT.
        height: Math.min(HEIGHT, Math.max(rows.length, 1) * ROW_HEIGHT + 2),
        overflowY: 'auto',
        border: '1px solid var(--mantine-color-default-border)',
      }}
    >
      <ol style={{ height: totalHeight, position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
        {rows.slice(first, end).map((r, i) => (
          <Text
            component="li"
            key={r.id}
            aria-setsize={more ? -1 : rows.length}
            aria-posinset={first + i + 1}
            size="xs"
            px="xs"
            data-testid="review-request"
            style={{
              position: 'absolute',
              top: (first + i) * ROW_HEIGHT,
              height: ROW_HEIGHT,
              lineHeight: `${ROW_HEIGHT}px`,
              whiteSpace: 'nowrap',
            }}
          >
            {exactTime(r.at)} · {r.method} {r.route} · {r.status} {r.outcome} · {r.address} ·{' '}
            {r.user_agent || '(no user agent)'}
          </Text>
        ))}
      </ol>
    </section>
  );
}
