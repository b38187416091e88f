// The admin's guided jobs: rotating a key (the platform's five steps) and answering a compromised
// key (its six steps). A workflow is saved as it goes, so it resumes after the window or the app
// closes. Never holds a secret: keys appear as id, label and partial key.

import type { ApiKey } from './domain';
import { sameLabel } from './label-rules';
import type { KeyAction, RequestSource } from './request-log';
import { escapeHidden } from './text-rules';

export const WORKFLOW_KINDS = ['rotation', 'incident'] as const;
export type WorkflowKind = (typeof WORKFLOW_KINDS)[number];

export const ROTATION_STEPS = ['replace', 'update', 'test', 'revoke', 'schedule'] as const;
export const INCIDENT_STEPS = ['revoke', 'replace', 'update', 'review', 'notify', 'investigate'] as const;
export type WorkflowStep = (typeof ROTATION_STEPS)[number] | (typeof INCIDENT_STEPS)[number];

export const stepsOf = (kind: WorkflowKind): readonly WorkflowStep[] =>
  kind === 'rotation' ? ROTATION_STEPS : INCIDENT_STEPS;

export const STEP_TITLES: Record<WorkflowStep, string> = {
  replace: 'Create the replacement',
  update: 'Update applications',
  test: 'Test',
  revoke: 'Revoke the old key',
  schedule: 'Schedule its deletion',
  review: 'Review logs',
  notify: 'Notify the team',
  investigate: 'Investigate',
};

/** The questions of the investigation, with the admin's answers as notes. */
export const INVESTIGATION_CHECKLIST = [
  'Found where the key leaked (repository, log, screenshot, chat...)',
  'Removed it from there (history cleaned, force-pushed, messages deleted)',
  'Checked the usage during the exposure window for calls that were not ours',
  'Every application uses the replacement',
  'Changed what let it leak (secret scanning, .gitignore, access rules)',
] as const;

export type WorkflowStatus = 'in_progress' | 'done' | 'cancelled';

/** Whether git would commit a file: tracked, ignored, or neither; or no repository around it. */
export type GitState = 'ignored' | 'not_ignored' | 'tracked' | 'no_repository';

/** What writing the replacement into a .env file did. */
export interface EnvWrite {
  path: string;
  line: 'replaced' | 'added';
  git: GitState;
}

/** A name the rotation writes into without asking: `.env`, `.env.*` or `*.env`. */
export const isEnvFileName = (name: string): boolean =>
  name === '.env' || name.startsWith('.env.') || (name.endsWith('.env') && name.length > 4);

/** A variable name for NAME=value lines and .env files. */
export const ENV_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface KeyRef {
  id: string;
  account_id: string;
  label: string;
  partial_key: string;
}

export const keyRefOf = (key: ApiKey): KeyRef => ({
  id: key.id,
  account_id: key.account_id,
  label: key.label,
  partial_key: key.partial_key,
});

export interface Workflow {
  id: string;
  kind: WorkflowKind;
  connection_id: string;
  status: WorkflowStatus;
  /** Position in stepsOf(kind); equal to its length once every step is done. */
  step: number;
  old_key: KeyRef;
  new_key: KeyRef | null;
  /** The .env file the replacement was written to, if any. */
  env_file: string | null;
  /** When the replacement was first seen used, and the old key last used, as last checked. */
  new_first_used_at: string | null;
  old_last_used_at: string | null;
  old_revoked_at: string | null;
  /** The day the old key should be deleted (rotation: after the retention period). */
  deletion_due_at: string | null;
  /** incident: when the key may have been exposed (usage after it is highlighted). */
  exposed_at: string | null;
  notes: { how: string; prevention: string };
  checklist: boolean[];
  /** What was done, when: the incident summary reads it. */
  log: Array<{ at: string; what: string }>;
  created_at: string;
  updated_at: string;
}

export const currentStep = (workflow: Workflow): WorkflowStep | null => stepsOf(workflow.kind)[workflow.step] ?? null;

/** One line of Markdown from text a platform sent: line breaks folded, hidden characters escaped. */
const line = (text: string) => escapeHidden(text.replace(/[\r\n]+/g, ' '));

/** The incident summary for the team, in Markdown: what happened and what was done, never a secret. */
/** What the platform's request log says of the key, for the summary (null: it could not be read). */
export interface KeyUseSummary {
  sources: RequestSource[];
  /** Requests refused because the key was revoked: something still holds it. */
  afterRevoke: number;
  actions: KeyAction[];
}

function keyUseLines(use: KeyUseSummary | null, exposedAt: string | null): string[] {
  if (!use) return ['The platform’s request log could not be read.'];
  if (use.sources.length === 0) return ['The platform’s request log holds no request with this key.'];
  return [
    ...use.sources.map(
      (s) =>
        `- ${line(s.address)} · ${line(s.user_agent) || '(no user agent)'}: ${s.count} request${s.count === 1 ? '' : 's'}, ` +
        `${s.first_seen} to ${s.last_seen}, ${s.outcomes.join(', ')}` +
        (exposedAt !== null && s.first_seen >= exposedAt ? ' (new since the suspected exposure)' : ''),
    ),
    '',
    use.afterRevoke > 0
      ? `Attempts after revocation: ${use.afterRevoke} (something still holds the key).`
      : 'Attempts after revocation: none.',
    '',
    'What the key did:',
    '',
    ...(use.actions.length === 0
      ? ['- nothing: no key, account or agent was changed with it']
      : use.actions.map((a) => `- ${a.at}: ${a.action} ${a.subject} “${line(a.name)}” (${a.subject_id})`)),
  ];
}

export function incidentSummary(
  workflow: Workflow,
  accountName: string,
  now: string,
  use: KeyUseSummary | null = null,
): string {
  const { old_key: old, new_key: replacement } = workflow;
  const done = INVESTIGATION_CHECKLIST.map((item, i) => `- [${workflow.checklist[i] ? 'x' : ' '}] ${item}`);
  return [
    `# Incident: API key ${old.partial_key} compromised`,
    '',
    `- Key: ${old.partial_key} (“${line(old.label)}”), id ${old.id}`,
    `- Account: ${line(accountName)} (${old.account_id})`,
    `- Suspected exposure: ${workflow.exposed_at ?? 'unknown'}`,
    `- Revoked: ${workflow.old_revoked_at ?? 'not yet'}`,
    `- Last used: ${workflow.old_last_used_at ?? 'never, as far as the platform saw'}`,
    `- Replacement: ${replacement ? `${replacement.partial_key} (“${line(replacement.label)}”)` : 'not created yet'}`,
    `- Opened: ${workflow.created_at}; summary written ${now}`,
    '',
    '## What was done',
    '',
    ...workflow.log.map((entry) => `- ${entry.at}: ${line(entry.what)}`),
    '',
    '## Who used it',
    '',
    ...keyUseLines(use, workflow.exposed_at),
    '',
    '## Investigation',
    '',
    ...done,
    '',
    `How it leaked: ${line(workflow.notes.how) || '(not yet known)'}`,
    '',
    `What changes to prevent it: ${line(workflow.notes.prevention) || '(not yet decided)'}`,
    '',
  ].join('\n');
}

/**
 * The replacement's suggested label: the old one with the month (`Billing prod (2026-11)`, an
 * earlier `(2026-08)` or `(2026-08-14)` suffix replaced), else with the day, else the day and a
 * number: never a label a key of its account already has (`taken`, compared as the audit does).
 */
export function replacementLabel(old: string, taken: readonly string[], now: number): string {
  const stem = old.replace(/\s*\(\d{4}-\d{2}(?:-\d{2})?(?: \d+)?\)$/, '');
  const day = new Date(now).toISOString().slice(0, 10);
  const free = (label: string) => !taken.some((other) => sameLabel(other, label));
  for (const suffix of [day.slice(0, 7), day]) if (free(`${stem} (${suffix})`)) return `${stem} (${suffix})`;
  for (let n = 2; ; n++) if (free(`${stem} (${day} ${n})`)) return `${stem} (${day} ${n})`;
}
