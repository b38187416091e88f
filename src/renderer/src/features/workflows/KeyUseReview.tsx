// The review step's account of a compromised key's use, from the platform's request log: who used
// it (its sources, new ones since the suspected exposure marked), its requests filterable by
// source, outcome and the exposure (paged from the platform as the list scrolls), the attempts
// made after it was revoked, and what it did (its actions).
import { Alert, Badge, Button, Checkbox, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMemo, useState } from 'react';
import type { IncidentReview } from '../../../../shared/ipc/window-data';
import { keyUseCsv, keyUseJson } from '../../../../shared/report/key-use-export';
import { REQUEST_OUTCOMES, type RequestRecord, type RequestSource } from '../../../../shared/request-log';
import { errorMessage } from '../../ipc';
import { exactTime, formatCount } from '../../lib/format';
import { saveFile } from '../../lib/save-file';
import { RequestList } from './RequestList';
import { allRequests, type RequestFilter, useRequestPages } from './request-pages';

const ANY = '';
/** The most requests an export holds (a CSV of them is about 15 MB). */
const EXPORT_MAX = 100_000;
const sourceName = (source: RequestSource) => `${source.address} · ${source.user_agent || '(no user agent)'}`;

export function KeyUseReview({
  workflowId,
  review,
  exposedAt,
  partialKey,
}: {
  workflowId: string;
  review: IncidentReview;
  exposedAt: string | null;
  partialKey: string;
}) {
  const [source, setSource] = useState(ANY);
  const [outcome, setOutcome] = useState(ANY);
  const [sinceExposure, setSinceExposure] = useState(true);
  const filter: RequestFilter = { source, outcome, since: sinceExposure ? exposedAt : null };
  const pages = useRequestPages(workflowId, filter);
  const [exporting, setExporting] = useState(false);
  const sources = useMemo(() => new Map(review.sources.map((s) => [s.id, s])), [review.sources]);
  const afterRevoke = review.after_revoke;
  const isNew = (s: RequestSource) => exposedAt !== null && s.first_seen >= exposedAt;
  /** Every request the filters select (every page of them) into a file made by `write`. */
  const exportRequests = (write: (requests: RequestRecord[]) => void) => {
    setExporting(true);
    allRequests(workflowId, filter, EXPORT_MAX)
      .then(({ requests, truncated }) => {
        write(requests);
        if (truncated)
          notifications.show({
            color: 'orange',
            title: 'Export cut short',
            message: `The file holds the newest ${formatCount(EXPORT_MAX)} requests; the API pages through the rest.`,
          });
      })
      .catch((error: unknown) =>
        notifications.show({ color: 'red', title: 'Could not export the requests', message: errorMessage(error) }),
      )
      .finally(() => setExporting(false));
  };

  if (review.sources.length === 0) {
    return (
      <Text size="sm" c="dimmed" data-testid="review-no-requests">
        The platform’s request log holds no request with this key: it was never presented over HTTP, or the platform
        serves none (this computer’s embedded platform logs requests only when `keyhold serve` runs on it).
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="review-use">
      {afterRevoke.last && (
        <Alert color="red" data-testid="review-after-revoke">
          {formatCount(afterRevoke.count)}
          {afterRevoke.more ? ' or more' : ''} attempt{afterRevoke.count === 1 ? '' : 's'} with the key after it was
          revoked, the last at {exactTime(afterRevoke.last.at)} from{' '}
          {sourceName(sources.get(afterRevoke.last.source_id) ?? (review.sources[0] as RequestSource))}: something still
          holds it.
        </Alert>
      )}
      <Title order={3} size="h5">
        Who used it
      </Title>
      <Table withTableBorder data-testid="review-sources">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Address</Table.Th>
            <Table.Th>User agent</Table.Th>
            <Table.Th>First seen</Table.Th>
            <Table.Th>Last seen</Table.Th>
            <Table.Th>Requests</Table.Th>
            <Table.Th>Outcomes</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {review.sources.map((s) => (
            <Table.Tr key={s.id} data-testid="review-source">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Text size="xs" ff="monospace">
                    {s.address}
                  </Text>
                  {isNew(s) && (
                    <Badge
                      color="red"
                      size="xs"
                      style={{ flexShrink: 0 }}
                      title="First seen after the suspected exposure"
                      data-testid="review-source-new"
                    >
                      new
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{s.user_agent || '(none)'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{exactTime(s.first_seen)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{exactTime(s.last_seen)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{formatCount(s.count)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{s.outcomes.join(', ')}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group justify="space-between" align="end">
        <Title order={3} size="h5">
          Requests
        </Title>
        <Group gap="xs">
          <NativeSelect
            size="xs"
            label="Source"
            value={source}
            onChange={(event) => setSource(event.currentTarget.value)}
            data={[
              { value: ANY, label: 'Any source' },
              ...review.sources.map((s) => ({ value: s.id, label: sourceName(s) })),
            ]}
            data-testid="review-filter-source"
          />
          <NativeSelect
            size="xs"
            label="Outcome"
            value={outcome}
            onChange={(event) => setOutcome(event.currentTarget.value)}
            data={[{ value: ANY, label: 'Any outcome' }, ...REQUEST_OUTCOMES.map((o) => ({ value: o, label: o }))]}
            data-testid="review-filter-outcome"
          />
        </Group>
      </Group>
      <Checkbox
        size="xs"
        label={
          exposedAt
            ? `Only since the suspected exposure (${exactTime(exposedAt)})`
            : 'Only since the suspected exposure (not set)'
        }
        disabled={exposedAt === null}
        checked={sinceExposure && exposedAt !== null}
        onChange={(event) => setSinceExposure(event.currentTarget.checked)}
        data-testid="review-filter-since"
      />
      <RequestList pages={pages} />
      <Text size="xs" c={pages.error ? 'red' : 'dimmed'} data-testid="review-request-count">
        {pages.error
          ? `Could not read the requests: ${pages.error}`
          : pages.loading
            ? `${pages.rows.length === 0 ? 'Reading the requests' : `${formatCount(pages.rows.length)} so far, reading more`}…`
            : `${formatCount(pages.rows.length)} request${pages.rows.length === 1 ? '' : 's'}${pages.more ? ' so far: scroll for more' : ''}.`}
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          loading={exporting}
          onClick={() =>
            exportRequests((requests) => saveFile(`requests-${partialKey}.csv`, keyUseCsv(requests), 'text/csv'))
          }
          data-testid="review-export-csv"
        >
          Export requests (CSV)
        </Button>
        <Button
          size="xs"
          variant="default"
          loading={exporting}
          onClick={() =>
            exportRequests((requests) =>
              saveFile(
                `review-${partialKey}.json`,
                keyUseJson({
                  partial_key: partialKey,
                  exposed_at: exposedAt,
                  sources: review.sources,
                  requests,
                  actions: review.actions,
                }),
                'application/json',
              ),
            )
          }
          data-testid="review-export-json"
        >
          Export the review (JSON)
        </Button>
      </Group>
      <Title order={3} size="h5">
        What it did
      </Title>
      <Stack gap={2} data-testid="review-actions">
        {review.actions.length === 0 ? (
          <Text size="xs" c="dimmed">
            Nothing: no key, account or agent was changed with it.
          </Text>
        ) : (
          review.actions.map((a) => (
            <Text key={`${a.at}-${a.subject}-${a.subject_id}-${a.action}`} size="xs" data-testid="review-action">
              {exactTime(a.at)} · {a.action} {a.subject} “{a.name}” ({a.subject_id})
            </Text>
          ))
        )}
      </Stack>
    </Stack>
  );
}
