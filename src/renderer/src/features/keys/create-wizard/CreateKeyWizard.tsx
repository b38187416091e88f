// Create a key in steps: label, account, expiration, review, done. On creation the main process
// has already put the secret in the OS keychain; the last step reveals or copies it from there.
// State lives in a reducer (wizard-state.ts); each step is its own component (steps.tsx, DoneStep).
import { Button, Group, Modal, Stepper } from '@mantine/core';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { labelForms, vagueLabelReason } from '../../../../../shared/label-rules';
import { errorMessage, ipc } from '../../../ipc';
import { useInventoryStore } from '../../../stores/inventory-store';
import { usePolicyStore } from '../../../stores/policy-store';
import { useUiStore } from '../../../stores/ui-store';
import { useViewStore } from '../../../stores/view-store';
import { expiryFrom } from '../expiry';
import { DoneStep } from './DoneStep';
import { LabelWarnings } from './LabelWarnings';
import { AccountStep, ExpirationStep, LabelStep, ReviewStep } from './steps';
import { canAdvance, DONE, initialWizard, REVIEW, wizardReducer } from './wizard-state';

export function CreateKeyWizard() {
  const opened = useUiStore((state) => state.wizardOpen);
  const close = useUiStore((state) => state.close);
  const { accounts, entries, upsertKey, setInKeychain } = useInventoryStore(
    useShallow((state) => ({
      accounts: state.accounts,
      entries: state.entries,
      upsertKey: state.upsertKey,
      setInKeychain: state.setInKeychain,
    })),
  );
  const filterAccount = useViewStore((state) => state.filters.account_id);
  const policy = usePolicyStore((state) => state.policy);
  const [state, dispatch] = useReducer(wizardReducer, null, () => initialWizard(null));

  useEffect(() => {
    if (opened) dispatch({ type: 'open', accountId: filterAccount ?? accounts[0]?.id ?? null });
  }, [opened, filterAccount, accounts]);

  const { label, accountId, created } = state;
  const vague = vagueLabelReason(label);
  // The account's labels in the forms sameLabel compares, made once per account (not per keystroke).
  const accountLabels = useMemo(() => {
    const lower = new Set<string>();
    const skeletons = new Set<string>();
    for (const { key } of entries) {
      if (key.account_id !== accountId) continue;
      const forms = labelForms(key.label);
      lower.add(forms.lower);
      skeletons.add(forms.skeleton);
    }
    return { lower, skeletons };
  }, [entries, accountId]);
  const duplicate = useMemo(() => {
    if (label.trim() === '') return false;
    const forms = labelForms(label);
    return accountLabels.lower.has(forms.lower) || accountLabels.skeletons.has(forms.skeleton);
  }, [accountLabels, label]);
  const expiresAt = expiryFrom(state.preset, state.date);
  const accountName = accounts.find((account) => account.id === accountId)?.name ?? '';
  const warnings = <LabelWarnings vague={vague} duplicate={duplicate} label={label} accountName={accountName} />;

  const create = async () => {
    if (!accountId || expiresAt === 'invalid') return;
    dispatch({ type: 'creating' });
    try {
      const result = await ipc.keys.create({ account_id: accountId, label, expires_at: expiresAt });
      upsertKey(result.key);
      if (result.keychain.stored) setInKeychain(result.key.id, true);
      dispatch({ type: 'created', result });
    } catch (failure) {
      dispatch({ type: 'failed', error: errorMessage(failure) });
    }
  };

  const requestClose = () => {
    if (created && !state.confirmed) return dispatch({ type: 'askConfirm' });
    dispatch({ type: 'revealed', secret: null });
    close('wizard');
  };

  const toggleReveal = async () => {
    if (state.revealed || !created) return dispatch({ type: 'revealed', secret: null });
    try {
      dispatch({ type: 'revealed', secret: (await ipc.secrets.reveal({ key_id: created.key.id })).secret });
    } catch (failure) {
      dispatch({ type: 'failed', error: errorMessage(failure) });
    }
  };

  const next = () => {
    if (canAdvance(state)) dispatch({ type: 'go', step: state.step + 1 });
  };
  // Each step starts with the focus on its first field (or, on the review, on Create key), so
  // the keyboard carries on where the eyes go.
  const stepBody = useRef<HTMLDivElement>(null);
  const primary = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the step changes
  useEffect(() => {
    if (!opened || state.step === 0) return;
    const frame = requestAnimationFrame(() => {
      const field = stepBody.current?.querySelector<HTMLElement>(
        '.mantine-Stepper-content :is(input:not([type="hidden"]), button)',
      );
      (field ?? primary.current)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [state.step]);
  // Enter is the step's primary action (Next, or Create key on the review) when the step is
  // complete; not on a button (its own action), nor while a list is open to pick from (then Enter
  // picks the option the arrows are on). Caught before the fields see it: a closed list would open
  // on Enter (arrows open it).
  const onEnter = (event: React.KeyboardEvent) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing) return;
    const target = event.target as HTMLElement;
    if (target.closest('button, a, textarea') || isOpenList(target)) return;
    event.preventDefault();
    event.stopPropagation();
    if (state.step < REVIEW) next();
    else if (state.step === REVIEW && !state.busy) void create();
  };

  return (
    <Modal opened={opened} onClose={requestClose} title="Create a key" size="lg" closeOnClickOutside={false}>
      <div onKeyDownCapture={onEnter} ref={stepBody}>
        <Stepper
          active={state.step}
          size="sm"
          allowNextStepsSelect={false}
          onStepClick={(step) => dispatch({ type: 'go', step })}
        >
          <Stepper.Step label="Label">
            <LabelStep state={state} dispatch={dispatch} warnings={warnings} />
          </Stepper.Step>
          <Stepper.Step label="Account">
            <AccountStep state={state} dispatch={dispatch} warnings={duplicate && warnings} accounts={accounts} />
          </Stepper.Step>
          <Stepper.Step label="Expiration">
            <ExpirationStep state={state} dispatch={dispatch} policy={policy} />
          </Stepper.Step>
          <Stepper.Step label="Review">
            <ReviewStep state={state} accountName={accountName} expiresAt={expiresAt} warnings={warnings} />
          </Stepper.Step>
          <Stepper.Completed>
            {created && (
              <DoneStep
                state={state}
                created={created}
                dispatch={dispatch}
                onToggleReveal={() => void toggleReveal()}
              />
            )}
          </Stepper.Completed>
        </Stepper>
      </div>
      <Group justify="flex-end" mt="lg">
        {state.step > 0 && state.step < DONE && (
          <Button variant="default" onClick={() => dispatch({ type: 'go', step: state.step - 1 })}>
            Back
          </Button>
        )}
        {state.step < REVIEW && (
          <Button onClick={next} disabled={!canAdvance(state)} data-testid="wizard-next">
            Next
          </Button>
        )}
        {state.step === REVIEW && (
          <Button ref={primary} onClick={() => void create()} loading={state.busy} data-testid="wizard-create">
            Create key
          </Button>
        )}
        {state.step === DONE && (
          <Button onClick={requestClose} disabled={!state.confirmed} data-testid="wizard-close">
            Done
          </Button>
        )}
      </Group>
    </Modal>
  );
}

/**
 * Whether the element is a combobox whose list is open. Mantine's Select marks it data-expanded:
 * its aria-expanded stays false the first time a list opens (it reads the list's id before the
 * list is mounted), which once let Enter advance the wizard with the old account.
 */
const isOpenList = (element: HTMLElement) =>
  element.getAttribute('aria-expanded') === 'true' || element.hasAttribute('data-expanded');
