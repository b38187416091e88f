// A rotation or an incident, one step at a time. Every step is saved in main as it is done, so
// closing the dialog (or the app) keeps the place; Rotations lists it to resume.
import { Alert, Button, Group, Modal, Stack, Stepper, Text } from '@mantine/core';
import { useState } from 'react';
import { currentStep, STEP_TITLES, stepsOf, type Workflow, type WorkflowStep } from '../../../../shared/workflows';
import { ipc } from '../../ipc';
import { ReturnFocus } from '../../lib/return-focus';
import { useUiStore } from '../../stores/ui-store';
import { useWorkflowStore } from '../../stores/workflow-store';
import { InvestigateStep, NotifyStep, ReviewStep } from './incident-steps';
import { ReplaceStep, RevokeStep, ScheduleStep, TestStep, UpdateStep } from './rotation-steps';
import { runStep } from './workflow-commands';

/** Steps that are confirmed with Next; the others finish by their own button. */
const CONFIRMED: ReadonlySet<WorkflowStep> = new Set(['update', 'test', 'review', 'notify', 'investigate']);

function StepBody({ workflow, step }: { workflow: Workflow; step: WorkflowStep }) {
  switch (step) {
    case 'replace':
      return <ReplaceStep workflow={workflow} />;
    case 'update':
      return <UpdateStep workflow={workflow} />;
    case 'test':
      return <TestStep workflow={workflow} />;
    case 'revoke':
      return <RevokeStep workflow={workflow} urgent={workflow.kind === 'incident'} />;
    case 'schedule':
      return <ScheduleStep workflow={workflow} />;
    case 'review':
      return <ReviewStep workflow={workflow} />;
    case 'notify':
      return <NotifyStep workflow={workflow} />;
    case 'investigate':
      return <InvestigateStep workflow={workflow} />;
  }
}

/** The stepper's labels: short, so five or six steps fit one line; each step's heading says it in full. */
const STEPPER_LABELS: Record<WorkflowStep, string> = {
  replace: 'Replace',
  update: 'Update apps',
  test: 'Test',
  revoke: 'Revoke',
  schedule: 'Schedule deletion',
  review: 'Review logs',
  notify: 'Notify',
  investigate: 'Investigate',
};

export function WorkflowDialog() {
  const id = useUiStore((state) => state.workflowId);
  const close = useUiStore((state) => state.close);
  const workflow = useWorkflowStore((state) => state.workflows.find((known) => known.id === id) ?? null);
  const [cancelling, setCancelling] = useState(false);
  if (!workflow) return null;
  const steps = stepsOf(workflow.kind);
  const step = currentStep(workflow);
  const name = workflow.kind === 'rotation' ? 'rotation' : 'incident';
  const title =
    workflow.kind === 'rotation'
      ? `Rotate “${workflow.old_key.label}” (${workflow.old_key.partial_key})`
      : `Compromised key: “${workflow.old_key.label}” (${workflow.old_key.partial_key})`;
  const done = () => {
    setCancelling(false);
    close('workflow');
  };

  return (
    <>
      <ReturnFocus />
      <Modal opened onClose={done} title={title} size={900} data-testid="workflow-dialog">
        <Stack>
          <Stepper active={workflow.step} size="xs" allowNextStepsSelect={false}>
            {steps.map((each) => (
              <Stepper.Step key={each} label={STEPPER_LABELS[each]} />
            ))}
          </Stepper>
          {workflow.status === 'cancelled' && (
            <Alert color="gray" data-testid="workflow-cancelled">
              Cancelled: both keys were left as they are.
            </Alert>
          )}
          {workflow.status === 'done' && (
            <Alert color="teal" data-testid="workflow-done">
              {workflow.kind === 'rotation'
                ? `Done: ${workflow.new_key?.partial_key} replaces ${workflow.old_key.partial_key}, which is revoked${
                    workflow.deletion_due_at ? ` and due for deletion on ${workflow.deletion_due_at.slice(0, 10)}` : ''
                  }.`
                : 'Incident closed. Its summary stays in Rotations, to export again.'}
            </Alert>
          )}
          {workflow.status === 'in_progress' && step && (
            <Stack gap="xs" data-testid={`workflow-step-${step}`}>
              <Text fw={600}>
                Step {workflow.step + 1} of {steps.length}: {STEP_TITLES[step]}
              </Text>
              <StepBody workflow={workflow} step={step} />
            </Stack>
          )}
          {cancelling && (
            <Alert color="orange" data-testid="workflow-cancel-confirm">
              Cancel this {name}? Both keys stay as they are now
              {workflow.new_key
                ? `: ${workflow.old_key.partial_key} and ${workflow.new_key.partial_key} both keep working unless revoked`
                : ''}
              .{' '}
              <Button
                size="compact-sm"
                color="orange"
                onClick={() =>
                  void runStep(`Could not cancel the ${name}`, () => ipc.workflows.cancel({ id: workflow.id })).then(
                    () => setCancelling(false),
                  )
                }
                data-testid="workflow-cancel-yes"
              >
                Yes, cancel
              </Button>
            </Alert>
          )}
          <Group justify="space-between">
            {workflow.status === 'in_progress' ? (
              <Button variant="subtle" color="gray" onClick={() => setCancelling(true)} data-testid="workflow-cancel">
                Cancel {name}…
              </Button>
            ) : (
              <span />
            )}
            <Group>
              <Button variant="default" onClick={done} data-testid="workflow-close">
                {workflow.status === 'in_progress' ? 'Close (resume later)' : 'Close'}
              </Button>
              {workflow.status === 'in_progress' && step && CONFIRMED.has(step) && (
                <Button
                  onClick={() =>
                    void runStep('Could not go on', () => ipc.workflows.advance({ id: workflow.id, step }))
                  }
                  data-testid="workflow-next"
                >
                  {workflow.step + 1 === steps.length ? 'Close the incident' : 'Next'}
                </Button>
              )}
            </Group>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
