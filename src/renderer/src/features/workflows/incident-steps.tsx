// The incident's own steps: review the key's use around the exposure, notify the team with a
// summary, investigate with a checklist and notes.
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  Loader,
  ScrollArea,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import type { IncidentReview } from '../../../../shared/ipc/window-data';
import { INVESTIGATION_CHECKLIST, type Workflow } from '../../../../shared/workflows';
import { ipc } from '../../ipc';
import { exactTime, formatCount } from '../../lib/format';
import { saveFile } from '../../lib/save-file';
import { UsageChart } from '../keys/UsageChart';
import { KeyUseReview } from './KeyUseReview';
import { failed, runStep } from './workflow-commands';

/** `<input type="datetime-local">` speaks local time without a zone; the platform speaks UTC. */
const toLocalInput = (iso: string | null) => (iso ? iso.slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? new Date(`${value}:00Z`).toISOString() : null);

export function ReviewStep({ workflow }: { workflow: Workflow }) {
  const [logs, setLogs] = useState<IncidentReview | null>(null);
  useEffect(() => {
    ipc.workflows
      .review({ id: workflow.id })
      .then(setLogs)
      .catch((error: unknown) => failed('Could not read the key’s usage', error));
  }, [workflow.id]);
  const exposedDay = workflow.exposed_at?.slice(0, 10) ?? null;
  const after =
    logs && exposedDay ? logs.usage.filter((day) => day.day >= exposedDay).reduce((n, day) => n + day.count, 0) : null;
  return (
    <Stack>
      <TextInput
        type="datetime-local"
        label="Suspected exposure (UTC)"
        description="Use from this day on is drawn in red"
        value={toLocalInput(workflow.exposed_at)}
        onChange={(event) => {
          const exposed_at = fromLocalInput(event.currentTarget.value);
          void runStep('Could not save the exposure time', () => ipc.workflows.update({ id: workflow.id, exposed_at }));
        }}
        w={320}
        data-testid="review-exposed"
      />
      {!logs ? (
        <Loader size="sm" />
      ) : (
        <>
          <UsageChart usage={logs.usage} highlightFrom={exposedDay} />
          {after !== null && (
            <Alert color={after > 0 ? 'red' : 'teal'} data-testid="review-after">
              {after > 0
                ? `${formatCount(after)} call${after === 1 ? '' : 's'} since the suspected exposure: check ${after === 1 ? 'it' : 'them'} against your own applications’ logs.`
                : 'No calls since the suspected exposure.'}
            </Alert>
          )}
          <KeyUseReview
            workflowId={workflow.id}
            review={logs}
            exposedAt={workflow.exposed_at}
            partialKey={workflow.old_key.partial_key}
          />
          <ScrollArea.Autosize mah={160}>
            <Stack gap={2} data-testid="review-events">
              {logs.events.map((event) => (
                <Text key={event.id} size="xs">
                  {exactTime(event.at)} · {event.type} · {event.actor}
                </Text>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </>
      )}
    </Stack>
  );
}

export function NotifyStep({ workflow }: { workflow: Workflow }) {
  const [markdown, setMarkdown] = useState<string | null>(null);
  useEffect(() => {
    ipc.workflows
      .summary({ id: workflow.id })
      .then((summary) => setMarkdown(summary.markdown))
      .catch((error: unknown) => failed('Could not write the summary', error));
  }, [workflow]);
  return (
    <Stack>
      <Text size="sm">Tell the team what happened and what was done. The summary holds no secret.</Text>
      {/* It scrolls: a named region and a Tab stop, so the keyboard can scroll it too. */}
      {markdown && (
        <Code
          block
          mah={260}
          style={{ overflow: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label="Incident summary"
          data-testid="incident-summary"
        >
          {markdown}
        </Code>
      )}
      <Group>
        <Button
          variant="default"
          disabled={!markdown}
          onClick={() => void navigator.clipboard.writeText(markdown ?? '')}
        >
          Copy
        </Button>
        <Button
          variant="default"
          disabled={!markdown}
          onClick={() => saveFile(`incident-${workflow.old_key.partial_key}.md`, markdown ?? '', 'text/markdown')}
          data-testid="incident-save"
        >
          Save as Markdown
        </Button>
      </Group>
    </Stack>
  );
}

export function InvestigateStep({ workflow }: { workflow: Workflow }) {
  const [notes, setNotes] = useState(workflow.notes);
  // Shown at once; main saves it.
  const [checklist, setChecklist] = useState(workflow.checklist);
  const save = (patch: Parameters<typeof ipc.workflows.update>[0]) =>
    void runStep('Could not save the investigation', () => ipc.workflows.update(patch));
  return (
    <Stack>
      {INVESTIGATION_CHECKLIST.map((item, i) => (
        <Checkbox
          key={item}
          label={item}
          checked={checklist[i] ?? false}
          onChange={(event) => {
            const next = checklist.map((done, j) => (j === i ? event.currentTarget.checked : done));
            setChecklist(next);
            save({ id: workflow.id, checklist: next });
          }}
          data-testid="investigate-check"
        />
      ))}
      <Textarea
        label="How it leaked"
        value={notes.how}
        onChange={(event) => setNotes({ ...notes, how: event.currentTarget.value })}
        onBlur={() => save({ id: workflow.id, notes: { how: notes.how } })}
        autosize
        minRows={2}
        data-testid="investigate-how"
      />
      <Textarea
        label="What changes to prevent it"
        value={notes.prevention}
        onChange={(event) => setNotes({ ...notes, prevention: event.currentTarget.value })}
        onBlur={() => save({ id: workflow.id, notes: { prevention: notes.prevention } })}
        autosize
        minRows={2}
        data-testid="investigate-prevention"
      />
    </Stack>
  );
}
