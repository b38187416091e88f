// The incident key's requests as the review step pages through them: filtered by the platform
// (source, outcome, since), newest first, the next page asked for as the list nears its end.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOutcome, RequestRecord } from '../../../../shared/request-log';
import { errorMessage, ipc } from '../../ipc';

export interface RequestFilter {
  /** A source id, or '' for any. */
  source: string;
  /** An outcome, or '' for any. */
  outcome: string;
  /** Only requests at or after this time (ISO), or null. */
  since: string | null;
}

export interface RequestPages {
  rows: RequestRecord[];
  /** More pages after the rows. */
  more: boolean;
  loading: boolean;
  error: string | null;
  loadMore(): void;
}

const queryOf = (workflowId: string, filter: RequestFilter, cursor?: string) => ({
  id: workflowId,
  ...(filter.source ? { source: filter.source } : {}),
  ...(filter.outcome ? { outcome: filter.outcome as RequestOutcome } : {}),
  ...(filter.since ? { since: filter.since } : {}),
  ...(cursor ? { cursor } : {}),
});

export function useRequestPages(workflowId: string, filter: RequestFilter): RequestPages {
  const { source, outcome, since } = filter;
  const [rows, setRows] = useState<RequestRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Each filter starts a new list: a page asked for an older one is dropped when it lands.
  const generation = useRef(0);

  const load = useCallback(
    (after: string | undefined, asked: number) => {
      setLoading(true);
      ipc.workflows
        .requests(queryOf(workflowId, { source, outcome, since }, after))
        .then((page) => {
          if (asked !== generation.current) return;
          setRows((known) => (after ? [...known, ...page.data] : page.data));
          setCursor(page.next_cursor);
          setError(null);
        })
        .catch((failure: unknown) => {
          if (asked === generation.current) setError(errorMessage(failure));
        })
        .finally(() => {
          if (asked === generation.current) setLoading(false);
        });
    },
    [workflowId, source, outcome, since],
  );

  useEffect(() => {
    const asked = ++generation.current;
    setRows([]);
    setCursor(null);
    load(undefined, asked);
  }, [load]);

  const loadMore = useCallback(() => {
    if (!loading && cursor !== null) load(cursor, generation.current);
  }, [loading, cursor, load]);

  return { rows, more: cursor !== null, loading, error, loadMore };
}

/** Every request matching `filter`, up to `max`, for an export; `truncated` when the log holds more. */
export async function allRequests(
  workflowId: string,
  filter: RequestFilter,
  max: number,
): Promise<{ requests: RequestRecord[]; truncated: boolean }> {
  const requests: RequestRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await ipc.workflows.requests(queryOf(workflowId, filter, cursor));
    requests.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined && requests.length < max);
  return { requests: requests.slice(0, max), truncated: cursor !== undefined || requests.length > max };
}
