// The review step's account of a compromised key's use, from the platform's request log: who used
// it (its sources, new ones since the suspected exposure marked), its requests filterable by
// source and outcome, the attempts made after it was revoked, and what it did (its actions).
import { Alert, Badge, Button, Group, NativeSelect, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { IncidentReview } from '../../../../shared/ipc/window-data';
import { keyUseCsv, keyUseJson } from '../../../../shared/report/key-use-export';
import { REQUEST_OUTCOMES, type RequestSource } from '../../../../shared/request-log';
import { exactTime, formatCount } from '../../lib/format';
import { saveFile } from '../../lib/save-file';

const ANY = '';
const sourceName = (source: RequestSource) => `${source.address} · ${source.user_agent || '(no user agent)'}`;

export function KeyUseReview({
  review,
  exposedAt,
  partialKey,
}: {
  review: IncidentReview;
  exposedAt: string | null;
  partialKey: string;
}) {
  const [source, setSource] = useState(ANY);
  const [outcome, setOutcome] = useState(ANY);
  const sources = useMemo(() => new Map(review.sources.map((s) => [s.id, s])), [review.sources]);
  const requests = review.requests.filter(
    (r) => (source === ANY || r.source_id === source) && (outcome === ANY || r.outcome === outcome),
  );
  const afterRevoke = review.requests.filter((r) => r.outcome === 'revoked');
  const isNew = (s: RequestSource) => exposedAt !== null && s.first_seen >= exposedAt;

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
      {afterRevoke.length > 0 && (
        <Alert color="red" data-testid="review-after-revoke">
          {formatCount(afterRevoke.length)} attempt{afterRevoke.length === 1 ? '' : 's'} with the key after it was
          revoked, the last at {exactTime(afterRevoke[0]?.at ?? '')} from{' '}
          {sourceName(sources.get(afterRevoke[0]?.source_id ?? '') ?? (review.sources[0] as RequestSource))}: something
          still holds it.
        </Alert>
      )}
      <Title order={5}>Who used it</Title>
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
        <Title order={5}>Requests</Title>
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
      <ScrollArea.Autosize mah={180}>
        <Stack gap={2} data-testid="review-requests">
          {requests.map((r) => (
            <Text key={r.id} size="xs" data-testid="review-request">
              {exactTime(r.at)} · {r.method} {r.route} · {r.status} {r.outcome} · {r.address}
            </Text>
          ))}
        </Stack>
      </ScrollArea.Autosize>
      <Text size="xs" c="dimmed">
        {formatCount(requests.length)} of the {formatCount(review.requests.length)} newest requests
        {review.more_requests ? ' (the log holds more: page through them with the API or the SDK)' : ''}.
      </Text>
      <Group gap="xs">
        <Button
          size="xs"
          variant="default"
          onClick={() => saveFile(`requests-${partialKey}.csv`, keyUseCsv(review.requests), 'text/csv')}
          data-testid="review-export-csv"
        >
          Export requests (CSV)
        </Button>
        <Button
          size="xs"
          variant="default"
          onClick={() =>
            saveFile(
              `review-${partialKey}.json`,
              keyUseJson({
                partial_key: partialKey,
                exposed_at: exposedAt,
                sources: review.sources,
                requests: review.requests,
                actions: review.actions,
              }),
              'application/json',
            )
          }
          data-testid="review-export-json"
        >
          Export the review (JSON)
        </Button>
      </Group>
      <Title order={5}>What it did</Title>
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
