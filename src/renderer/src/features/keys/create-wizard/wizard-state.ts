// The create wizard's state as a reducer: every step reads it, every button dispatches to it, so
// what "Next" may do and what a reopened wizard starts with are written once.
import type { CreateKeyResult } from '../../../../../shared/ipc/window-data';
import { currentTime } from '../../../stores/clock-store';
import { type ExpiryPreset, expiryFrom } from '../expiry';

export const STEPS = ['label', 'account', 'expiration', 'review', 'done'] as const;
export const DONE = STEPS.indexOf('done');
export const REVIEW = STEPS.indexOf('review');

export interface WizardState {
  step: number;
  label: string;
  accountId: string | null;
  preset: ExpiryPreset;
  date: string;
  /** The admin picked the expiration; until then it follows what the label's environment advises. */
  expiryChosen: boolean;
  busy: boolean;
  error: string | null;
  created: CreateKeyResult | null;
  revealed: string | null;
  confirmed: boolean;
  /** Closing was asked before the key was confirmed as stored. */
  askConfirm: boolean;
}

export type WizardAction =
  | { type: 'open'; accountId: string | null }
  | {
      type: 'edit';
      patch: Partial<Pick<WizardState, 'label' | 'accountId' | 'preset' | 'date' | 'expiryChosen' | 'confirmed'>>;
    }
  | { type: 'suggestExpiry'; preset: ExpiryPreset; date: string }
  | { type: 'go'; step: number }
  | { type: 'creating' }
  | { type: 'created'; result: CreateKeyResult }
  | { type: 'failed'; error: string }
  | { type: 'revealed'; secret: string | null }
  | { type: 'askConfirm' };

export const initialWizard = (accountId: string | null): WizardState => ({
  step: 0,
  label: '',
  accountId,
  preset: '90',
  date: '',
  expiryChosen: false,
  busy: false,
  error: null,
  created: null,
  revealed: null,
  confirmed: false,
  askConfirm: false,
});

export function wizardReducer(state: WizardState, action: WizardAction): WizardState {
  switch (action.type) {
    case 'open':
      return initialWizard(action.accountId);
    case 'edit':
      return { ...state, ...action.patch };
    case 'suggestExpiry':
      return state.expiryChosen ? state : { ...state, preset: action.preset, date: action.date };
    case 'go':
      // Once the key exists there is no going back to change it.
      return state.created ? state : { ...state, step: Math.max(0, Math.min(action.step, REVIEW)) };
    case 'creating':
      return { ...state, busy: true, error: null };
    case 'created':
      return { ...state, busy: false, created: action.result, step: DONE };
    case 'failed':
      return { ...state, busy: false, error: action.error };
    case 'revealed':
      return { ...state, revealed: action.secret };
    case 'askConfirm':
      return { ...state, askConfirm: true };
  }
}

/** Whether the current step is complete enough to move on. */
export function canAdvance(state: WizardState, now = currentTime()): boolean {
  switch (STEPS[state.step]) {
    case 'label':
      return state.label.trim() !== '';
    case 'account':
      return state.accountId !== null;
    case 'expiration':
      return expiryFrom(state.preset, state.date, now) !== 'invalid';
    default:
      return false;
  }
}
